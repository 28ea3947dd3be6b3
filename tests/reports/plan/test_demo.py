"""The demo city's plan: a catalogue that covers most needs, an approved plan with
enrolments (some completed) and a draft, the same after a second seed."""

import random

import pytest

from reports.plan.demo import seed_plans
from reports.plan.models import Enrolment, Offering, Plan
from reports.plan.plans import plan_result

pytestmark = pytest.mark.django_db


def test_the_demo_plans_show_every_part_and_seed_once(results):
    earlier = results.framework.campaigns.get(code="diag-2025")
    results.closed_at = None  # this year's campaign is open in the demo
    results.save(update_fields=["closed_at"])
    assert results.is_open() and not earlier.is_open()
    seed_plans(last_year=earlier, current=results, rng=random.Random(1))
    seed_plans(last_year=earlier, current=results, rng=random.Random(1))
    assert Offering.objects.count() == 3 * 2  # two steps for each of three competencies
    approved = Plan.objects.get(code="plan-diag-2025")
    draft = Plan.objects.get(code="plan-diag-2026")
    assert (approved.status, draft.status) == ("approved", "draft")
    assert Enrolment.objects.filter(line__plan=approved, state="completed").exists()
    assert draft.choices.filter(choice="must_fund").count() == 1
    assert plan_result(plan=draft).covered
