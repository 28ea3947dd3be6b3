"""Launches that survive faults, through real workers on the real broker (CI's PostgreSQL +
Redis run; skipped, saying why, without a broker).

- The broker down when HR launches: the page answers (no 500), the launch is saved, and
  once the broker is back the sweeper (`finish_unfinished_work`) makes and sends it all.
- A worker killed with kill -9 in the middle of making the invitations: the broker hands the
  task to the next worker (or the sweeper queues it again), which carries on from the last
  committed batch; everyone is invited once and e-mailed once.
"""

import datetime as dt

import pytest
from django.urls import reverse

from diagnostic import tasks
from diagnostic.models import Campaign, Invitation
from tests.celery_worker import broker_unreachable, wait_until
from tests.factories import EmployeeFactory

pytestmark = [pytest.mark.worker]


def finished(campaign, emails: int):
    def check():
        campaign.refresh_from_db()
        sent = Invitation.objects.filter(campaign=campaign, sent_at__isnull=False).count()
        return campaign.launch_completed_at is not None and sent == emails

    return check


def test_a_launch_with_the_broker_down_answers_and_completes_once_it_is_back(
    fault_workers, client_as, draft, staff
):
    worker = fault_workers()
    with broker_unreachable():
        reply = client_as("hr").post(reverse("campaigns:launch", args=[draft.pk]))
    assert reply.status_code == 302
    draft.refresh_from_db()
    assert draft.launched_at is not None and draft.launch_completed_at is None
    assert not Invitation.objects.filter(campaign=draft).exists()
    assert worker.finished_tasks() == 0  # nothing reached the worker

    # The broker is back; beat's sweeper runs fifteen minutes after the launch.
    Campaign.objects.filter(pk=draft.pk).update(
        launched_at=draft.launched_at - dt.timedelta(minutes=16)
    )
    assert tasks.finish_unfinished_work() == 1
    wait_until(finished(draft, 3), what="invitations made and sent")
    assert draft.invitations.count() == 4
    messages = fault_workers.messages()
    expected = sorted(staff[k].email for k in ("works", "roads", "potholes"))
    assert sorted(m["To"] for m in messages) == expected


def test_a_worker_killed_during_a_launch_leaves_it_to_the_next_one_exactly_once(
    fault_workers, client_as, draft, tree, general_role
):
    people = EmployeeFactory.create_batch(150, department=tree["WORKS"], job_role=general_role)
    with_email = [p.email for p in people if p.email]
    slow = fault_workers(slow=0.03)  # 20 invitations per committed batch, 0.6 s each
    reply = client_as("hr").post(reverse("campaigns:launch", args=[draft.pk]))
    assert reply.status_code == 302
    wait_until(
        lambda: Invitation.objects.filter(campaign=draft).count() >= 40,
        what="two batches of invitations committed",
    )
    slow.kill()
    draft.refresh_from_db()
    made_before = Invitation.objects.filter(campaign=draft).count()
    assert draft.launch_completed_at is None and 40 <= made_before < 150

    # The next worker: Redis gives the dead worker's unacknowledged task back after the
    # visibility timeout, marked redelivered; the task resumes from the committed batches.
    # The sweeper is the backstop (Redis's restore lock may still be held by the dead
    # worker); making invitations is idempotent, so both together make everyone once.
    fault_workers(visibility_timeout=3, purge=False)
    Campaign.objects.filter(pk=draft.pk).update(
        launched_at=draft.launched_at - dt.timedelta(minutes=16)
    )
    tasks.finish_unfinished_work()
    wait_until(finished(draft, len(with_email)), timeout=90, what="launch finished")
    invitations = Invitation.objects.filter(campaign=draft)
    assert invitations.count() == 150
    assert invitations.values("employee").distinct().count() == 150
    sent_to = [m["To"] for m in fault_workers.messages()]
    assert sorted(sent_to) == sorted(with_email)  # each address once
