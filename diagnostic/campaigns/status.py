"""Where a campaign stands: its status, its population, how far its launch has got."""

import datetime as dt

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Employee

from ..models import Campaign, Invitation


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    LAUNCHING = "launching", _("launching")
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


def campaign_status(*, campaign: Campaign, now: dt.datetime | None = None) -> Status:
    now = now or timezone.now()
    if campaign.launched_at is None:
        return Status.DRAFT
    if campaign.launch_completed_at is None:
        return Status.LAUNCHING
    if campaign.closed_at is not None or campaign.closes_at <= now:
        return Status.CLOSED
    if campaign.opens_at > now:
        return Status.SCHEDULED
    return Status.OPEN


def population(*, campaign: Campaign):
    """The active employees of the campaign's departments and everything below them, less
    those who opposed (ARCO opposition: `opted_out_at`)."""
    return Employee.objects.in_departments(list(campaign.departments.only("path"))).filter(
        active=True, opted_out_at__isnull=True
    )


def population_departments(*, campaign: Campaign, user):
    """The departments of the population that `user` may see, in tree order."""
    roots = list(campaign.departments.only("path"))
    return Department.objects.visible_to(user).subtrees_of(roots).order_by("path")


def launch_preview(*, campaign: Campaign) -> dict[str, int]:
    """How many people a launch would invite now, and how many of them get an e-mail."""
    return population(campaign=campaign).aggregate(
        people=Count("pk"), with_email=Count("pk", filter=~Q(email=""))
    )


STALE_AFTER = dt.timedelta(minutes=15)


def stalled_launches(*, now: dt.datetime | None = None):
    """Campaigns whose invitations are still not all made a while after launch."""
    now = now or timezone.now()
    return Campaign.objects.filter(
        launched_at__lt=now - STALE_AFTER, launch_completed_at__isnull=True
    )


def campaigns_with_unsent_invitations(*, now: dt.datetime | None = None):
    """Open (or scheduled) campaigns, launched a while ago, where someone with an e-mail
    address has not been sent their invitation."""
    now = now or timezone.now()
    unsent = Invitation.objects.filter(
        campaign=OuterRef("pk"), sent_at__isnull=True, employee__opted_out_at__isnull=True
    ).exclude(employee__email="")
    return Campaign.objects.filter(
        Exists(unsent),
        launch_completed_at__lt=now - STALE_AFTER,
        closed_at__isnull=True,
        closes_at__gt=now,
    )


def launch_progress(*, campaign: Campaign) -> tuple[int, int]:
    """(invitations made, people to invite) while a launch is under way."""
    return campaign.invitations.count(), population(campaign=campaign).count()


def sending_progress(*, campaign: Campaign) -> dict[str, int]:
    """How the e-mails of a launched campaign stand, in one query: sent, still to send, and
    unreached (no address, or refused by the mail server: these need a QR card)."""
    no_address = Q(employee__email="")
    refused = Q(bounced_at__isnull=False)
    return campaign.invitations.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        waiting=Count("pk", filter=Q(sent_at__isnull=True) & ~no_address & ~refused),
        unreached=Count("pk", filter=no_address | refused),
    )


def campaigns_with_counts(*, user):
    """The campaigns the user may see, each with `invited` and `submitted` counted in the
    same query."""
    return (
        Campaign.objects.visible_to(user)
        .select_related("framework")
        .annotate(
            invited=Count("invitations"),
            submitted=Count(
                "invitations", filter=Q(invitations__response__submitted_at__isnull=False)
            ),
        )
    )
