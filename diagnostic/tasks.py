"""Celery tasks: thin, idempotent callers of the domain functions, given primary keys."""

from celery import shared_task

from . import campaigns, invitations
from .models import Campaign

# SMTP and network failures are OSErrors: retry those, later each time.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 6}


@shared_task
def make_invitations(campaign_id: int) -> int:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return campaigns.invitations_make(campaign=campaign)


@shared_task
def queue_invitations(campaign_id: int) -> int:
    """Queue one e-mail task per invitation not yet sent."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    pks = list(invitations.unsent_invitations(campaign=campaign).values_list("pk", flat=True))
    for pk in pks:
        send_invitation.delay(pk)
    return len(pks)


@shared_task(**RETRY)
def send_invitation(invitation_id: int) -> bool:
    return invitations.send_invitation(invitation_id=invitation_id)


@shared_task(**RETRY)
def send_reminder(invitation_id: int) -> bool:
    return invitations.send_reminder(invitation_id=invitation_id)


@shared_task
def finish_unfinished_work() -> int:
    """Run by beat: re-queue launches and invitation e-mails whose tasks were lost (a broker
    restart, a worker killed). Both tasks are idempotent, so a duplicate costs nothing."""
    stalled = list(campaigns.stalled_launches().values_list("pk", flat=True))
    for pk in stalled:
        make_invitations.delay(pk)
    unsent = list(campaigns.campaigns_with_unsent_invitations().values_list("pk", flat=True))
    for pk in unsent:
        queue_invitations.delay(pk)
    return len(stalled) + len(unsent)


@shared_task
def send_due_reminders() -> int:
    """Run by beat every hour: reminders come from the database, never from countdowns."""
    pks = list(invitations.due_reminders().values_list("pk", flat=True))
    for pk in pks:
        send_reminder.delay(pk)
    return len(pks)
