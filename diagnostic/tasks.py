"""Celery tasks: thin, idempotent callers of the domain functions, given primary keys.

The one convention for tasks and the functions they wrap (as HackSoft's styleguide): domain
modules import their tasks at module level, and tasks import the domain inside their bodies,
so the cycle never shows at import time."""

import logging

from celery import current_app, shared_task

from lib.enqueue import enqueue

from .models import Campaign, Response

logger = logging.getLogger(__name__)

# --- campaigns, invitations and reminders ---------------------------------------------

# SMTP and network failures are OSErrors: retry those, later each time.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 6}
# A worker killed mid-task (kill -9, out of memory) leaves its message unacknowledged, and
# the broker hands it to another worker: every task here may run again from the start and
# continues from the database state.
DURABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**DURABLE)
def make_invitations(campaign_id: int) -> int:
    from .campaigns import lifecycle

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return lifecycle.invitations_make(campaign=campaign)


@shared_task(**DURABLE)
def queue_invitations(campaign_id: int) -> int:
    """Start the paced chain of e-mail batches of a campaign's unsent invitations."""
    return int(enqueue(send_invitation_batch, campaign_id, 0))


@shared_task(**DURABLE, **RETRY)
def send_invitation_batch(campaign_id: int, after_pk: int = 0) -> int:
    """One batch of invitation e-mails, then the next batch queued after a pause that keeps
    to `EMAIL_RATE_PER_MINUTE`. Returns the number sent by this batch."""
    from .campaigns import mailing

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    total = 0
    while True:
        sent, after_pk = mailing.send_invitation_batch(campaign=campaign, after_pk=after_pk)
        total += sent
        if after_pk is None:
            return total
        if not _in_process():
            enqueue(
                send_invitation_batch, campaign_id, after_pk, countdown=mailing.pause_after(sent)
            )
            return total


@shared_task(**DURABLE, **RETRY)
def send_invitation(invitation_id: int) -> bool:
    from .campaigns import mailing

    return mailing.send_invitation(invitation_id=invitation_id)


@shared_task(**DURABLE, **RETRY)
def send_reminder(invitation_id: int) -> bool:
    from .campaigns import mailing

    return mailing.send_reminder(invitation_id=invitation_id)


@shared_task(**DURABLE)
def finish_unfinished_work() -> int:
    """Run by beat: re-queue launches and invitation e-mails whose tasks were lost (a broker
    down at launch, a worker killed). Both tasks are idempotent, so a duplicate costs
    nothing."""
    from .campaigns import status

    stalled = list(status.stalled_launches().values_list("pk", flat=True))
    for pk in stalled:
        enqueue(make_invitations, pk)
    unsent = list(status.campaigns_with_unsent_invitations().values_list("pk", flat=True))
    for pk in unsent:
        enqueue(queue_invitations, pk)
    return len(stalled) + len(unsent)


@shared_task(**DURABLE, **RETRY)
def send_due_reminders(after_pk: int = 0) -> int:
    """Run by beat every hour: reminders come from the database, never from countdowns; one
    batch, then the next queued at the sending pace."""
    from .campaigns import mailing

    total = 0
    while True:
        sent, after_pk = mailing.send_reminder_batch(after_pk=after_pk)
        total += sent
        if after_pk is None:
            return total
        if not _in_process():
            enqueue(send_due_reminders, after_pk, countdown=mailing.pause_after(sent))
            return total


def _in_process() -> bool:
    """Tasks run eagerly (no broker, the SQLite set-up): batches follow in a loop, unpaced,
    instead of each queuing the next (which would nest one call per batch)."""
    return bool(current_app.conf.task_always_eager)


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
