"""Chart labels are plain text: no tag from data reaches Plotly's markup (Plotly draws a subset
of HTML in text, so a department named `<a href=...>` would be a live link in the chart)."""

import pytest
from django.urls import reverse

from diagnostic.models import Competency
from reports import charts
from reports.aggregation import CampaignReport, CompetencyFigures, GroupFigures

HOSTILE_DEPARTMENT = '<a href="https://evil.example/">Obras & Servicios</a>'
HOSTILE_COMPETENCY = "<b onmouseover=alert(1)>Datos</b><br>"
HOSTILE_CODE = "C1<i>"
HOSTILE_LEVEL = "<a href='https://evil.example/'>Experto</a>"


def strings(value) -> list[str]:
    """Every string of a chart's JSON, keys left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    return []


def assert_plain(figure: dict) -> None:
    # The one markup allowed is the line break charts.wrapped puts between a label's lines.
    texts = [t.replace("<br>", "\n") for t in strings(figure["data"]) + strings(figure["layout"])]
    tags = [t for t in texts if "<a" in t or "<b" in t or "<i" in t or "</" in t]
    assert tags == []
    # The names are still there, as text Plotly shows as typed.
    assert any("&lt;" in t for t in texts)


def hostile_group() -> GroupFigures:
    figures = CompetencyFigures(
        competency_id=1,
        code=HOSTILE_CODE,
        name=HOSTILE_COMPETENCY,
        n=5,
        mean_level=2.0,
        median_level=2.0,
        mean_target=3.0,
        n_required=5,
        mean_gap=1.0,
        pct_meeting=40.0,
        mean_usage=2.0,
        levels=(1, 1, 1, 1, 1),
        priority=5.0,
    )
    return GroupFigures(1, None, 6, 5, 250.0, 5, competencies=[figures])


def test_participation_chart_draws_a_hostile_department_name_as_text():
    figure = charts.participation_chart([(HOSTILE_DEPARTMENT, hostile_group())], threshold=3)
    assert_plain(figure)
    assert figure["data"][0]["y"] == [
        '&lt;a href="https://evil.example/"&gt;Obras &amp; Servicios&lt;/a&gt;'
    ]


def test_priority_chart_draws_a_hostile_competency_as_text():
    assert_plain(charts.priority_chart(hostile_group()))


def test_heatmap_draws_hostile_department_and_competency_as_text():
    report = CampaignReport(
        campaign=None,
        threshold=3,
        departments={},
        parents={},
        roles={},
        competencies=[Competency(code=HOSTILE_CODE, name=HOSTILE_COMPETENCY)],
        groups={},
    )
    group = hostile_group()
    figure = charts.heatmap_chart(
        report=report, columns=[(HOSTILE_DEPARTMENT, group), ("<br>", group)], measure="gap"
    )
    assert_plain(figure)
    assert "<br>" not in strings(figure["data"])


def test_profile_chart_draws_a_hostile_code_as_text():
    assert_plain(charts.profile_chart(hostile_group()))


def test_distribution_chart_draws_hostile_codes_and_level_names_as_text():
    figure = charts.distribution_chart(hostile_group(), [HOSTILE_LEVEL] * 5)
    assert_plain(figure)
    assert "&lt;a href='https://evil.example/'&gt;" in figure["data"][4]["name"]


def test_change_chart_draws_a_hostile_code_as_text():
    assert_plain(charts.change_chart([(HOSTILE_CODE, 0.5)]))


@pytest.mark.django_db
def test_department_page_charts_carry_no_tag_from_a_department_name(client_as, results, tree):
    tree["ROADS"].name = HOSTILE_DEPARTMENT
    tree["ROADS"].save()
    response = client_as("manager").get(
        reverse("reports:department_report", args=[results.code, "WORKS"])
    )
    heatmap = response.context["page"].charts["heatmap"]
    assert any("Obras &amp; Servicios" in t for row in heatmap["data"][0]["hovertext"] for t in row)
    assert_plain(heatmap)
    overview = client_as("hr").get(reverse("reports:campaign_overview", args=[results.code]))
    assert_plain(overview.context["page"].charts["participation"])


def test_priority_chart_leaves_out_a_priority_over_too_few_required():
    shown = CompetencyFigures(1, "C1", "Uno", n=5, n_required=5, priority=2.0)
    hidden = CompetencyFigures(2, "C2", "Dos", n=5, priority=9.0).without_required()
    group = GroupFigures(1, None, 5, 5, 0.0, 0, competencies=[hidden, shown])
    assert [c.code for c in group.ranked] == ["C1", "C2"]
    assert charts.priority_chart(group)["data"][0]["y"] == ["C1 Uno"]
