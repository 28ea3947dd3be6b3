"""Celery tasks: thin, idempotent wrappers over the domain functions, taking primary keys."""

import logging

from celery import shared_task

from .models import Response
from .scoring import score_response

logger = logging.getLogger(__name__)


# --- scoring of submitted responses (issue #4: the questionnaire) -------------------------

PENDING_BATCH = 500


@shared_task(name="diagnostic.score_submitted_response")
def score_submitted_response(response_pk: int) -> bool:
    """Score a submitted response unless it was already scored since its submission."""
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
