"""Invitation e-mails and reminders (the links and QR sheets are in links.py).

Sending is idempotent: the invitation row is locked, its `sent_at` (or reminder count) is
read again under the lock, and only then is the message sent and recorded, so a retried
task or a second worker sends nothing more.
"""

import datetime as dt
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..framework.length import length_estimate
from ..models import Campaign, Invitation
from .invitations import invitation_url


def reminder_interval() -> dt.timedelta:
    return dt.timedelta(days=settings.REMINDER_INTERVAL_DAYS)


def _is_sendable(invitation: Invitation, now: dt.datetime) -> bool:
    campaign = invitation.campaign
    return bool(
        invitation.employee.email
        and invitation.employee.opted_out_at is None
        and campaign.launch_completed_at is not None
        and campaign.closed_at is None
        and campaign.closes_at > now
    )


def _send_message(*, invitation: Invitation, kind: str) -> None:
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "employee": invitation.employee,
        "link": invitation_url(invitation),
    }
    with translation.override(invitation.language):
        context["estimate"] = length_estimate(framework=invitation.campaign.framework)
        subject = render_to_string(f"diagnostic/email/{kind}_subject.txt", context)
        text = render_to_string(f"diagnostic/email/{kind}.txt", context)
        html = render_to_string(f"diagnostic/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[invitation.employee.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _locked(invitation_id: int) -> Invitation | None:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("campaign", "employee")
        .filter(pk=invitation_id)
        .first()
    )


def _refused(invitation: Invitation, now: dt.datetime) -> None:
    """The mail server refused the address: no retry; HR prints a QR card instead."""
    invitation.bounced_at = now
    invitation.save(update_fields=["bounced_at"])


def send_invitation(*, invitation_id: int, now: dt.datetime | None = None) -> bool:
    """E-mail the invitation unless it went already. True when a message was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation_id)
        if invitation is None or invitation.sent_at is not None:
            return False
        if invitation.bounced_at is not None or not _is_sendable(invitation, now):
            return False
        try:
            _send_message(invitation=invitation, kind="invitation")
        except smtplib.SMTPRecipientsRefused:
            _refused(invitation, now)
            return False
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    return True


def unsent_invitations(*, campaign: Campaign):
    return campaign.invitations.filter(
        sent_at__isnull=True, bounced_at__isnull=True, employee__opted_out_at__isnull=True
    ).exclude(employee__email="")


def batch_size() -> int:
    """E-mails per batch task: never more than a minute's worth at the configured rate."""
    return max(1, min(settings.EMAIL_BATCH_SIZE, settings.EMAIL_RATE_PER_MINUTE))


def pause_after(sent: int) -> float:
    """Seconds to wait before the next batch, so that sending keeps to
    `EMAIL_RATE_PER_MINUTE` however many people are invited."""
    return 60.0 * sent / settings.EMAIL_RATE_PER_MINUTE


def send_invitation_batch(*, campaign: Campaign, after_pk: int = 0) -> tuple[int, int | None]:
    """E-mail the next batch of unsent invitations after `after_pk`, in pk order.

    Returns (messages sent, the last pk looked at), the pk None when the batch was the last
    (shorter than a full one). Each
    message goes through `send_invitation`, which locks and re-reads its row, so two chains
    of batches (a sweeper's and the launch's) never send anyone a second invitation."""
    pks = list(
        unsent_invitations(campaign=campaign)
        .filter(pk__gt=after_pk)
        .order_by("pk")
        .values_list("pk", flat=True)[: batch_size()]
    )
    sent = sum(send_invitation(invitation_id=pk) for pk in pks)
    return sent, (pks[-1] if len(pks) == batch_size() else None)


def send_reminder_batch(*, after_pk: int = 0) -> tuple[int, int | None]:
    """Send the next batch of due reminders after `after_pk`, as `send_invitation_batch`."""
    pks = list(
        due_reminders()
        .filter(pk__gt=after_pk)
        .order_by("pk")
        .values_list("pk", flat=True)[: batch_size()]
    )
    sent = sum(send_reminder(invitation_id=pk) for pk in pks)
    return sent, (pks[-1] if len(pks) == batch_size() else None)


def due_reminders(*, now: dt.datetime | None = None):
    """Invitations that should get a reminder now: open campaign, e-mailed more than the
    interval ago, no submitted response, not declined nor opposed (ARCO), fewer than the
    maximum reminders, and none in the last interval."""
    now = now or timezone.now()
    cutoff = now - reminder_interval()
    open_campaigns = Campaign.objects.open(now=now)
    return (
        Invitation.objects.filter(
            campaign__in=open_campaigns,
            sent_at__lt=cutoff,
            reminder_count__lt=settings.REMINDER_MAX_COUNT,
            declined_at__isnull=True,
            employee__opted_out_at__isnull=True,
            bounced_at__isnull=True,
        )
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=cutoff))
        .exclude(response__submitted_at__isnull=False)
        .exclude(employee__email="")
    )


def send_reminder(*, invitation_id: int, now: dt.datetime | None = None) -> bool:
    """Send one reminder if the invitation is still due one. True when a message was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation_id)
        if invitation is None or not due_reminders(now=now).filter(pk=invitation_id).exists():
            return False
        try:
            _send_message(invitation=invitation, kind="reminder")
        except smtplib.SMTPRecipientsRefused:
            _refused(invitation, now)
            return False
        invitation.last_reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["last_reminded_at", "reminder_count"])
    return True
