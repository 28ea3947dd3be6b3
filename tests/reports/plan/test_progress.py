"""Progress at a later campaign: changes of the scope's figures, and the mean change of L for
people in both campaigns who completed the line's training against those who did not, each
shown only for at least k people."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostic.models import CompetencyScore
from reports.aggregation import campaign_report
from reports.plan.catalogue import offering_save
from reports.plan.models import Enrolment
from reports.plan.plans import plan_approve, plan_create
from reports.plan.progress import plan_progress
from reports.suppression import ORGANISATION
from tests.factories import ResponseFactory

from .test_plans import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(results, hr):
    earlier = results.framework.campaigns.get(code="diag-2025")
    offering_save(values={**VALUES, "level_to": "4"})
    made = plan_create(code="p", name="Plan", campaign=earlier, budget=Decimal(10**7))
    return plan_approve(plan=made, by=hr)


def answer_again(campaign, enrolment, level):
    employee = enrolment.employee
    response = ResponseFactory(
        invitation__campaign=campaign,
        invitation__employee=employee,
        invitation__department=employee.department,
        invitation__job_role=employee.job_role,
        submitted_at=timezone.now(),
        scored_at=timezone.now(),
        index=50,
    )
    line = enrolment.line
    competency = campaign.framework.competencies.get(code=line.competency_code)
    CompetencyScore.objects.create(
        response=response,
        campaign=campaign,
        department=employee.department,
        job_role=employee.job_role,
        competency=competency,
        self_level=level,
        level=level,
        target=3,
        importance=3,
        gap=max(0, 3 - level),
        required=True,
        meets=level >= 3,
    )
    earlier = CompetencyScore.objects.get(
        campaign=line.plan.campaign,
        competency__code=line.competency_code,
        response__invitation__employee=employee,
    )
    return level - earlier.level


def test_the_scope_figures_change_as_the_two_campaigns_report_them(plan, results):
    (row,) = [r for r in plan_progress(plan=plan, later=results) if r.code == "C1"]
    a = campaign_report(campaign=plan.campaign).group(ORGANISATION).competency("C1")
    b = campaign_report(campaign=results).group(ORGANISATION).competency("C1")
    assert row.mean_level_change == pytest.approx(b.mean_level - a.mean_level)
    assert row.pct_meeting_change == pytest.approx(b.pct_meeting - a.pct_meeting)
    assert row.completed_change is None and row.others_change is None  # nobody in both


@pytest.mark.parametrize(("completed", "shown"), [(2, False), (3, True)])
def test_completed_and_not_completed_show_only_from_k_people(plan, results, completed, shown):
    enrolments = list(Enrolment.objects.filter(line__competency_code="C1").order_by("pk"))
    assert len(enrolments) >= 6
    done, rest = enrolments[:completed], enrolments[completed : completed + 3]
    Enrolment.objects.filter(pk__in=[e.pk for e in done]).update(state="completed")
    done_changes = [answer_again(results, e, 3.0) for e in done]
    rest_changes = [answer_again(results, e, 2.0) for e in rest]
    (row,) = [r for r in plan_progress(plan=plan, later=results) if r.code == "C1"]
    if shown:
        assert (row.completed_n, row.others_n) == (3, 3)
        assert row.completed_change == pytest.approx(sum(done_changes) / 3)
        assert row.others_change == pytest.approx(sum(rest_changes) / 3)
    else:
        assert row.completed_change is None and row.others_change is None
        assert row.completed_n is None and row.others_n is None


def test_the_progress_page_says_it_is_an_association(client_as, plan, results):
    url = reverse("reports:plan_progress", args=["p", results.code])
    body = client_as("hr").get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "asociación" in body or "association" in body
