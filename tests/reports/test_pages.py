import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CampaignFactory, DepartmentFactory

from .conftest import populate

pytestmark = pytest.mark.django_db


def test_overview_shows_participation_and_the_organisation_index(client_as, results):
    response = client_as("hr").get(reverse("reports:campaign_overview", args=[results.code]))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.report.organisation.responded == 15
    assert page.report.organisation.invited == 16
    body = response.content.decode()
    assert "chart-participation" in body and "Obras Públicas" in body


def test_manager_overview_shows_only_their_subtree(client_as, results):
    response = client_as("manager").get(reverse("reports:campaign_overview", args=[results.code]))
    codes = [d.code for d, _g in response.context["page"].rows]
    assert codes == ["WORKS", "ROADS", "POTHOLES"]
    assert "Bienestar" not in response.content.decode()


def test_department_report_draws_every_chart_with_its_table(client_as, results):
    url = reverse("reports:department_report", args=[results.code, "WORKS"])
    response = client_as("manager").get(url)
    page = response.context["page"]
    assert set(page.charts) == {"heatmap", "profile", "distribution", "priority", "change"}
    assert [d.code for d, _g in page.columns] == ["ROADS"]
    body = response.content.decode()
    for name in page.charts:
        assert f'id="chart-{name}"' in body and f'data-chart="chart-{name}"' in body
    assert "<script>" not in body  # no inline script: the CSP forbids it


def test_heatmap_switches_to_gap(client_as, results):
    url = reverse("reports:department_report", args=[results.code, "WORKS"])
    response = client_as("manager").get(url, {"measure": "gap"})
    page = response.context["page"]
    z = page.charts["heatmap"]["data"][0]["z"]
    assert page.measure == "gap"
    assert [row[0] for row in z] == [
        pytest.approx(c.mean_gap) if c.mean_gap is not None else None
        for c in page.group.competencies
    ]


def test_suppressed_sub_department_is_drawn_as_such_never_as_zero(
    client_as, k5_released, framework
):
    _framework, competencies = framework
    # WORKS has 10 respondents: 4 direct, ROADS 6. Showing ROADS would leave 4 < 5.
    url = reverse("reports:department_report", args=["k5", "WORKS"])
    response = client_as("manager").get(url)
    page = response.context["page"]
    assert page.columns[0][0].code == "ROADS" and page.columns[0][1].suppressed
    heat, grey = page.charts["heatmap"]["data"]
    assert page.charts["heatmap"]["layout"]["xaxis"]["ticktext"] == ["Obras Públicas", "Vialidades"]
    assert all(row[1] is None for row in heat["z"]) and all(row[0] is not None for row in heat["z"])
    # The hidden column is the grey layer's, labelled "<5"; the department's column is not in it.
    assert all(row == [None, 0] for row in grey["z"])
    assert all(row[1] == "<5" for row in grey["text"])
    table = response.content.decode().split('data-testid="heatmap-table"')[1].split("</table>")[0]
    assert table.count("&lt;5") == len(competencies)


def test_suppressed_department_page_shows_only_invited(client_as, tree, general_role, framework):
    framework, competencies = framework
    campaign = CampaignFactory(code="tiny", framework=framework, anonymity_threshold=5)
    populate(campaign, competencies, tree, general_role)
    response = client_as("hr").get(reverse("reports:department_report", args=["tiny", "ROADS"]))
    body = response.content.decode()
    assert response.context["page"].group.suppressed
    assert "menos de 5 respuestas" in body or "fewer than 5 responses" in body
    assert response.context["page"].charts == {}


PAGES = (
    ("reports:campaign_overview", []),
    ("reports:department_report", ["WORKS"]),
    ("reports:export_department_report", ["csv"]),
    ("reports:export_individual", ["answers", "csv"]),
)


def fetch(client, name, code, args):
    args = [code, *args]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def test_report_pages_use_a_constant_number_of_queries(
    client_as, tree, general_role, framework, django_assert_num_queries
):
    framework, competencies = framework
    client = client_as("hr")
    base = CampaignFactory(
        code="base",
        framework=framework,
        opens_at=timezone.now() - dt.timedelta(days=400),
        closes_at=timezone.now() - dt.timedelta(days=300),
    )
    populate(base, competencies, tree, general_role)
    counts = {}
    for scale, code in ((1, "small"), (4, "large")):
        campaign = CampaignFactory(
            code=code,
            framework=framework,
            anonymity_threshold=3,
            opens_at=timezone.now() - dt.timedelta(days=10 - scale),
        )
        populate(campaign, competencies, tree, general_role, scale=scale)
        for i in range(scale * 3):
            DepartmentFactory(code=f"{code.upper()}{i}", parent=tree["WORKS"])
        for name, args in PAGES:
            if code == "small":
                with CaptureQueriesContext(connection) as queries:
                    fetch(client, name, code, args)
                counts[name] = len(queries)
            else:
                with django_assert_num_queries(counts[name]):
                    fetch(client, name, code, args)


def test_a_department_of_exactly_k_shows_its_figures(client_as, exactly_k):
    client = client_as("hr")
    response = client.get(reverse("reports:department_report", args=["exact", "WORKS"]))
    summary = response.content.decode().split('data-testid="summary"')[1].split("</p>")[0]
    assert "3 (100%)" in summary and "&lt;3" not in summary
    assert "heatmap" in response.context["page"].charts
    overview = client.get(reverse("reports:campaign_overview", args=["exact"]))
    rows = {d.code: g for d, g in overview.context["page"].rows}
    assert not rows["WORKS"].suppressed and rows["WORKS"].responded == 3
