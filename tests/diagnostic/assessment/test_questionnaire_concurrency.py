"""Ten simultaneous submits of one response on PostgreSQL: one submission, one scoring.

SQLite takes a database-wide write lock for every transaction (transaction_mode IMMEDIATE in
the settings), so it cannot run these submits concurrently at all; CI runs this module on
PostgreSQL, where the row lock and the conditional UPDATE are what make it hold.
"""

import threading
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from diagnostic import tasks
from diagnostic.assessment import questionnaire
from diagnostic.models import Answer, CompetencyScore, Question, Response

from .data import make_assessment, started

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite serialises every write transaction, so nothing "
        "runs concurrently; CI runs this with DATABASE_URL set to PostgreSQL",
    ),
]

THREADS = 10


def run_together(work) -> list[object]:
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []

    def worker():
        try:
            barrier.wait()
            outcomes.append(work())
        except Exception as error:  # the test reports every failure, not the first
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_ten_parallel_submits_make_one_submission_and_one_scoring():
    assessment = make_assessment()
    response = started(assessment)
    for question in assessment.of_kind(Question.Kind.SELF):
        Answer.objects.create(response=response, question=question, value=2)
    real_delay = tasks.score_submitted_response.delay
    sent = []

    def counting_delay(pk):
        sent.append(pk)
        return real_delay(pk)

    def submit():
        mine = Response.objects.select_related("invitation__campaign").get(pk=response.pk)
        return questionnaire.submit_response(response=mine) is not None  # got the code

    with mock.patch.object(tasks.score_submitted_response, "delay", side_effect=counting_delay):
        outcomes = run_together(submit)

    assert sorted(outcomes, key=str) == [False] * (THREADS - 1) + [True]
    assert sent == [response.pk]
    assert CompetencyScore.objects.filter(response=response).count() == 4


@pytest.mark.parametrize("save", ["save_answers", "save_and_count"])
def test_a_save_racing_a_submit_either_lands_before_it_or_is_refused(save):
    assessment = make_assessment()
    response = started(assessment)
    question = assessment.of_kind(Question.Kind.SELF)[0]

    turns = iter(range(THREADS))  # one thread submits, nine save

    def save_or_submit():
        mine = Response.objects.select_related("invitation__campaign").get(pk=response.pk)
        if next(turns) == 0:
            return questionnaire.submit_response(response=mine)
        answer = questionnaire.AnswerInput(question_id=question.pk, value=3, option_id=None)
        try:
            return getattr(questionnaire, save)(response=mine, answers=[answer])
        except questionnaire.AlreadySubmittedError:
            return "refused"

    outcomes = run_together(save_or_submit)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    response.refresh_from_db()
    answers = Answer.objects.filter(response=response)
    assert all(a.answered_at <= response.submitted_at for a in answers)
