"""Invitation e-mails through a real Celery worker on a real broker (CI's PostgreSQL + Redis
run). Skipped, saying why, where no broker is configured."""

import pytest
from django.utils import timezone

from diagnostic import tasks
from diagnostic.campaigns import lifecycle
from tests.factories import EmployeeFactory, InvitationFactory

pytestmark = [pytest.mark.worker]


def test_invitations_sent_through_the_worker_arrive_once(celery_worker, draft, staff):
    lifecycle.campaign_launch(campaign=draft)
    with_email = [staff[key] for key in ("works", "roads", "potholes")]
    # make_invitations, queue_invitations, then one batch of e-mails (all three addresses).
    celery_worker.wait_for_tasks(3)

    messages = celery_worker.messages()
    assert sorted(m["To"] for m in messages) == sorted(e.email for e in with_email)
    english = next(m for m in messages if m["To"] == staff["roads"].email)
    assert english["Subject"] == "Your invitation: Diagnóstico 2026"
    assert draft.invitations.count() == 4
    assert draft.invitations.filter(sent_at__isnull=False).count() == 3


def test_sending_the_same_invitation_twice_sends_one_email(celery_worker, launched_by_hand):
    tasks.send_invitation.delay(launched_by_hand.pk)
    tasks.send_invitation.delay(launched_by_hand.pk)
    celery_worker.wait_for_tasks(2)

    (message,) = celery_worker.messages()
    assert message["To"] == launched_by_hand.employee.email
    launched_by_hand.refresh_from_db()
    assert launched_by_hand.sent_at is not None


@pytest.fixture
def launched_by_hand(draft, tree, general_role):
    """One unsent invitation of a launched campaign, made without running any task."""
    draft.launched_at = draft.launch_completed_at = timezone.now()
    draft.save()
    employee = EmployeeFactory(department=tree["WORKS"], job_role=general_role)
    return InvitationFactory(campaign=draft, employee=employee)
