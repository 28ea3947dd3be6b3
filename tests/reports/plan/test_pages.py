"""HR's plan pages: what they show, what their forms do, the workbook, the catalogue import."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reports.plan.catalogue import offering_save
from reports.plan.models import Offering, Plan, PlanChange
from reports.plan.plans import plan_create, plan_result
from tests.reports.conftest import respond

from .test_catalogue import csv_bytes
from .test_plans import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(results):
    offering_save(values=VALUES)
    return plan_create(code="p26", name="Plan 2026", campaign=results, budget=Decimal(0))


def test_the_builder_shows_lines_uncovered_needs_and_the_funding_result(client_as, draft):
    response = client_as("hr").get(reverse("reports:plan_detail", args=["p26"]))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.result.covered and page.result.uncovered  # C2 has no offering
    body = response.content.decode()
    assert "PY1" in body and 'data-chart="chart-budget"' in body
    assert {line.competency_code for line in page.result.uncovered} == {"C2"}


def test_setting_the_budget_funds_lines_and_is_recorded(client_as, draft, hr):
    url = reverse("reports:plan_budget", args=["p26"])
    assert plan_result(plan=draft).people_reached == 0
    response = client_as("hr").post(url, {"budget": "100000"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.budget == Decimal(100000)
    assert plan_result(plan=draft).people_reached > 0
    assert PlanChange.objects.filter(plan=draft, action="budget", by=hr).exists()


def test_a_bad_budget_changes_nothing(client_as, draft):
    client_as("hr").post(reverse("reports:plan_budget", args=["p26"]), {"budget": "-5"})
    draft.refresh_from_db()
    assert draft.budget == 0
    assert not PlanChange.objects.filter(action="budget").exists()


def test_marking_must_fund_then_approving_freezes_the_plan(client_as, draft):
    client = client_as("hr")
    line = plan_result(plan=draft).covered[-1]
    client.post(
        reverse("reports:plan_choice", args=["p26"]),
        {"competency_code": line.competency_code, "band": line.band, "choice": "must_fund"},
    )
    client.post(reverse("reports:plan_approve", args=["p26"]))
    plan = Plan.objects.get(code="p26")
    assert plan.status == "approved"
    first = plan.lines.order_by("position").first()
    assert (first.competency_code, first.band, first.choice) == (
        line.competency_code,
        line.band,
        "must_fund",
    )
    # The approved page offers no form any more.
    body = client.get(reverse("reports:plan_detail", args=["p26"])).content.decode()
    assert reverse("reports:plan_approve", args=["p26"]) not in body


def test_the_workbook_has_summary_needs_lines_and_uncovered_sheets(client_as, draft):
    response = client_as("hr").get(
        reverse("reports:plan_xlsx", args=["p26"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 4
    lines = list(book.worksheets[2].iter_rows(values_only=True))
    assert lines[1][2] == "PY1"
    uncovered = list(book.worksheets[3].iter_rows(values_only=True))
    assert {row[0] for row in uncovered[1:]} == {"C2"}


def test_the_workbook_escapes_formulas_in_names(client_as, draft, results):
    plan_create(code="f", name="=HYPERLINK(1)", campaign=results)
    response = client_as("hr").get(reverse("reports:plan_xlsx", args=["f"]))
    summary = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {row[1] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert "'=HYPERLINK(1)" in values and "=HYPERLINK(1)" not in values


def test_the_catalogue_import_previews_then_imports(client_as, results):
    client = client_as("hr")
    upload = io.BytesIO(csv_bytes({}))
    upload.name = "catalogo.csv"
    response = client.post(reverse("reports:plan_catalogue_upload"), {"file": upload})
    assert response.status_code == 200 and response.context["preview"].ok
    assert not Offering.objects.exists()
    client.post(reverse("reports:plan_catalogue_confirm"))
    assert Offering.objects.get().code == "PY1"


def test_a_refused_catalogue_file_shows_where_and_writes_nothing(client_as, results):
    upload = io.BytesIO(csv_bytes({"capacity": "0"}))
    upload.name = "catalogo.csv"
    response = client_as("hr").post(
        reverse("reports:plan_catalogue_upload"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="es-mx"
    )
    assert "fila 2, columna capacity" in response.content.decode()
    client_as("hr").post(reverse("reports:plan_catalogue_confirm"))
    assert not Offering.objects.exists()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_builder_issues_a_constant_number_of_queries(
    client_as, draft, results, tree, general_role
):
    client = client_as("hr")
    url = reverse("reports:plan_detail", args=["p26"])
    small = queries(client, url)
    competencies = list(results.framework.competencies.order_by("code"))
    for i in range(12):
        respond(
            results, tree["WELFARE"], general_role, {competencies[0]: i % 3, competencies[1]: 0.5}
        )
    offering_save(values={**VALUES, "offering_code": "C2A", "competency_code": "C2"})
    assert queries(client, url) == small
