"""Progress (DESIGN.md "Progress"): for a plan built from campaign A, a later campaign B shows,
per competency of the plan's lines and over the plan's scope, the change in mean level and in
the share meeting target, and, for the people who took part in both, the mean change of L for
those who completed the line's offering and for those who did not.

Every figure obeys the threshold: the scope's figures come from campaign_report (suppressed
live figures, HR's reading), so a hidden cell in either campaign leaves its change empty; each
mean change over people in both campaigns is shown only for a group of at least k people
(the later campaign's k), the other group's too, since the two add up to a count anyone can
see. The completed/not completed comparison is an association, never a cause: people chose,
or were chosen for, their training.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from django.db.models import Q

from diagnostic.models import Campaign, CompetencyScore, Invitation

from ..aggregation import campaign_report
from ..suppression import ORGANISATION
from .models import Enrolment, Plan


@dataclass
class CompetencyProgress:
    code: str
    name: str
    mean_level_change: float | None
    pct_meeting_change: float | None
    completed_n: int | None  # None: not shown (fewer than k in one of the two groups)
    completed_change: float | None
    others_n: int | None
    others_change: float | None


def _scope_group(report, plan: Plan):
    return report.group(plan.scope_id if plan.scope_id else ORGANISATION)


def _difference(later, earlier) -> float | None:
    if later is None or earlier is None:
        return None
    return later - earlier


def plan_progress(*, plan: Plan, later: Campaign) -> list[CompetencyProgress]:
    codes = sorted(set(plan.lines.values_list("competency_code", flat=True)))
    names = plan.competency_names()
    before = _scope_group(campaign_report(campaign=plan.campaign, within=plan.scope, depth=0), plan)
    after = _scope_group(campaign_report(campaign=later, within=plan.scope, depth=0), plan)
    changes = _people_changes(plan=plan, later=later, codes=codes)
    completed = set(
        Enrolment.objects.filter(line__plan=plan, state=Enrolment.State.COMPLETED).values_list(
            "employee_id", "line__competency_code"
        )
    )
    k = later.anonymity_threshold
    result = []
    for code in codes:
        a, b = before.competency(code), after.competency(code)
        shown = a is not None and b is not None and not a.suppressed and not b.suppressed
        people = changes.get(code, {})
        done = [d for employee, d in people.items() if (employee, code) in completed]
        rest = [d for employee, d in people.items() if (employee, code) not in completed]
        both_shown = len(done) >= k and len(rest) >= k
        result.append(
            CompetencyProgress(
                code=code,
                name=names.get(code, ""),
                mean_level_change=_difference(b.mean_level, a.mean_level) if shown else None,
                pct_meeting_change=_difference(b.pct_meeting, a.pct_meeting) if shown else None,
                completed_n=len(done) if both_shown else None,
                completed_change=fmean(done) if both_shown else None,
                others_n=len(rest) if both_shown else None,
                others_change=fmean(rest) if both_shown else None,
            )
        )
    return result


def _people_changes(
    *, plan: Plan, later: Campaign, codes: list[str]
) -> dict[str, dict[int, float]]:
    """competency code -> employee -> L(B) - L(A), for the people of the plan's scope (at A)
    scored in both campaigns. Two grouped reads of the score table."""
    scope = Q(department__path__startswith=plan.scope.path) if plan.scope else Q()

    def levels(campaign, extra: Q) -> dict[tuple[int, str], float]:
        rows = CompetencyScore.objects.filter(
            extra,
            campaign=campaign,
            response__submitted_at__isnull=False,
            competency__code__in=codes,
        ).values_list("response__invitation__employee_id", "competency__code", "level")
        return {(employee, code): level for employee, code, level in rows}

    earlier = levels(plan.campaign, scope)
    took_part = Invitation.objects.filter(
        scope, campaign=plan.campaign, response__submitted_at__isnull=False
    ).values("employee_id")
    now = levels(later, Q(response__invitation__employee_id__in=took_part))
    changes: dict[str, dict[int, float]] = {}
    for (employee, code), level in now.items():
        if (employee, code) in earlier:
            changes.setdefault(code, {})[employee] = level - earlier[(employee, code)]
    return changes
