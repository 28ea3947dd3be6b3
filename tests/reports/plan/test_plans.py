"""A plan's life: draft changes recorded, approval freezing figures, prices and choices."""

from decimal import Decimal

import pytest

from reports.plan.catalogue import offering_save
from reports.plan.exceptions import OfferingFrozenError, PlanError, PlanFrozenError
from reports.plan.models import Offering, Plan, PlanChange, PlanLine
from reports.plan.plans import (
    plan_approve,
    plan_create,
    plan_result,
    plan_set_budget,
    plan_set_choice,
)
from tests.reports.conftest import respond

pytestmark = pytest.mark.django_db

VALUES = {
    "offering_code": "PY1",
    "title_es": "Análisis con Python",
    "title_en": "Analysis with Python",
    "format": "course",
    "hours": "12",
    "cost_per_person": "500",
    "cost_per_cohort": "2000",
    "capacity": "10",
    "competency_code": "C1",
    "level_from": "0",
    "level_to": "3",
}


@pytest.fixture
def offering(results):
    return offering_save(values=VALUES)


def snapshot(plan):
    result = plan_result(plan=plan)
    return (
        [
            (
                line.competency_code,
                line.band,
                line.terms.code if line.terms else "",
                line.participants,
                line.cohorts,
                line.cost,
                line.priority,
                line.choice,
                line.status,
            )
            for line in result.lines
        ],
        result.budget_used,
        result.priority_covered,
        result.people_reached,
    )


def test_an_approved_plan_is_unchanged_by_answers_catalogue_edits_and_prices(
    results, offering, hr, tree, general_role
):
    plan = plan_create(code="p26", name="Plan", campaign=results, budget=Decimal(5000), by=hr)
    plan_set_choice(plan=plan, competency_code="C1", band=0, choice="must_fund", by=hr)
    approved = plan_approve(plan=plan, by=hr)
    before = snapshot(approved)
    assert before[0], "the fixture campaign has needs"
    draft = plan_create(code="d26", name="Draft", campaign=results, budget=Decimal(5000))
    draft_before = snapshot(draft)

    competencies = list(results.framework.competencies.order_by("code"))
    for _ in range(4):
        respond(results, tree["WELFARE"], general_role, {competencies[0]: 0.5})
    offering_save(values={**VALUES, "cost_per_person": "50"})  # a price change
    offering_save(values={**VALUES, "offering_code": "C2X", "competency_code": "C2"})
    Offering.objects.filter(code="PY1", current=False).update(title_es="Otro título")

    assert snapshot(Plan.objects.get(pk=approved.pk)) == before
    assert snapshot(draft) != draft_before
    assert list(PlanLine.objects.filter(plan=approved).values_list("offering__version", flat=True))


def test_a_price_change_on_a_frozen_offering_makes_a_new_version(results, offering, hr):
    plan_approve(plan=plan_create(code="p", name="Plan", campaign=results), by=hr)
    new = offering_save(values={**VALUES, "cost_per_person": "650"})
    assert (new.version, new.current) == (2, True)
    old = Offering.objects.get(code="PY1", version=1)
    assert (old.current, old.cost_per_person) == (False, Decimal(500))


def test_an_unused_offering_changes_in_place(results, offering):
    changed = offering_save(values={**VALUES, "cost_per_person": "650"})
    assert (changed.pk, changed.version) == (offering.pk, 1)
    assert Offering.objects.count() == 1


def test_a_frozen_offering_refuses_any_save_or_delete(results, offering, hr):
    plan_approve(plan=plan_create(code="p", name="Plan", campaign=results), by=hr)
    offering.refresh_from_db()
    offering.cost_per_person = Decimal(1)
    with pytest.raises(OfferingFrozenError):
        offering.save()
    with pytest.raises(OfferingFrozenError):
        offering.delete()
    assert Offering.objects.get(pk=offering.pk).cost_per_person == Decimal(500)


def test_an_approved_plan_refuses_changes_and_records_nothing(results, offering, hr):
    plan = plan_approve(plan=plan_create(code="p", name="Plan", campaign=results), by=hr)
    changes = PlanChange.objects.count()
    with pytest.raises(PlanFrozenError):
        plan_set_budget(plan=plan, budget=Decimal(10), by=hr)
    with pytest.raises(PlanFrozenError):
        plan_set_choice(plan=plan, competency_code="C1", band=0, choice="excluded", by=hr)
    with pytest.raises(PlanFrozenError):
        plan_approve(plan=plan, by=hr)
    stored = Plan.objects.get(pk=plan.pk)
    stored.budget = Decimal(99)
    with pytest.raises(PlanFrozenError):
        stored.save()
    line = PlanLine.objects.filter(plan=plan).first()
    line.cost = Decimal(1)
    with pytest.raises(PlanFrozenError):
        line.save()
    assert PlanChange.objects.count() == changes
    assert Plan.objects.get(pk=plan.pk).budget == Decimal(0)
    assert PlanLine.objects.get(pk=line.pk).cost != Decimal(1)


