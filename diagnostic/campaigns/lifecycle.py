"""Campaigns: create, launch, close, extend, and the participation figures HR follows.

A campaign moves through: draft -> launching (invitations being made) -> scheduled (before
`opens_at`) -> open -> closed (closed by HR, or past `closes_at`). Launching locks the
framework version, the population and the opening date.

The anonymity threshold k may be raised at any time but never lowered once a response exists,
started or submitted. A started response counts because its answers are given on the promise
of the k shown when the respondent began, and it can be submitted at any moment: a rule that
waited for the first submission would let k drop between someone's last answer and their
click on "submit". Every change of k is recorded in the audit log.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent
from lib.enqueue import enqueue_on_commit

from ..exceptions import (
    CampaignAlreadyClosedError,
    CampaignEndedError,
    CampaignNotLaunchedError,
    EmptyPopulationError,
    ExtensionNotLaterError,
    FrameworkLockedError,
    FrameworkNotPublishedError,
    NoPrivacyNoticeError,
    PopulationLockedError,
    ThresholdLoweredError,
    ThresholdTooLowError,
)
from ..models import Campaign, Framework, Invitation, Response
from ..tasks import make_invitations, queue_invitations
from .invitations import invitation_for
from .notices import latest_notice
from .status import Status, campaign_status, population

MIN_THRESHOLD = 3
MAKE_PASSES = 3


def _check_framework(framework: Framework) -> None:
    if framework.status != Framework.Status.PUBLISHED:
        raise FrameworkNotPublishedError


def _check_threshold(threshold: int) -> None:
    if threshold < MIN_THRESHOLD:
        raise ThresholdTooLowError


@transaction.atomic
def campaign_create(
    *,
    code: str,
    name_es_mx: str,
    name_en: str = "",
    framework: Framework,
    departments,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    anonymity_threshold: int = 5,
    contact_email: str = "",
    created_by=None,
) -> Campaign:
    _check_framework(framework)
    _check_threshold(anonymity_threshold)
    campaign = Campaign.objects.create(
        code=code,
        name_es_mx=name_es_mx,
        # Left blank, the English name falls back to the Spanish one.
        name_en=name_en,
        framework=framework,
        opens_at=opens_at,
        closes_at=closes_at,
        anonymity_threshold=anonymity_threshold,
        contact_email=contact_email,
        created_by=created_by,
    )
    campaign.departments.set(departments)
    return campaign


def _check_threshold_change(*, campaign: Campaign, threshold: int) -> None:
    _check_threshold(threshold)
    lowered = threshold < campaign.anonymity_threshold
    if lowered and Response.objects.filter(invitation__campaign=campaign).exists():
        raise ThresholdLoweredError


@transaction.atomic
def campaign_update(*, campaign: Campaign, by=None, **fields) -> Campaign:
    """Change a campaign. After launch only the names and the threshold may change: the
    framework version, the population and the opening date are what people were invited to.
    The threshold is never lowered once a response exists; `by` is who changes it, for the
    audit log."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    launched = campaign.launched_at is not None
    if "framework" in fields:
        if launched and fields["framework"].pk != campaign.framework_id:
            raise FrameworkLockedError
        _check_framework(fields["framework"])
    old_threshold = campaign.anonymity_threshold
    if "anonymity_threshold" in fields:
        _check_threshold_change(campaign=campaign, threshold=fields["anonymity_threshold"])
    departments = fields.pop("departments", None)
    if launched:
        if departments is not None and {d.pk for d in departments} != set(
            campaign.departments.values_list("pk", flat=True)
        ):
            raise PopulationLockedError
        if "opens_at" in fields and fields["opens_at"] != campaign.opens_at:
            raise PopulationLockedError
        if "closes_at" in fields and fields["closes_at"] != campaign.closes_at:
            raise PopulationLockedError
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.save()
    if departments is not None and not launched:
        campaign.departments.set(departments)
    if campaign.anonymity_threshold != old_threshold:
        audit.record(
            action=AuditEvent.Action.THRESHOLD_CHANGED,
            user=by,
            campaign=campaign.code,
            old=old_threshold,
            new=campaign.anonymity_threshold,
        )
    return campaign


