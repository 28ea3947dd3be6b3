"""Named lists and delivery: made at approval, read only with the identified permission,
every download audited, states imported all-or-nothing."""

import io
import math
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditEvent
from diagnostic.models import CompetencyScore
from reports.plan.catalogue import offering_save
from reports.plan.enrolment import create_enrolments, delivery, enrolment_import
from reports.plan.exceptions import PlanError
from reports.plan.models import Enrolment
from reports.plan.plans import plan_approve, plan_create

from .test_plans import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(results, hr):
    offering_save(values={**VALUES, "cost_per_cohort": "1000", "capacity": "3"})
    plan = plan_create(code="p", name="Plan", campaign=results, budget=Decimal(1_000_000))
    return plan_approve(plan=plan, by=hr)


def test_each_funded_line_lists_the_people_it_counted(approved):
    lines = list(approved.lines.filter(status="funded"))
    assert lines
    for line in lines:
        assert line.enrolments.count() == line.participants
    assert not Enrolment.objects.filter(line__status="uncovered").exists()
    assert set(Enrolment.objects.values_list("state", flat=True)) == {"planned"}


def test_the_named_list_download_is_audited(client_as, approved, identified_exporter):
    response = client_as("identified_exporter").get(reverse("reports:plan_named_list", args=["p"]))
    assert response.status_code == 200
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("offering_code,competency_code,band,employee_number")
    assert len(rows) - 1 == Enrolment.objects.count()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.detail["what"], event.detail["rows"]) == (
        identified_exporter,
        "named_list",
        len(rows) - 1,
    )


def test_managers_never_reach_a_named_list(client_as, approved):
    client = client_as("manager")
    for name in ("reports:plan_enrolments", "reports:plan_named_list"):
        assert client.get(reverse(name, args=["p"])).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_states_set_on_the_page_give_the_delivery_figures(client_as, approved):
    client = client_as("identified_exporter")
    enrolments = list(Enrolment.objects.order_by("pk"))
    line = enrolments[0].line
    mine = [e for e in enrolments if e.line_id == line.pk]
    for e, state in zip(mine, ["completed", "enrolled", "withdrawn"], strict=False):
        response = client.post(
            reverse("reports:plan_enrolments", args=["p"]), {"enrolment": e.pk, "state": state}
        )
        assert response.status_code == 302
    figures = next(d for d in delivery(plan=approved) if d.line.pk == line.pk)
    seats = min(2, len(mine))
    assert figures.seats_filled == seats
    assert figures.completed == 1
    assert figures.hours_delivered == line.unit_hours
    assert figures.cost_executed == Decimal(1000) + seats * Decimal(500)


def test_a_state_file_with_a_bad_row_changes_nothing(approved):
    e = Enrolment.objects.select_related("employee", "line").first()
    text = (
        "employee_number,offering_code,state\r\n"
        f"{e.employee.employee_number},{e.line.offering_code},completed\r\n"
        f"NOBODY,{e.line.offering_code},completed\r\n"
        f"{e.employee.employee_number},{e.line.offering_code},graduated\r\n"
    )
    with pytest.raises(PlanError) as caught, translation.override("en"):
        enrolment_import(plan=approved, data=text.encode(), filename="estados.csv")
    with translation.override("en"):
        messages = [str(m) for m in caught.value.messages]
    assert messages[0].startswith("row 3, column employee_number")
    assert messages[1].startswith("row 4, column state")
    assert set(Enrolment.objects.values_list("state", flat=True)) == {"planned"}
    good = text.splitlines()[:2]
    assert enrolment_import(plan=approved, data="\r\n".join(good).encode(), filename="e.csv") == 1
    e.refresh_from_db()
    assert e.state == "completed"


def test_the_state_import_page(client_as, approved):
    e = Enrolment.objects.select_related("employee", "line").first()
    upload = io.BytesIO(
        f"employee_number;offering_code;state\n{e.employee.employee_number};"
        f"{e.line.offering_code};enrolled\n".encode()
    )
    upload.name = "estados.csv"
    client_as("identified_exporter").post(
        reverse("reports:plan_enrolments_import", args=["p"]), {"file": upload}
    )
    e.refresh_from_db()
    assert e.state == "enrolled"


def test_each_funded_line_splits_into_cohorts_by_department(approved):
    from collections import Counter

    from reports.plan.enrolment import cohorts_by_department

    split = cohorts_by_department(plan=approved)
    assert [line.pk for line, _ in split] == list(
        approved.lines.filter(status="funded").order_by("position").values_list("pk", flat=True)
    )
    for line, departments in split:
        expected = Counter(line.enrolments.values_list("department_code", flat=True))
        assert {d.department_code: d.people for d in departments} == dict(expected)
        assert sum(d.people for d in departments) == line.participants
        for d in departments:
            cohorts = -(-d.people // 3)  # capacity 3 in the fixture
            assert (d.cohorts, d.seats) == (cohorts, cohorts * 3)
            assert d.cost == cohorts * Decimal(1000) + d.people * Decimal(500)


def test_the_enrolment_page_shows_the_department_split(
    client_as, approved, django_assert_max_num_queries
):
    from reports.plan.enrolment import cohorts_by_department

    client = client_as("identified_exporter")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("reports:plan_enrolments", args=["p"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cohorts of each funded line, by department" in body or "por dependencia" in body
    for _line, departments in cohorts_by_department(plan=approved):
        for d in departments:
            assert f'<td>{d.department_code}</td><td class="text-end">{d.people}</td>' in body


def named_lists_the_python_way(plan) -> set[tuple]:
    """The named lists as the per-person Python path made them before the INSERT ... SELECT:
    every stored score of the scope's submitted respondents, required and below target, put
    on the funded line of its competency and band floor(level)."""
    funded = {
        (line.competency_code, line.band): line.pk for line in plan.lines.filter(status="funded")
    }
    scores = CompetencyScore.objects.filter(
        campaign=plan.campaign, response__submitted_at__isnull=False
    ).select_related("competency", "department", "response__invitation")
    expected = set()
    for s in scores:
        in_scope = plan.scope is None or s.department.path.startswith(plan.scope.path)
        key = (s.competency.code, math.floor(s.level))
        if in_scope and s.required and s.level < s.target and key in funded:
            expected.add((funded[key], s.response.invitation.employee_id, s.department.code))
    return expected


@pytest.mark.parametrize("scoped", [False, True])
def test_the_named_lists_are_those_the_per_person_path_gave(results, hr, tree, scoped):
    offering_save(values={**VALUES, "cost_per_cohort": "1000", "capacity": "3"})
    scope = tree["WELFARE"] if scoped else None
    plan = plan_approve(
        plan=plan_create(
            code="p", name="Plan", campaign=results, scope=scope, budget=Decimal(1_000_000)
        ),
        by=hr,
    )
    got = set(
        Enrolment.objects.filter(line__plan=plan).values_list(
            "line_id", "employee_id", "department_code"
        )
    )
    assert got and got == named_lists_the_python_way(plan)
    assert create_enrolments(plan=plan) == 0
