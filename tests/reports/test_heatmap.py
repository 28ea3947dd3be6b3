"""The department's heatmap (reports/charts.py heatmap_chart) and its phone form, the list of
the competencies furthest below target (templates/reports/_heatmap_list.html)."""

import html

import pytest
from django.urls import reverse

from diagnostic.models import Competency
from reports import charts
from reports.aggregation import CampaignReport, CompetencyFigures, GroupFigures

pytestmark = pytest.mark.django_db

LONG_NAME = "Ética de datos y uso responsable de algoritmos e inteligencia artificial"


def figures(code: str, *, level: float, gap: float, suppressed: bool = False, name: str = ""):
    return CompetencyFigures(
        competency_id=int(code[1:]),
        code=code,
        name=name or f"Competencia {code}",
        n=5,
        mean_level=level,
        mean_target=level + gap,
        n_required=5,
        mean_gap=gap,
        pct_meeting=40.0,
        priority=gap * 5,
        suppressed=suppressed,
    )


def group(*competencies, suppressed: bool = False) -> GroupFigures:
    return GroupFigures(1, None, 9, 5, 250.0, 5, suppressed, list(competencies))


def report(*codes: str) -> CampaignReport:
    return CampaignReport(
        campaign=None,
        threshold=5,
        departments={},
        parents={},
        roles={},
        competencies=[
            Competency(code=code, name=LONG_NAME if code == "C1" else f"Competencia {code}")
            for code in codes
        ],
        groups={},
    )


def heatmap(measure: str = "level", **columns) -> dict:
    return charts.heatmap_chart(
        report=report("C1", "C2"), columns=list(columns.items()), measure=measure
    )


WHOLE = group(figures("C1", level=1.2, gap=0.9), figures("C2", level=2.1, gap=0.4))
CHILD = group(figures("C1", level=0.9, gap=1.6), figures("C2", level=1.5, gap=0.0))
HIDDEN = group(suppressed=True)


def test_level_colours_span_the_values_shown_not_the_whole_scale():
    data = heatmap(Obras=WHOLE, Vialidades=CHILD)["data"][0]
    assert (data["zmin"], data["zmax"]) == (pytest.approx(0.9), pytest.approx(2.1))
    assert data["colorscale"][0] == [0.0, "rgb(247,251,255)"]  # Plotly's Blues


def test_gap_colours_run_from_white_at_zero_to_the_largest_gap_shown():
    data = heatmap("gap", Obras=WHOLE, Vialidades=CHILD)["data"][0]
    assert (data["zmin"], data["zmax"]) == (0, pytest.approx(1.6))
    assert data["colorscale"][0] == [0, "#ffffff"]
    assert data["colorscale"][-1][1] == "#b2182b"
    assert data["z"] == [[0.9, 1.6], [0.4, 0.0]]


def test_equal_values_get_a_range_of_half_a_level_not_an_extreme_colour():
    flat = group(figures("C1", level=2.0, gap=0.0), figures("C2", level=2.0, gap=0.0))
    level = heatmap(Obras=flat, Vialidades=flat)["data"][0]
    assert (level["zmin"], level["zmax"]) == (pytest.approx(1.75), pytest.approx(2.25))
    gap = heatmap("gap", Obras=flat, Vialidades=flat)["data"][0]
    assert (gap["zmin"], gap["zmax"]) == (0, 0.5)


def test_a_hidden_group_is_grey_and_labelled_never_a_colour_of_the_scale():
    values, grey = heatmap(Obras=WHOLE, Vialidades=HIDDEN)["data"]
    assert [row[1] for row in values["z"]] == [None, None]
    assert grey["z"] == [[None, 0], [None, 0]]
    assert grey["text"] == [["", "<5"], ["", "<5"]]
    assert {colour for _stop, colour in grey["colorscale"]} == {charts.HIDDEN_GREY}
    assert grey["showscale"] is False
    assert all("menos de 5 respuestas" in row[1] for row in grey["hovertext"])
    # The range is the shown values' only: the hidden column adds nothing to it.
    assert (values["zmin"], values["zmax"]) == (pytest.approx(1.2), pytest.approx(2.1))


