"""Celery tasks: thin, idempotent callers of the domain functions, given primary keys.

The one convention for tasks and the functions they wrap (as HackSoft's styleguide): domain
modules import their tasks at module level, and tasks import the domain inside their bodies,
so the cycle never shows at import time."""

import logging

from celery import shared_task

from .models import Campaign, Response

logger = logging.getLogger(__name__)

# --- campaigns, invitations and reminders ---------------------------------------------

# SMTP and network failures are OSErrors: retry those, later each time.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 6}


@shared_task
def make_invitations(campaign_id: int) -> int:
    from .campaigns import lifecycle

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return lifecycle.invitations_make(campaign=campaign)


@shared_task
def queue_invitations(campaign_id: int) -> int:
    """Queue one e-mail task per invitation not yet sent."""
    from .campaigns import mailing

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    pks = list(mailing.unsent_invitations(campaign=campaign).values_list("pk", flat=True))
    for pk in pks:
        send_invitation.delay(pk)
    return len(pks)


@shared_task(**RETRY)
def send_invitation(invitation_id: int) -> bool:
    from .campaigns import mailing

    return mailing.send_invitation(invitation_id=invitation_id)


@shared_task(**RETRY)
def send_reminder(invitation_id: int) -> bool:
    from .campaigns import mailing

    return mailing.send_reminder(invitation_id=invitation_id)


@shared_task
def finish_unfinished_work() -> int:
    """Run by beat: re-queue launches and invitation e-mails whose tasks were lost (a broker
    restart, a worker killed). Both tasks are idempotent, so a duplicate costs nothing."""
    from .campaigns import status

    stalled = list(status.stalled_launches().values_list("pk", flat=True))
    for pk in stalled:
        make_invitations.delay(pk)
    unsent = list(status.campaigns_with_unsent_invitations().values_list("pk", flat=True))
    for pk in unsent:
        queue_invitations.delay(pk)
    return len(stalled) + len(unsent)


@shared_task
def send_due_reminders() -> int:
    """Run by beat every hour: reminders come from the database, never from countdowns."""
    from .campaigns import mailing

    pks = list(mailing.due_reminders().values_list("pk", flat=True))
    for pk in pks:
        send_reminder.delay(pk)
    return len(pks)


# --- scoring of submitted responses (issue #4: the questionnaire) -------------------------

PENDING_BATCH = 500


@shared_task(name="diagnostic.score_submitted_response")
def score_submitted_response(response_pk: int) -> bool:
    """Score a submitted response unless it was already scored since its submission."""
    from .assessment.scoring import score_response

    response = Response.objects.pending_scoring().filter(pk=response_pk).first()
    if response is None:
        return False
    score_response(response=response)
    return True


@shared_task(name="diagnostic.score_pending_responses")
def score_pending_responses() -> int:
    """Periodic catch-up: score what was submitted while no task could be enqueued."""
    pks = list(
        Response.objects.pending_scoring()
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:PENDING_BATCH]
    )
    for pk in pks:
        score_submitted_response(pk)
    return len(pks)


def enqueue_scoring(*, response_pk: int) -> bool:
    """Send the scoring task; called on commit. A broker that is down loses nothing: the
    submission is already stored and `score_pending_responses` scores it later."""
    try:
        score_submitted_response.delay(response_pk)
    except Exception:
        logger.exception(
            "Could not enqueue scoring of response %s; it will be retried", response_pk
        )
        return False
    return True


# --- retention (issue #10) -------------------------------------------------------------


@shared_task(name="diagnostic.purge_individual_data")
def purge_individual_data_task() -> int:
    """Run by beat when PURGE_INDIVIDUAL_DATA_AFTER_MONTHS is set; idempotent."""
    from django.conf import settings

    from .assessment.retention import purge_individual_data

    months = settings.PURGE_INDIVIDUAL_DATA_AFTER_MONTHS
    if not months:
        return 0
    return purge_individual_data(older_than_months=months).total
