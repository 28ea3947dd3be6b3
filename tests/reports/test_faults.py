"""Data packages that survive faults, through real workers on the real broker (CI's
PostgreSQL + Redis run; skipped, saying why, without a broker).

- The broker down when HR asks for a package: the page answers (no 500) with the job
  waiting, and once the broker is back the sweeper (`resume_stalled_jobs`) has it built.
- A worker killed with kill -9 in the middle of building: the job no longer says "running"
  for ever; the redelivered task (or the sweeper, whichever is first) takes it over and
  builds it, once: one file, one audit record, the attempts counted.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from reports import tasks
from reports.models import ExportJob
from tests.celery_worker import broker_unreachable, wait_until

pytestmark = [pytest.mark.worker]


def done(job):
    def check():
        job.refresh_from_db()
        return job.status == ExportJob.Status.DONE

    return check


def test_a_package_request_with_the_broker_down_answers_and_is_built_once_it_is_back(
    fault_workers, client_as, results
):
    worker = fault_workers()
    with broker_unreachable():
        reply = client_as("hr").post(reverse("reports:package_create", args=[results.code]))
    job = ExportJob.objects.get()
    assert reply.status_code == 302
    assert reply["Location"] == reverse("reports:package_job", args=[job.pk])
    assert job.status == ExportJob.Status.PENDING
    assert client_as("hr").get(reply["Location"]).status_code == 200
    assert worker.finished_tasks() == 0

    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=11))
    assert tasks.resume_stalled_jobs_task() == 1
    wait_until(done(job), what="package built")
    assert job.rows > 0 and job.attempts == 1
    assert (fault_workers.media / job.file.name).exists()
    assert AuditEvent.objects.filter(action="export", detail__job=job.pk).count() == 1


def test_a_worker_killed_during_an_export_leaves_it_to_the_next_one_exactly_once(
    fault_workers, client_as, results
):
    slow = fault_workers(slow=0.2)  # a progress report (and a pause) every row
    client_as("hr").post(reverse("reports:package_create", args=[results.code]))
    job = ExportJob.objects.get()
    wait_until(
        lambda: ExportJob.objects.filter(pk=job.pk, progress__gt=0).exists(),
        what="the export under way",
    )
    slow.kill()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and 0 < job.progress < 100

    # The next worker. Redis gives the dead worker's unacknowledged task back after the
    # visibility timeout, marked redelivered, unless the dead worker held Redis's restore
    # lock (it then waits out the lock's expiry); the sweeper, run by beat, is the backstop:
    # the job's heartbeat is stale. Whichever comes first builds it; the other finds it done.
    fault_workers(visibility_timeout=3, purge=False)
    ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        updated_at=timezone.now() - dt.timedelta(minutes=11)
    )
    tasks.resume_stalled_jobs_task()
    wait_until(done(job), timeout=90, what="package built after the kill")
    assert job.attempts in (2, 3) and job.progress == 100
    assert list(fault_workers.media.glob("exports/*.zip")) == [fault_workers.media / job.file.name]
    assert AuditEvent.objects.filter(action="export", detail__job=job.pk).count() == 1
