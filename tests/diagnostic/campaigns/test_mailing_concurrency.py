"""Two workers sending the same invitation at the same moment send one e-mail."""

import datetime as dt
import threading
import time

import pytest
from django.db import connections
from django.utils import timezone

from diagnostic.campaigns import mailing
from diagnostic.models import Campaign
from tests.factories import EmployeeFactory, InvitationFactory
from tests.row_locks import needs_row_locks

pytestmark = needs_row_locks


def send_at_once(function, invitation_id: int) -> list:
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(function(invitation_id=invitation_id))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def slow_mail(monkeypatch):
    """Sending takes a while, so that both workers are inside it at once unless one waits."""
    sent = []

    def send(*, invitation, kind):
        time.sleep(0.5)
        sent.append((invitation.pk, kind))

    monkeypatch.setattr(mailing, "_send_message", send)
    return sent


@pytest.fixture
def unsent(draft, tree, general_role):
    Campaign.objects.filter(pk=draft.pk).update(
        launched_at=timezone.now(), launch_completed_at=timezone.now()
    )
    employee = EmployeeFactory(department=tree["WORKS"], job_role=general_role)
    return InvitationFactory(campaign=draft, employee=employee)


def test_two_workers_send_one_invitation_once(unsent, slow_mail):
    results = send_at_once(mailing.send_invitation, unsent.pk)
    assert sorted(results) == [False, True]
    assert slow_mail == [(unsent.pk, "invitation")]


def test_two_workers_send_one_reminder_once(unsent, slow_mail):
    unsent.sent_at = timezone.now() - dt.timedelta(days=30)
    unsent.save()
    results = send_at_once(mailing.send_reminder, unsent.pk)
    assert sorted(results) == [False, True]
    assert slow_mail == [(unsent.pk, "reminder")]
    unsent.refresh_from_db()
    assert unsent.reminder_count == 1
