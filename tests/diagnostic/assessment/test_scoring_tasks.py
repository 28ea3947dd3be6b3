"""Scoring on submit: enqueued after commit, never from a rolled-back transaction, caught up
later when the broker is down, and recomputable with `manage.py rescore`."""

import logging
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from kombu.exceptions import OperationalError

from config.celery_app import app
from diagnostic import tasks
from diagnostic.assessment import questionnaire
from diagnostic.models import Answer, CompetencyScore, Question, Response

from .data import make_assessment, started


def answered(assessment, *, value: int = 3) -> Response:
    response = started(assessment)
    for question in assessment.of_kind(Question.Kind.SELF):
        Answer.objects.create(response=response, question=question, value=value)
    response.invitation = assessment.invitation
    return response


def stored_scores(response) -> list[tuple]:
    return list(
        CompetencyScore.objects.filter(response=response)
        .order_by("competency_id")
        .values_list("competency_id", "level", "target", "gap", "meets", "usage")
    )


@pytest.mark.django_db
def test_submitting_enqueues_one_scoring_task_after_commit(django_capture_on_commit_callbacks):
    response = answered(make_assessment())
    with mock.patch.object(tasks.score_submitted_response, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert questionnaire.submit_response(response=response) is not None
            assert questionnaire.submit_response(response=response) is None  # no second code
        delay.assert_not_called()  # nothing is sent before the commit
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(response.pk)


@pytest.mark.django_db(transaction=True)
def test_no_task_is_sent_from_a_transaction_that_rolled_back():
    response = answered(make_assessment())
    with mock.patch.object(tasks.score_submitted_response, "delay") as delay:
        with pytest.raises(RuntimeError), transaction.atomic():
            questionnaire.submit_response(response=response)
            raise RuntimeError("the request failed after the submit")
        delay.assert_not_called()
        assert Response.objects.get(pk=response.pk).submitted_at is None

        questionnaire.submit_response(response=response)
        delay.assert_called_once_with(response.pk)


@pytest.mark.django_db
def test_a_broker_down_at_submit_keeps_the_submission_and_scores_it_later(
    django_capture_on_commit_callbacks, caplog
):
    response = answered(make_assessment())
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with (
        mock.patch.object(tasks.score_submitted_response, "delay", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.ERROR, logger="diagnostic.tasks"),
    ):
        assert questionnaire.submit_response(response=response) is not None
    response.refresh_from_db()
    assert response.submitted_at is not None and response.scored_at is None
    assert "Could not enqueue scoring" in caplog.text

    assert tasks.score_pending_responses() == 1
    response.refresh_from_db()
    assert response.scored_at is not None and len(stored_scores(response)) == 4
    assert tasks.score_pending_responses() == 0


def test_the_catch_up_task_runs_periodically():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "diagnostic.score_pending_responses" in entries
    assert "diagnostic.score_pending_responses" in app.tasks


@pytest.mark.django_db
def test_the_scoring_task_is_idempotent_and_skips_drafts():
    assessment = make_assessment()
    response = answered(assessment)
    assert tasks.score_submitted_response(response.pk) is False  # a draft is not scored
    assert not CompetencyScore.objects.exists()

    Response.objects.filter(pk=response.pk).update(submitted_at=response.started_at)
    assert tasks.score_submitted_response(response.pk) is True
    first = stored_scores(response)
    assert tasks.score_submitted_response(response.pk) is False
    assert stored_scores(response) == first and len(first) == 4


@pytest.mark.django_db
def test_rescore_recomputes_identical_scores(django_capture_on_commit_callbacks):
    response = answered(make_assessment(target=3), value=2)
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire.submit_response(response=response)
    before = stored_scores(response)
    index = Response.objects.get(pk=response.pk).index
    CompetencyScore.objects.update(level=0, gap=4, meets=False)

    call_command("rescore")

    assert stored_scores(response) == before
    # self 2, knowledge unanswered (K = 0): L = 0.75 * 2 = 1.5, index 25 * 1.5
    assert Response.objects.get(pk=response.pk).index == index == 37.5


@pytest.mark.django_db
def test_rescore_of_one_campaign_leaves_the_others(django_capture_on_commit_callbacks):
    ours, theirs = answered(make_assessment()), answered(make_assessment())
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire.submit_response(response=ours)
        questionnaire.submit_response(response=theirs)
    CompetencyScore.objects.update(level=0)

    call_command("rescore", campaign=ours.invitation.campaign.code)

    levels = CompetencyScore.objects.values_list("level", flat=True)
    assert set(levels.filter(response=ours)) == {2.25}  # 0.75 * 3, knowledge unanswered
    assert set(levels.filter(response=theirs)) == {0}
    with pytest.raises(CommandError):
        call_command("rescore", campaign="no-such-campaign")