@transaction.atomic
def campaign_launch(*, campaign: Campaign, now: dt.datetime | None = None) -> bool:
    """Lock the campaign and queue the making of its invitations.

    Returns False, changing nothing, when the campaign was already launched.
    """

    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().select_related("framework").get(pk=campaign.pk)
    if campaign.launched_at is not None:
        return False
    _check_framework(campaign.framework)
    if campaign.closes_at <= now:
        raise CampaignEndedError
    notice = latest_notice()
    if notice is None:
        raise NoPrivacyNoticeError
    if not population(campaign=campaign).exists():
        raise EmptyPopulationError
    Campaign.objects.filter(pk=campaign.pk).update(launched_at=now, privacy_notice=notice)
    # A broker that is down does not undo the launch: the sweeper makes the invitations.
    enqueue_on_commit(make_invitations, campaign.pk)
    return True


def invitations_make(*, campaign: Campaign, batch_size: int | None = None) -> int:
    """Make one invitation per employee of the population, in committed batches.

    Safe to run again: a retry after a crash (a worker killed mid-launch) picks up where the
    last committed batch ended, and once the campaign is marked complete nobody is added.
    Returns the number made by this call.
    """

    batch_size = batch_size or settings.INVITATION_BATCH_SIZE
    campaign = Campaign.objects.get(pk=campaign.pk)
    if campaign.launched_at is None or campaign.launch_completed_at is not None:
        return 0
    made = 0
    # A second pass finds whoever a batch left out: `ignore_conflicts` also skips a row whose
    # random short code happened to be taken already (a new code is drawn next pass).
    for _pass in range(MAKE_PASSES):
        made_now = _make_batches(campaign=campaign, batch_size=batch_size)
        made += made_now
        if not made_now:
            break
    with transaction.atomic():
        finished = Campaign.objects.filter(pk=campaign.pk, launch_completed_at__isnull=True).update(
            launch_completed_at=timezone.now()
        )
        if finished:
            enqueue_on_commit(queue_invitations, campaign.pk)
    return made


def _make_batches(*, campaign: Campaign, batch_size: int) -> int:
    people = (
        population(campaign=campaign)
        .exclude(invitations__campaign=campaign)
        .order_by("pk")
        .only("pk", "department_id", "job_role_id", "language")
    )
    made, last_pk = 0, 0
    while batch := list(people.filter(pk__gt=last_pk)[:batch_size]):
        with transaction.atomic():
            created = Invitation.objects.bulk_create(
                [invitation_for(campaign=campaign, employee=employee) for employee in batch],
                ignore_conflicts=True,
            )
        made += len(created)
        last_pk = batch[-1].pk
    return made


@transaction.atomic
def campaign_close(*, campaign: Campaign, now: dt.datetime | None = None) -> Campaign:
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    status = campaign_status(campaign=campaign, now=now)
    if status in (Status.DRAFT, Status.LAUNCHING):
        raise CampaignNotLaunchedError
    if status == Status.CLOSED:
        raise CampaignAlreadyClosedError
    campaign.closed_at = now
    campaign.save(update_fields=["closed_at"])
    return campaign


@transaction.atomic
def campaign_extend(
    *, campaign: Campaign, closes_at: dt.datetime, now: dt.datetime | None = None
) -> Campaign:
    """Move the closing date later; a closed campaign opens again until then."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.launched_at is None:
        raise CampaignNotLaunchedError
    if closes_at <= campaign.closes_at or closes_at <= now:
        raise ExtensionNotLaterError
    campaign.closes_at = closes_at
    campaign.closed_at = None
    campaign.save(update_fields=["closes_at", "closed_at"])
    return campaign
