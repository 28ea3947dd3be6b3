"""ARCO requests (LGPDPPSO: access, rectification, cancellation, opposition), recorded by HR
for an employee and carried out from HR's page. Every step is in the audit log.

The requests are accounts' models (they are about a roster record); carrying one out reaches
the assessment data and, for a cancellation, the releases, so it lives here, at the end of
`reports -> diagnostic -> accounts`.

A cancellation deletes the person's responses (their answers and scores go with them; the
invitation stays, so `invited` still counts them) and asks for a new release of each
campaign that already had one, through `release_for_hr`, so the current release is built
from what still holds. The release rule may keep an earlier figure where the new count
differs from a shown one by fewer than k (DESIGN.md "Releases"): that figure was already
published and stays as it was; nothing newly built ever shows a group under k.
"""

import datetime as dt
import json

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import ArcoRequest, AuditEvent, Employee
from diagnostic.assessment.downloads import own_data_json
from diagnostic.models import Answer, Campaign, CompetencyScore, Invitation, Response

from .models import Release
from .releases import release_for_hr

RECTIFIABLE = ["full_name", "email", "phone", "position", "department", "job_role"]


def _audit(arco: ArcoRequest, *, by, step: str, **detail) -> None:
    audit.record(
        action=AuditEvent.Action.ARCO,
        user=by,
        request_id=arco.pk,
        kind=arco.kind,
        employee_number=arco.employee.employee_number,
        step=step,
        **detail,
    )


def _done(arco: ArcoRequest, *, by, **outcome) -> ArcoRequest:
    arco.carried_out_at = timezone.now()
    arco.carried_out_by = by if by is not None and by.is_authenticated else None
    arco.outcome = {**arco.outcome, **outcome}
    arco.save(update_fields=["carried_out_at", "carried_out_by", "outcome"])
    _audit(arco, by=by, step="carried out", **outcome)
    return arco


@transaction.atomic
def arco_record(
    *, employee: Employee, kind: str, received_on: dt.date, notes: str = "", by=None
) -> ArcoRequest:
    arco = ArcoRequest.objects.create(
        employee=employee, kind=kind, received_on=received_on, notes=notes, recorded_by=by
    )
    _audit(arco, by=by, step="recorded")
    return arco


def employee_data(*, employee: Employee) -> dict:
    """Everything the site holds about `employee`: the roster record and, per campaign, the
    answers and scores (diagnostic/assessment/downloads.py, as the employee downloads them)."""
    responses = (
        Response.objects.filter(invitation__employee=employee)
        .select_related("invitation__campaign", "invitation__employee")
        .order_by("started_at")
    )
    return {
        "employee_number": employee.employee_number,
        "full_name": employee.full_name,
        "email": employee.email,
        "phone": employee.phone,
        "department_code": employee.department.code,
        "role_code": employee.job_role.code,
        "position": employee.position,
        "active": employee.active,
        "opted_out_at": employee.opted_out_at.isoformat() if employee.opted_out_at else None,
        "invitations": list(
            Invitation.objects.filter(employee=employee)
            .order_by("created_at")
            .values_list("campaign__code", flat=True)
        ),
        "responses": [json.loads(own_data_json(response=r)) for r in responses],
    }


@transaction.atomic
def arco_access(*, arco: ArcoRequest, by=None) -> tuple[str, str]:
    """The employee's data as a JSON file (filename, body); each download is audited."""
    data = employee_data(employee=arco.employee)
    filename = f"arco-{arco.pk}-{arco.employee.employee_number}.json"
    if arco.is_done:
        _audit(arco, by=by, step="downloaded", responses=len(data["responses"]))
    else:
        _done(arco, by=by, responses=len(data["responses"]))
    return filename, json.dumps(data, ensure_ascii=False, indent=2)


@transaction.atomic
def arco_rectify(*, arco: ArcoRequest, changes: dict, by=None) -> ArcoRequest:
    """Correct the roster fields in `changes` (only those of RECTIFIABLE). Past invitations
    keep their snapshots, so figures already made do not move."""
    employee = Employee.objects.select_for_update().get(pk=arco.employee_id)
    changed = sorted(
        name for name in RECTIFIABLE if name in changes and getattr(employee, name) != changes[name]
    )
    for name in changed:
        setattr(employee, name, changes[name])
    if changed:
        employee.save(update_fields=[*changed, "updated_at"])
    return _done(arco, by=by, fields=changed)


@transaction.atomic
def arco_cancel(*, arco: ArcoRequest, by=None) -> ArcoRequest:
    """Delete the employee's answers and scores (their responses) and rebuild the current
    release of every campaign affected that had one."""
    responses = Response.objects.filter(invitation__employee=arco.employee)
    campaign_ids = set(responses.values_list("invitation__campaign_id", flat=True))
    # A release being built holds its campaign's lock while it reads the figures: waiting
    # for it here means it either read before this deletion (and the release asked for
    # below follows it) or reads after it, never a mixture or a release left holding the
    # person's answers as the current one.
    list(Campaign.objects.select_for_update().filter(pk__in=campaign_ids).order_by("pk"))
    answers = Answer.objects.filter(response__in=responses).count()
    scores = CompetencyScore.objects.filter(response__in=responses).count()
    deleted = responses.count()
    responses.delete()
    # Someone who asked for their data to go is not reminded to answer again.
    Invitation.objects.filter(employee=arco.employee, declined_at__isnull=True).update(
        declined_at=timezone.now()
    )
    released = Campaign.objects.filter(
        pk__in=campaign_ids, releases__in=Release.objects.all()
    ).distinct()
    rebuilt = [
        f"{campaign.code}#{release_for_hr(campaign=campaign, made_by=by).number}"
        for campaign in released.order_by("code")
    ]
    return _done(arco, by=by, responses=deleted, answers=answers, scores=scores, releases=rebuilt)


@transaction.atomic
def arco_oppose(*, arco: ArcoRequest, by=None) -> ArcoRequest:
    """Stop invitations: launches leave the employee out, and no invitation of theirs that
    is not answered gets an e-mail or a reminder."""
    now = timezone.now()
    Employee.objects.filter(pk=arco.employee_id, opted_out_at__isnull=True).update(opted_out_at=now)
    declined = (
        Invitation.objects.filter(employee=arco.employee, declined_at__isnull=True)
        .exclude(response__submitted_at__isnull=False)
        .update(declined_at=now)
    )
    return _done(arco, by=by, invitations_declined=declined)


CARRY_OUT = {
    ArcoRequest.Kind.CANCELLATION: arco_cancel,
    ArcoRequest.Kind.OPPOSITION: arco_oppose,
}
