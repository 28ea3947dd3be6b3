"""The approved plan as a manager reads it: for each of their departments, the plan's lines for
the competencies where the department has a need, from released figures only.

A department's need for a competency is read from the campaign's current release, never from
the live scores or the plan's own counts: `n_required - round(pct_meeting * n_required / 100)`,
the people required and not meeting, exactly what the release already lets the manager work
out. A cell the release hides shows nothing, and a need of fewer than k people shows as "fewer
than k". The plan's lines are listed without their participant counts (a scope-wide count can
be below k) and without any name or enrolment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import Department
from accounts.roles import is_hr

from ..models import Release, ReleaseFigure
from .models import Plan, PlanLine


@dataclass
class DepartmentNeed:
    code: str
    name: str
    need: int | None  # None: the release does not show it
    lines: list[PlanLine] = field(default_factory=list)

    def fewer_than(self, threshold: int) -> bool:
        return self.need is not None and 0 < self.need < threshold


@dataclass
class DepartmentPlan:
    department: Department
    needs: list[DepartmentNeed]


def plan_departments(*, plan: Plan, user) -> list[Department]:
    """The departments of the plan's scope the reader answers for: a manager's managed ones
    (or the scope itself when it lies inside one); HR the scope or the campaign's roots."""
    if is_hr(user):
        return [plan.scope] if plan.scope else list(plan.campaign.departments.order_by("code"))
    return _answered_for(plan, list(user.managed_departments.order_by("path")))


def _answered_for(plan: Plan, managed: list[Department]) -> list[Department]:
    if plan.scope is None:
        return managed
    inside = [d for d in managed if d.path.startswith(plan.scope.path)]
    above = any(plan.scope.path.startswith(d.path) for d in managed)
    return [plan.scope] if above else inside


def approved_plans_for(*, user, campaign) -> list[Plan]:
    """The approved plans of `campaign` that `user` may read on the managers' plan page
    (reports:plan_for_departments): HR every one; a manager those whose scope meets a
    department they manage. A fixed few queries whatever the number of plans."""
    plans = list(Plan.objects.readable_by(user).filter(campaign=campaign).order_by("code"))
    if not plans or is_hr(user):
        return plans
    managed = list(user.managed_departments.order_by("path"))
    return [plan for plan in plans if _answered_for(plan, managed)]


def manager_plan(*, plan: Plan, user) -> list[DepartmentPlan] | None:
    """None when the campaign has no release yet: managers then see nothing."""
    release = Release.objects.current(plan.campaign)
    if release is None:
        return None
    departments = plan_departments(plan=plan, user=user)
    lines: dict[str, list[PlanLine]] = {}
    for line in plan.lines.select_related("offering").order_by("competency_code", "band"):
        lines.setdefault(line.competency_code, []).append(line)
    names = plan.competency_names()
    figures = ReleaseFigure.objects.filter(
        release=release,
        department__in=departments,
        role_code="",
        competency_code__in=list(lines),
    ).exclude(state=ReleaseFigure.State.HIDDEN)
    shown = {(f.department_id, f.competency_code): f for f in figures}
    result = []
    for department in departments:
        needs = []
        for code in sorted(lines):
            figure = shown.get((department.pk, code))
            needs.append(DepartmentNeed(code, names[code], released_need(figure), lines[code]))
        result.append(DepartmentPlan(department, [n for n in needs if n.need != 0]))
    return result


def released_need(figure: ReleaseFigure | None) -> int | None:
    if figure is None or figure.n_required is None or figure.pct_meeting is None:
        return None
    return figure.n_required - round(figure.pct_meeting * figure.n_required / 100)
