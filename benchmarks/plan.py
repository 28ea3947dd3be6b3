"""Building the workforce plan of a 20,000-respondent campaign, against one hand-written
GROUP BY over the score table in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_e .venv/bin/python benchmarks/plan.py

The campaign is report_setup's (built on first use). A catalogue is made with an offering for
most competencies (two steps each, 0->2 and 2->4; every fifth competency left without one, so
there are uncovered needs), then:

1. `plan_result` of a draft over the organisation: the needs query, the scope counts, the
   catalogue and the funding rule (what the builder page computes on each request);
2. `plan_approve`: the same, plus freezing the lines and the named lists (one planned enrolment
   per person counted by a funded line), the approved plan deleted between repeats. A plan is
   approved only once its campaign has closed, so the (open) benchmark campaign is marked
   closed while these run and reopened afterwards.

The baseline counts, per competency and band, the required respondents below target and the
sum of their gap * importance: the plan's needs written by hand, without the funding.
"""

import statistics
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from report_setup import REPEATS, analyze, campaign, line, timed

BASELINE = (
    "SELECT competency_id, CASE WHEN level < 1 THEN 0 WHEN level < 2 THEN 1 "
    "WHEN level < 3 THEN 2 ELSE 3 END AS band, COUNT(*), SUM(gap * importance) "
    "FROM diagnostic_competencyscore WHERE campaign_id = %s AND required AND level < target "
    "GROUP BY 1, 2"
)


GOAL = 3.0  # issue 14: building a plan within 3 times the hand-written GROUP BY


def goal(label: str, times: list[float], base: list[float]) -> str:
    ratio = statistics.median(times) / statistics.median(base)
    met = "goal met" if ratio <= GOAL else "goal not met"
    return f"goal {label} <= {GOAL:.0f}x the GROUP BY: {ratio:.1f}x, {met}"


def catalogue(framework) -> None:
    from reports.plan.models import Offering

    Offering.objects.filter(code__startswith="BENCH-").delete()
    for i, competency in enumerate(framework.competencies.order_by("code")):
        if i % 5 == 4:
            continue
        for level_from, level_to in ((0, 2), (2, 4)):
            Offering.objects.create(
                code=f"BENCH-{competency.code}-{level_from}",
                title_es=f"Curso {competency.code}",
                title_en=f"Course {competency.code}",
                format="course",
                hours=Decimal(12),
                cost_per_person=Decimal(400 + 10 * i),
                cost_per_cohort=Decimal(6000),
                capacity=25,
                competency_code=competency.code,
                level_from=level_from,
                level_to=level_to,
            )


def main() -> None:
    from diagnostic.models import CompetencyScore
    from reports.plan.models import Enrolment, Plan
    from reports.plan.plans import plan_approve, plan_create, plan_result

    bench = campaign()
    Plan.objects.filter(code__startswith="bench-").delete()
    catalogue(bench.framework)
    analyze()
    scores = CompetencyScore.objects.filter(campaign=bench).count()
    draft = plan_create(code="bench-draft", name="Bench", campaign=bench, budget=Decimal(3_000_000))

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE, [bench.pk])
            cursor.fetchall()

    approved = []

    def approve():
        with transaction.atomic():
            plan = plan_create(code="bench-approved", name="B", campaign=bench, budget=draft.budget)
            approved.append(plan_approve(plan=plan))

    def forget():
        plan = approved[-1]
        Enrolment.objects.filter(line__plan=plan).delete()
        Plan.objects.filter(pk=plan.pk).update(status="draft")
        plan.refresh_from_db()
        plan.lines.all()._raw_delete(plan.lines.db)
        plan.delete()

    with CaptureQueriesContext(connection) as captured:
        result = plan_result(plan=draft)
    result_queries = len(captured)
    base = timed(baseline)
    results = timed(lambda: plan_result(plan=draft))
    from django.utils import timezone

    from diagnostic.models import Campaign

    Campaign.objects.filter(pk=bench.pk).update(closed_at=timezone.now())
    try:
        approvals = timed(approve, between=forget)
    finally:
        Campaign.objects.filter(pk=bench.pk).update(closed_at=None)
    base_after = timed(baseline)
    enrolments = Enrolment.objects.filter(line__plan=approved[-1]).count()

    print(f"database: {connection.vendor}; {scores} score rows; {REPEATS} runs each")
    print(
        f"plan: {len(result.covered)} lines, {len(result.uncovered)} uncovered needs, "
        f"{result.people_reached} people reached, budget used {result.budget_used} of "
        f"{result.budget}; {enrolments} planned enrolments at approval"
    )
    print(line("hand-written GROUP BY (needs by competency and band), before", base))
    print(line(f"plan_result of a draft, {result_queries} queries", results, base))
    print(line("plan_approve (lines frozen, named lists made)", approvals, base))
    print(line("hand-written GROUP BY, after", base_after))
    print(goal("plan_result", results, base))
    print(goal("plan_approve", approvals, base))


if __name__ == "__main__":
    main()