def test_a_hidden_competency_of_a_shown_group_is_grey_too():
    child = group(figures("C1", level=0.9, gap=1.6, suppressed=True), CHILD.competencies[1])
    values, grey = heatmap("gap", Obras=WHOLE, Vialidades=child)["data"]
    assert values["z"][0] == [0.9, None] and grey["text"][0] == ["", "<5"]
    assert grey["text"][1] == ["", ""]


def test_rows_carry_code_and_name_shortened_the_full_name_in_the_hover():
    layout = heatmap(Obras=WHOLE, Vialidades=CHILD)
    rows = layout["layout"]["yaxis"]["ticktext"]
    assert rows[1] == "C2 Competencia C2"
    assert rows[0].startswith("C1 Ética de datos") and rows[0].endswith("…")
    assert len(rows[0]) <= len("C1 ") + charts.HEATMAP_NAME_CHARS
    assert f"C1 {LONG_NAME}" in layout["data"][0]["hovertext"][0][0]


def test_column_names_wrap_on_three_lines_and_are_escaped():
    name = "Dirección de Tránsito <b>y</b> Vialidad Municipal del Centro Histórico"
    columns = heatmap(Obras=WHOLE, **{name: CHILD})["layout"]["xaxis"]["ticktext"]
    assert columns[0] == "Obras"
    lines = columns[1].split("<br>")
    assert len(lines) == 3 and lines[0] == "Dirección de"
    assert all(len(html.unescape(line)) <= charts.HEATMAP_COLUMN_CHARS for line in lines)
    assert "<b>" not in columns[1] and "&lt;b&gt;" in columns[1]
    assert lines[-1].endswith("…")


def test_columns_shortened_alike_stay_two_columns():
    a, b = "Dirección General de Obras Norte", "Dirección General de Obras Sur"
    chart = heatmap(Obras=WHOLE, **{a: CHILD, b: CHILD})
    assert chart["data"][0]["x"] == [0, 1, 2]
    assert len(chart["data"][0]["z"][0]) == 3


def test_a_leaf_department_gets_no_heatmap():
    assert heatmap(Obras=WHOLE) is None


def test_the_title_is_text_for_the_page_not_drawn_by_plotly():
    chart = heatmap("gap", Obras=WHOLE, Vialidades=CHILD)
    assert chart["title"] == "Brecha promedio por unidad"
    assert "title" not in chart["layout"]


def department(client, campaign: str, code: str):
    return client.get(reverse("reports:department_report", args=[campaign, code]))


def test_leaf_department_page_has_its_table_and_no_heatmap(client_as, results):
    response = department(client_as("manager"), results.code, "POTHOLES")
    page = response.context["page"]
    body = response.content.decode()
    assert not page.group.suppressed and page.columns == []
    assert page.charts["heatmap"] is None and page.charts["profile"]
    assert 'data-chart="chart-heatmap"' not in body and 'data-testid="heatmap-list"' not in body
    assert 'data-testid="heatmap-table"' in body


def test_phone_list_names_the_competencies_furthest_below_target(client_as, results):
    response = department(client_as("manager"), results.code, "WORKS")
    page = response.context["page"]
    [(roads, roads_group, below)] = page.furthest_below
    assert roads.code == "ROADS" and below
    gaps = [c.mean_gap for c in below]
    assert gaps == sorted(gaps, reverse=True) and all(gap > 0 for gap in gaps)
    assert len(below) <= 3
    listed = response.content.decode().split('data-testid="heatmap-list"')[1].split("</ul>")[0]
    assert "Vialidades" in listed
    for c in below:
        assert f"{c.code} {c.name}" in listed
        assert f"en promedio {c.mean_gap:.1f} niveles por debajo de la meta" in listed
    # The map is for wider screens, the list for phones; the table for both.
    body = response.content.decode()
    assert '<div class="d-none d-sm-block"><p class="chart-title"' in body.replace("\n", "")
    assert '<div class="d-sm-none">' in body


def test_phone_list_says_a_group_under_k_has_too_few_responses_with_no_figure(
    client_as, k5_released
):
    response = department(client_as("manager"), "k5", "WORKS")
    [(roads, roads_group, below)] = response.context["page"].furthest_below
    assert roads_group.suppressed and below == []
    listed = response.content.decode().split('data-testid="heatmap-list"')[1].split("</ul>")[0]
    assert "Vialidades" in listed and "menos de 5 respuestas" in listed
    assert "niveles por debajo" not in listed and "%" not in listed
