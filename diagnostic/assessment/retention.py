"""Retention: individual answers and scores go once a campaign has been closed long enough
(DESIGN.md "Privacy": "Individual data can be purged after a retention period while
aggregates, releases and reports stay").

Releases are frozen copies (reports.ReleaseFigure), so they read the same afterwards; the
responses themselves stay, without their answers, scores and index, so that invited and
submitted counts do not change. Running the purge again finds nothing more to remove.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent

from ..models import Answer, Campaign, CompetencyScore, Response


@dataclass(frozen=True)
class PurgeCounts:
    campaigns: int
    answers: int
    scores: int
    responses: int

    @property
    def total(self) -> int:
        return self.answers + self.scores + self.responses


def campaigns_closed_before(*, cutoff: dt.datetime):
    """Launched campaigns whose close (HR's, or `closes_at`) came before `cutoff`."""
    closed_on = Coalesce(F("closed_at"), F("closes_at"))
    return (
        Campaign.objects.filter(launched_at__isnull=False)
        .annotate(closed_on=closed_on)
        .filter(closed_on__lt=cutoff)
    )


def purge_individual_data(
    *, older_than_months: int, dry_run: bool = False, now: dt.datetime | None = None, by=None
) -> PurgeCounts:
    """Remove the answers and scores (and each response's index) of every campaign closed
    more than `older_than_months` ago; with `dry_run`, only count them."""
    now = now or timezone.now()
    campaigns = campaigns_closed_before(cutoff=now - relativedelta(months=older_than_months))
    answers = Answer.objects.filter(response__invitation__campaign__in=campaigns)
    scores = CompetencyScore.objects.filter(campaign__in=campaigns)
    responses = Response.objects.filter(invitation__campaign__in=campaigns).filter(
        index__isnull=False
    )
    counts = PurgeCounts(
        campaigns=campaigns.count(),
        answers=answers.count(),
        scores=scores.count(),
        responses=responses.count(),
    )
    if dry_run or counts.total == 0:
        return counts
    with transaction.atomic():
        answers.delete()
        scores.delete()
        responses.update(index=None)
        audit.record(
            action=AuditEvent.Action.PURGE,
            user=by,
            older_than_months=older_than_months,
            campaigns=counts.campaigns,
            answers=counts.answers,
            scores=counts.scores,
        )
    return counts
