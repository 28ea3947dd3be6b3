"""Needs, lines and the funding result from a campaign in the database, against DESIGN.md
read directly off the generated respondents (not off the stored scores' SQL)."""

import math
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.plan.funding import Need, Terms
from reports.plan.models import Offering
from reports.plan.needs import campaign_needs, scope_counts
from reports.plan.plans import plan_create, plan_result
from tests.reports.builders import build_campaign
from tests.reports.test_aggregation import specs, subtree

from .test_funding import oracle

pytestmark = pytest.mark.django_db


def expected_needs(spec, members, codes) -> list[Need]:
    """need(c, b): respondents of the scope with c required and not met, by b = floor(L)."""
    invited = [r for r in spec.respondents if r.department in members]
    responded = [r for r in invited if r.submitted]
    found: dict[tuple[str, int], list] = {}
    for r in responded:
        for c, (level, _) in r.scores.items():
            target, importance = spec.targets.get((r.role, c), (0, 1))
            if target > 0 and level < target:
                found.setdefault((codes[c], math.floor(level)), []).append(
                    (target - level) * importance
                )
    scale = len(invited) / len(responded) if responded else 0
    return [
        Need(code, band, len(gaps), sum(gaps), len(gaps) * scale)
        for (code, band), gaps in sorted(found.items())
    ]


def same_needs(got: list[Need], want: list[Need]) -> None:
    assert [(n.competency_code, n.band, n.count) for n in got] == [
        (n.competency_code, n.band, n.count) for n in want
    ]
    for g, w in zip(got, want, strict=True):
        assert g.priority == pytest.approx(w.priority, abs=1e-6)
        assert g.headcount == pytest.approx(w.headcount)


catalogue = st.lists(
    st.tuples(
        st.integers(0, 2),  # competency
        st.integers(0, 3),  # level_from
        st.integers(1, 4),  # step length (clipped at 4)
        st.sampled_from(["0", "150", "300"]),
        st.sampled_from(["0", "900", "1800"]),
        st.integers(1, 6),
    ),
    max_size=5,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    spec=specs(),
    rows=catalogue,
    budget=st.sampled_from(["0", "1000", "5000"]),
    scope=st.integers(-1, 5),
)
def test_needs_and_plan_match_the_formulas(db, spec, rows, budget, scope):
    with transaction.atomic():
        built = build_campaign(spec)
        codes = [c.code for c in built.competencies]
        scope_index = scope if 0 <= scope < len(built.departments) else None
        members = (
            subtree(spec, scope_index)
            if scope_index is not None
            else set(range(len(spec.departments)))
        )
        department = built.departments[scope_index] if scope_index is not None else None
        offerings = []
        for i, (c, level_from, step, person, cohort, capacity) in enumerate(rows):
            if c >= len(codes):
                continue
            offering = Offering.objects.create(
                code=f"OF{i}",
                title_es="Curso",
                title_en="Course",
                format="course",
                hours=Decimal(6),
                cost_per_person=Decimal(person),
                cost_per_cohort=Decimal(cohort),
                capacity=capacity,
                competency_code=codes[c],
                level_from=level_from,
                level_to=min(4, level_from + step),
            )
            offerings.append(
                Terms(
                    offering.code,
                    codes[c],
                    level_from,
                    offering.level_to,
                    Decimal(6),
                    Decimal(person),
                    Decimal(cohort),
                    capacity,
                )
            )

        want = expected_needs(spec, members, codes)
        same_needs(campaign_needs(campaign=built.campaign, scope=department), want)
        counts = scope_counts(campaign=built.campaign, scope=department)
        mine = [r for r in spec.respondents if r.department in members]
        assert (counts.invited, counts.responded) == (len(mine), sum(r.submitted for r in mine))

        plan = plan_create(
            code="p", name="Plan", campaign=built.campaign, scope=department, budget=Decimal(budget)
        )
        result = plan_result(plan=plan)
        expected = oracle(want, offerings, Decimal(budget), {})
        assert {
            (line.competency_code, line.band): (line.terms.code, line.cost, line.status)
            for line in result.covered
        } == {k: (v["offering"], v["cost"], v["status"]) for k, v in expected["lines"].items()}
        assert {(n.competency_code, n.band) for n in result.uncovered} == set(expected["uncovered"])
        assert result.budget_used == expected["used"]
        assert result.people_reached == expected["reached"]
        transaction.set_rollback(True)
