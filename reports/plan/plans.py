"""A plan's life: created as a draft, budget and marks changed (each change recorded),
approved (frozen). A draft's lines are always what the formulas give on the campaign's current
scores and the current catalogue; an approved plan reads only its frozen lines, so later
answers, catalogue edits and price changes leave it as the committee approved it."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from diagnostic.models import Campaign

from .enrolment import create_enrolments
from .exceptions import PlanCampaignOpenError, PlanError, PlanFrozenError
from .funding import Line, Need, PlanResult, Terms, build_plan, summarise
from .models import (
    BANDS,
    RESERVED_PLAN_CODES,
    Choice,
    Offering,
    Plan,
    PlanChange,
    PlanChoice,
    PlanLine,
)
from .needs import campaign_needs, scope_counts


def offering_terms(offering: Offering) -> Terms:
    return Terms(
        code=offering.code,
        competency_code=offering.competency_code,
        level_from=offering.level_from,
        level_to=offering.level_to,
        hours=offering.hours,
        cost_per_person=offering.cost_per_person,
        cost_per_cohort=offering.cost_per_cohort,
        capacity=offering.capacity,
        offering_id=offering.pk,
    )


def current_terms() -> list[Terms]:
    return [offering_terms(o) for o in Offering.objects.current()]


def plan_choices(plan: Plan) -> dict[tuple[str, int], str]:
    return {
        (c.competency_code, c.band): c.choice
        for c in PlanChoice.objects.filter(plan=plan).only("competency_code", "band", "choice")
    }


def plan_result(*, plan: Plan) -> PlanResult:
    """The plan as it stands: frozen lines for an approved plan, the formulas for a draft."""
    if not plan.is_draft:
        return frozen_result(plan=plan)
    return build_plan(
        needs=campaign_needs(campaign=plan.campaign, scope=plan.scope),
        offerings=current_terms(),
        budget=plan.budget,
        choices=plan_choices(plan),
    )


def frozen_result(*, plan: Plan) -> PlanResult:
    lines = []
    for row in plan.lines.all():
        need = Need(row.competency_code, row.band, row.participants, row.priority, row.headcount)
        terms = None
        if row.offering_code:
            terms = Terms(
                code=row.offering_code,
                competency_code=row.competency_code,
                level_from=row.level_from,
                level_to=row.level_to,
                hours=row.unit_hours,
                cost_per_person=row.cost_per_person,
                cost_per_cohort=row.cost_per_cohort,
                capacity=row.capacity,
                offering_id=row.offering_id,
            )
        lines.append(
            Line(
                need,
                terms,
                row.participants,
                row.cohorts,
                row.hours,
                row.cost,
                row.choice,
                row.status,
            )
        )
    return summarise(lines=lines, budget=plan.budget)


def reserved_code_message(code: str) -> str:
    return _("“%(code)s” is a reserved word in the plan pages' addresses; choose another code.") % {
        "code": code
    }


def _money(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _record(plan: Plan, by, action: str, **detail) -> None:
    PlanChange.objects.create(plan=plan, by=by, action=action, detail=detail)


def _locked_draft(plan: Plan) -> Plan:
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_draft:
        raise PlanFrozenError()
    return locked


@transaction.atomic
def plan_create(
    *,
    code: str,
    name: str,
    campaign: Campaign,
    scope: Department | None = None,
    budget: Decimal = Decimal(0),
    by=None,
) -> Plan:
    if budget < 0:
        raise PlanError(_("The budget cannot be negative."))
    if code.lower() in RESERVED_PLAN_CODES:
        raise PlanError(reserved_code_message(code))
    plan = Plan.objects.create(
        code=code, name=name, campaign=campaign, scope=scope, budget=budget, created_by=by
    )
    _record(
        plan,
        by,
        PlanChange.Action.CREATED,
        scope=scope.code if scope else "",
        budget=_money(budget),
    )
    return plan


@transaction.atomic
def plan_set_budget(*, plan: Plan, budget: Decimal, by=None) -> Plan:
    plan = _locked_draft(plan)
    if budget < 0:
        raise PlanError(_("The budget cannot be negative."))
    if plan.budget != budget:
        _record(
            plan, by, PlanChange.Action.BUDGET, before=_money(plan.budget), after=_money(budget)
        )
        plan.budget = budget
        plan.save(update_fields=["budget"])
    return plan


@transaction.atomic
def plan_set_scope(*, plan: Plan, scope: Department | None, by=None) -> Plan:
    plan = _locked_draft(plan)
    if plan.scope_id != (scope.pk if scope else None):
        before = plan.scope.code if plan.scope else ""
        _record(plan, by, PlanChange.Action.SCOPE, before=before, after=scope.code if scope else "")
        plan.scope = scope
        plan.save(update_fields=["scope"])
    return plan


@transaction.atomic
def plan_set_choice(*, plan: Plan, competency_code: str, band: int, choice: str, by=None) -> Plan:
    """Mark a line must-fund or excluded; an empty `choice` clears the mark."""
    plan = _locked_draft(plan)
    if band not in BANDS or choice not in ("", *Choice.values):
        raise PlanError(_("This line cannot be marked that way."))
    current = PlanChoice.objects.filter(plan=plan, competency_code=competency_code, band=band)
    before = current.values_list("choice", flat=True).first() or ""
    if before == choice:
        return plan
    if choice:
        PlanChoice.objects.update_or_create(
            plan=plan, competency_code=competency_code, band=band, defaults={"choice": choice}
        )
    else:
        current.delete()
    _record(
        plan,
        by,
        PlanChange.Action.CHOICE,
        competency_code=competency_code,
        band=band,
        before=before,
        after=choice,
    )
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, by=None) -> Plan:
    """Freeze the plan: its lines with the prices they had, the scope's counts and k. From
    here on nothing about it changes. Refused while the campaign is open (its live figures
    would still move after the committee approved them). The row lock makes a second
    approval of the same draft (a double click, two tabs) find it frozen and write nothing."""
    plan = _locked_draft(plan)
    if plan.campaign.is_open():
        raise PlanCampaignOpenError()
    counts = scope_counts(campaign=plan.campaign, scope=plan.scope)
    result = build_plan(
        needs=campaign_needs(campaign=plan.campaign, scope=plan.scope, counts=counts),
        offerings=current_terms(),
        budget=plan.budget,
        choices=plan_choices(plan),
    )
    names = dict(plan.campaign.framework.competencies.values_list("code", "name"))
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            competency_code=line.competency_code,
            competency_name=names.get(line.competency_code, ""),
            band=line.band,
            offering_id=line.terms.offering_id if line.terms else None,
            offering_code=line.terms.code if line.terms else "",
            level_from=line.terms.level_from if line.terms else None,
            level_to=line.terms.level_to if line.terms else None,
            unit_hours=line.terms.hours if line.terms else None,
            cost_per_person=line.terms.cost_per_person if line.terms else None,
            cost_per_cohort=line.terms.cost_per_cohort if line.terms else None,
            capacity=line.terms.capacity if line.terms else None,
            participants=line.participants,
            headcount=line.need.headcount,
            cohorts=line.cohorts,
            hours=line.hours,
            cost=line.cost,
            priority=line.priority,
            choice=line.choice,
            status=line.status,
            position=position,
        )
        for position, line in enumerate(result.lines)
    )
    plan.status = Plan.Status.APPROVED
    plan.approved_by = by
    plan.approved_at = timezone.now()
    plan.scope_code = plan.scope.code if plan.scope else ""
    plan.invited, plan.responded = counts.invited, counts.responded
    plan.threshold = plan.campaign.anonymity_threshold
    Plan.objects.filter(pk=plan.pk).update(
        status=plan.status,
        approved_by=by,
        approved_at=plan.approved_at,
        scope_code=plan.scope_code,
        invited=plan.invited,
        responded=plan.responded,
        threshold=plan.threshold,
    )
    create_enrolments(plan=plan)
    _record(
        plan,
        by,
        PlanChange.Action.APPROVED,
        budget_used=_money(result.budget_used),
        people_reached=result.people_reached,
    )
    return plan
