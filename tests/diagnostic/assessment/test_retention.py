"""The purge of individual data after the retention period (diagnostic/assessment/retention.py
and `manage.py purge_individual_data`)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent
from diagnostic.assessment.retention import purge_individual_data
from diagnostic.models import Answer, CompetencyScore, Response
from tests.factories import AnswerFactory, CampaignFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_recent(db):
    now = timezone.now()
    old = CampaignFactory(
        code="old",
        opens_at=now - dt.timedelta(days=500),
        closes_at=now - dt.timedelta(days=400),
    )
    recent = CampaignFactory(
        code="recent",
        opens_at=now - dt.timedelta(days=60),
        closes_at=now - dt.timedelta(days=30),
    )
    for campaign in (old, recent):
        for _ in range(2):
            response = ResponseFactory(
                invitation__campaign=campaign, submitted_at=now, scored_at=now, index=50
            )
            AnswerFactory(response=response, question__framework=campaign.framework)
    return old, recent


def test_purge_removes_only_campaigns_closed_longer_ago(old_and_recent):
    old, recent = old_and_recent
    counts = purge_individual_data(older_than_months=12)
    assert (counts.campaigns, counts.answers, counts.responses) == (1, 2, 2)
    assert not Answer.objects.filter(response__invitation__campaign=old).exists()
    assert Answer.objects.filter(response__invitation__campaign=recent).count() == 2
    # The responses stay (counts of who answered do not change), without their index.
    assert Response.objects.filter(invitation__campaign=old, index__isnull=True).count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PURGE).count() == 1


def test_running_it_twice_changes_nothing(old_and_recent):
    purge_individual_data(older_than_months=12)
    state = (Answer.objects.count(), CompetencyScore.objects.count(), AuditEvent.objects.count())
    again = purge_individual_data(older_than_months=12)
    assert again.total == 0
    assert (
        Answer.objects.count(),
        CompetencyScore.objects.count(),
        AuditEvent.objects.count(),
    ) == state


def test_a_dry_run_counts_and_removes_nothing(old_and_recent):
    counts = purge_individual_data(older_than_months=12, dry_run=True)
    assert counts.answers == 2
    assert Answer.objects.count() == 4
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PURGE).exists()


def test_the_command_prints_its_counts(old_and_recent):
    out = StringIO()
    call_command("purge_individual_data", "--older-than", "12", "--dry-run", stdout=out)
    assert "Would remove 2 answers" in out.getvalue()
    assert Answer.objects.count() == 4
    call_command("purge_individual_data", "--older-than", "12", stdout=out)
    assert "Removed 2 answers" in out.getvalue()
    assert Answer.objects.count() == 2


def test_the_beat_task_is_off_by_default(old_and_recent, settings):
    from diagnostic.tasks import purge_individual_data_task

    settings.PURGE_INDIVIDUAL_DATA_AFTER_MONTHS = None
    assert purge_individual_data_task() == 0
    assert Answer.objects.count() == 4
    settings.PURGE_INDIVIDUAL_DATA_AFTER_MONTHS = 12
    assert purge_individual_data_task() > 0
    assert Answer.objects.count() == 2
