"""Data packages and releases that survive faults, in process: the broker down at the request,
a worker that died mid-build (stale heartbeat, or the task redelivered), exactly-once
completion, the sweeper, and HR's retry button."""

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import AuditEvent
from reports import packages, releases, tasks
from reports.models import ExportJob, Release, ReleaseFigure

pytestmark = pytest.mark.django_db

DOWN = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")


@pytest.fixture
def broker():
    """Tasks go to a broker (mocked per test) instead of running in process."""
    from config.celery_app import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def age(model, pk, minutes: int) -> None:
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_a_package_request_with_the_broker_down_answers_and_the_sweeper_builds_it(
    client_as, results, media, broker, django_capture_on_commit_callbacks, settings
):
    with (
        mock.patch.object(tasks.build_package_task, "delay", side_effect=DOWN),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reply = client_as("hr").post(reverse("reports:package_create", args=[results.code]))
    job = ExportJob.objects.get()
    assert reply.status_code == 302 and reply["Location"] == reverse(
        "reports:package_job", args=[job.pk]
    )
    assert job.status == ExportJob.Status.PENDING
    # Not yet stalled: the sweeper leaves it alone.
    assert packages.resume_stalled_jobs() == 0
    age(ExportJob, job.pk, settings.STALLED_JOB_MINUTES + 1)
    job.refresh_from_db()
    assert job.stalled and job.retryable
    from config.celery_app import app

    app.conf.task_always_eager = True  # the broker is back
    assert tasks.resume_stalled_jobs_task() == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (ExportJob.Status.DONE, 100, 1)
    assert AuditEvent.objects.filter(action="export", detail__job=job.pk).count() == 1


def test_a_job_building_with_a_fresh_heartbeat_is_left_to_its_worker(results, media):
    job = ExportJob.objects.create(campaign=results, status=ExportJob.Status.RUNNING, attempts=1)
    assert packages.package_job_build(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.RUNNING, 1)


@pytest.mark.parametrize("how", ["stale heartbeat", "redelivered"])
def test_a_job_whose_worker_died_is_taken_over_and_finished_once(results, media, settings, how):
    """The job said "running 6 %" for ever; now the next delivery builds it."""
    job = ExportJob.objects.create(
        campaign=results, status=ExportJob.Status.RUNNING, progress=6, attempts=1
    )
    takeover = how == "redelivered"
    if not takeover:
        age(ExportJob, job.pk, settings.STALLED_JOB_MINUTES + 1)
    assert packages.package_job_build(job_id=job.pk, takeover=takeover) is True
    job.refresh_from_db()
    assert (job.status, job.progress, job.attempts) == (ExportJob.Status.DONE, 100, 2)
    # A second delivery (the sweeper's, or the original message) changes nothing.
    assert packages.package_job_build(job_id=job.pk, takeover=True) is False
    assert AuditEvent.objects.filter(action="export", detail__job=job.pk).count() == 1
    assert len(list(media.glob("exports/*.zip"))) == 1


def test_the_task_takes_over_when_the_broker_redelivered_it(results, media):
    job = ExportJob.objects.create(campaign=results, status=ExportJob.Status.RUNNING, attempts=1)
    tasks.build_package_task.apply(args=[job.pk])  # a first delivery: still its worker's
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING
    with mock.patch.object(tasks, "_redelivered", return_value=True):
        tasks.build_package_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE


def test_redelivery_is_read_from_the_delivery_info():
    def task(info):
        return SimpleNamespace(request=SimpleNamespace(delivery_info=info))

    assert tasks._redelivered(task({"redelivered": True})) is True
    assert tasks._redelivered(task({"redelivered": False})) is False
    assert tasks._redelivered(task(None)) is False


def test_a_worker_that_lost_its_job_keeps_nothing(results, media, settings):
    """A worker presumed dead comes back after another claimed the job: its progress report
    finds the job is not its own any more, so it stops, writes nothing and records nothing."""
    job = ExportJob.objects.create(campaign=results)
    real = packages.build_package

    def slow_then_overtaken(**kwargs):
        # Meanwhile the job was taken over by another claim.
        ExportJob.objects.filter(pk=job.pk).update(attempts=5)
        kwargs["progress"](50)
        return real(**kwargs)

    with mock.patch.object(packages, "build_package", side_effect=slow_then_overtaken):
        assert packages.package_job_build(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.attempts, job.file.name) == (ExportJob.Status.RUNNING, 5, "")
    assert not AuditEvent.objects.filter(action="export").exists()
    assert list(media.glob("exports/*.zip")) == []


def test_hr_retries_a_failed_job_and_the_retry_is_audited(
    client_as, hr, results, media, django_capture_on_commit_callbacks
):
    job = ExportJob.objects.create(campaign=results, status=ExportJob.Status.FAILED, error="x")
    page = client_as("hr").get(reverse("reports:package_job", args=[job.pk]))
    assert reverse("reports:package_retry", args=[job.pk]) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reply = client_as("hr").post(reverse("reports:package_retry", args=[job.pk]))
    assert reply.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.error == ""
    retry = AuditEvent.objects.get(detail__what="package_retry")
    assert retry.user == hr and retry.detail["job"] == job.pk


def test_a_job_that_is_built_or_building_cannot_be_retried(client_as, results, media):
    done = ExportJob.objects.create(campaign=results, status=ExportJob.Status.DONE)
    running = ExportJob.objects.create(campaign=results, status=ExportJob.Status.RUNNING)
    for job in (done, running):
        page = client_as("hr").get(reverse("reports:package_job", args=[job.pk]))
        assert reverse("reports:package_retry", args=[job.pk]) not in page.content.decode()
        client_as("hr").post(reverse("reports:package_retry", args=[job.pk]))
        assert ExportJob.objects.get(pk=job.pk).status == job.status
    assert not AuditEvent.objects.filter(detail__what="package_retry").exists()


def test_a_release_whose_worker_died_is_built_by_the_sweeper_once(results, settings):
    number = Release.objects.filter(campaign=results).count() + 1
    release = Release.objects.create(
        campaign=results, number=number, kind=Release.Kind.INTERIM, status=Release.Status.RUNNING
    )
    assert releases.resume_stalled_releases() == 0  # fresh: its worker may still be at it
    assert releases.release_build(release_id=release.pk).status == Release.Status.RUNNING
    age(Release, release.pk, settings.STALLED_JOB_MINUTES + 1)
    assert releases.resume_stalled_releases() == 1
    release.refresh_from_db()
    assert release.status == Release.Status.DONE
    figures = ReleaseFigure.objects.filter(release=release).count()
    assert figures > 0
    releases.release_build(release_id=release.pk, takeover=True)
    assert ReleaseFigure.objects.filter(release=release).count() == figures