def test_every_draft_change_is_recorded(results, offering, hr):
    plan = plan_create(code="p", name="Plan", campaign=results, by=hr)
    plan_set_budget(plan=plan, budget=Decimal(1200), by=hr)
    plan_set_budget(plan=plan, budget=Decimal(1200), by=hr)  # no change, no record
    plan_set_choice(plan=plan, competency_code="C1", band=1, choice="excluded", by=hr)
    plan_set_choice(plan=plan, competency_code="C1", band=1, choice="", by=hr)
    plan_approve(plan=plan, by=hr)
    changes = list(PlanChange.objects.filter(plan=plan).values_list("action", "detail", "by"))
    assert [action for action, _, _ in changes] == [
        "created",
        "budget",
        "choice",
        "choice",
        "approved",
    ]
    assert changes[1][1] == {"before": "0.00", "after": "1200.00"}
    assert changes[3][1]["before"] == "excluded" and changes[3][1]["after"] == ""
    assert {by for *_, by in changes} == {hr.pk}


def test_choices_change_the_funding_of_a_draft(results, offering):
    plan = plan_create(code="p", name="Plan", campaign=results, budget=Decimal(100000))
    line = plan_result(plan=plan).covered[0]
    assert line.status == "funded"
    plan_set_choice(
        plan=plan, competency_code=line.competency_code, band=line.band, choice="excluded"
    )
    assert plan_result(plan=plan).covered[0].status == "excluded"


def test_a_negative_budget_is_refused(results):
    with pytest.raises(PlanError):
        plan_create(code="p", name="Plan", campaign=results, budget=Decimal(-1))
    assert not Plan.objects.exists()


def test_approving_twice_approves_once(results, offering, hr, client_as):
    """Two approvals of the same draft (a double click, two tabs): the second finds the plan
    frozen under the row lock and writes nothing."""
    from django.urls import reverse

    from reports.plan.models import Enrolment

    stale = plan_create(code="p", name="Plan", campaign=results, by=hr)
    client = client_as("hr")
    url = reverse("reports:plan_approve", args=["p"])
    assert client.post(url).status_code == 302
    written = (PlanLine.objects.count(), Enrolment.objects.count(), PlanChange.objects.count())
    assert written[0] > 0
    assert client.post(url).status_code == 302
    with pytest.raises(PlanFrozenError):
        plan_approve(plan=stale, by=hr)  # the instance still says draft
    assert (PlanLine.objects.count(), Enrolment.objects.count(), PlanChange.objects.count()) == (
        written
    )
    assert PlanChange.objects.filter(action=PlanChange.Action.APPROVED).count() == 1


@pytest.mark.parametrize("code", ["new", "catalogue", "NEW"])
def test_codes_that_are_page_addresses_are_refused(results, hr, client_as, code):
    with pytest.raises(PlanError):
        plan_create(code=code, name="Plan", campaign=results)
    from django.urls import reverse
    from django.utils import translation

    with translation.override("es-mx"):
        response = client_as("hr").post(
            reverse("reports:plan_create"),
            {"code": code, "name": "Plan", "campaign": results.pk, "budget": "0"},
            HTTP_ACCEPT_LANGUAGE="es-MX",
        )
    assert response.status_code == 200
    assert not Plan.objects.exists()
    assert not PlanChange.objects.exists()
    assert "palabra reservada" in response.content.decode()


def test_a_plan_of_an_open_campaign_is_not_approved(results, offering, hr, client_as):
    from django.urls import reverse
    from django.utils import translation

    from reports.plan.models import Enrolment

    results.closed_at = None
    results.save(update_fields=["closed_at"])
    assert results.is_open()
    plan = plan_create(code="p", name="Plan", campaign=results, by=hr)
    changes = PlanChange.objects.count()
    with pytest.raises(PlanError):
        plan_approve(plan=plan, by=hr)
    client = client_as("hr")
    with translation.override("es-mx"):
        page = client.get(reverse("reports:plan_detail", args=["p"]), HTTP_ACCEPT_LANGUAGE="es-MX")
        assert "la campaña sigue abierta" in page.content.decode().lower()
        response = client.post(
            reverse("reports:plan_approve", args=["p"]), HTTP_ACCEPT_LANGUAGE="es-MX", follow=True
        )
    assert "sigue abierta" in response.content.decode()
    stored = Plan.objects.get(pk=plan.pk)
    assert (stored.status, stored.approved_at, stored.invited) == ("draft", None, None)
    assert not PlanLine.objects.exists()
    assert not Enrolment.objects.exists()
    assert PlanChange.objects.count() == changes


def test_every_fixed_address_of_the_plans_section_is_a_reserved_code():
    """A new page added to urls.py must be added to the reserved codes too."""
    from reports.plan.models import RESERVED_PLAN_CODES
    from reports.plan.urls import urlpatterns

    fixed = {str(p.pattern).split("/")[0] for p in urlpatterns} - {""}
    assert {part for part in fixed if not part.startswith("<")} == RESERVED_PLAN_CODES
