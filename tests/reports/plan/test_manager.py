"""Managers read the approved plan for their departments from released figures only: no
name, no enrolment, no need of fewer than k people."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Employee
from reports.models import ReleaseFigure
from reports.plan.catalogue import offering_save
from reports.plan.manager import manager_plan, released_need
from reports.plan.models import Enrolment
from reports.plan.plans import plan_approve, plan_create

from .test_plans import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(results, hr):
    offering_save(values=VALUES)
    plan = plan_create(code="p", name="Plan", campaign=results, budget=Decimal(10**6))
    return plan_approve(plan=plan, by=hr)


def test_the_manager_page_shows_no_name_and_no_enrolment(client_as, approved, manager):
    assert Enrolment.objects.exists()
    response = client_as("manager").get(reverse("reports:plan_for_departments", args=["p"]))
    assert response.status_code == 200
    body = response.content.decode()
    for name, number in Employee.objects.values_list("full_name", "employee_number"):
        assert name not in body and number not in body
    assert "enrolled" not in body and "planned" not in body


def test_needs_come_from_the_release_and_are_at_least_k(approved, manager, results):
    (entry,) = manager_plan(plan=approved, user=manager)
    assert entry.department.code == "WORKS"
    release = results.releases.get(number=1)
    for need in entry.needs:
        figure = ReleaseFigure.objects.get(
            release=release, department_code="WORKS", role_code="", competency_code=need.code
        )
        assert need.need == released_need(figure)
        if need.need is not None:
            assert need.need >= results.anonymity_threshold or need.fewer_than(3)


def test_a_need_just_under_k_shows_as_fewer_than_k(client_as, approved, manager, results):
    figure = ReleaseFigure.objects.filter(
        release__campaign=results, department_code="WORKS", role_code="", competency_code="C1"
    ).get()
    # 10 required, 80% meeting: 2 people below target, k = 3.
    ReleaseFigure.objects.filter(pk=figure.pk).update(
        state="shown", n_required=10, pct_meeting=80.0
    )
    body = client_as("manager").get(reverse("reports:plan_for_departments", args=["p"]))
    text = body.content.decode()
    assert "fewer than 3" in text or "menos de 3" in text
    ReleaseFigure.objects.filter(pk=figure.pk).update(n_required=10, pct_meeting=70.0)
    (entry,) = manager_plan(plan=approved, user=manager)
    assert next(n for n in entry.needs if n.code == "C1").need == 3


def test_a_hidden_cell_shows_nothing(approved, manager, results):
    ReleaseFigure.objects.filter(
        release__campaign=results, department_code="WORKS", competency_code="C1"
    ).update(state="hidden", n_required=None, pct_meeting=None)
    (entry,) = manager_plan(plan=approved, user=manager)
    assert next(n for n in entry.needs if n.code == "C1").need is None


def test_a_draft_is_not_for_managers(client_as, results):
    plan_create(code="d", name="Draft", campaign=results)
    response = client_as("manager").get(reverse("reports:plan_for_departments", args=["d"]))
    assert response.status_code == 404


def test_approved_plans_for_lists_what_each_reader_may_open(
    approved, manager, outsider_manager, hr, results, tree, django_assert_max_num_queries
):
    from reports.plan.manager import approved_plans_for

    works = plan_approve(
        plan=plan_create(code="w", name="Works", campaign=results, scope=tree["ROADS"]), by=hr
    )
    plan_create(code="draft", name="Draft", campaign=results)
    with django_assert_max_num_queries(4):
        mine = approved_plans_for(user=manager, campaign=results)
    assert [p.code for p in mine] == ["p", "w"]
    assert [p.code for p in approved_plans_for(user=outsider_manager, campaign=results)] == ["p"]
    assert [p.code for p in approved_plans_for(user=hr, campaign=results)] == ["p", "w"]
    earlier = results.__class__.objects.get(code="diag-2025")
    assert approved_plans_for(user=manager, campaign=earlier) == []
    # Every plan listed opens for that reader.
    for user in (manager, outsider_manager):
        for plan in approved_plans_for(user=user, campaign=results):
            assert manager_plan(plan=plan, user=user)
    assert works.scope == tree["ROADS"]


def test_the_campaign_overview_links_a_manager_to_the_plan(client_as, approved, manager, results):
    body = client_as("manager").get(reverse("reports:campaign_overview", args=[results.code]))
    assert body.status_code == 200
    assert reverse("reports:plan_for_departments", args=["p"]) in body.content.decode()
