"""Celery tasks: thin, idempotent callers of the domain functions, given primary keys.

As in diagnostic/tasks.py: domain modules (and views) import these tasks at module level, and
the tasks import the domain inside their bodies, so the cycle never shows at import time."""

from celery import shared_task

# A worker killed mid-task leaves its message unacknowledged and the broker delivers it again,
# marked redelivered: the job's previous worker is then known dead, so the task takes over.
DURABLE = {"acks_late": True, "reject_on_worker_lost": True, "bind": True}


def _redelivered(task) -> bool:
    return bool((task.request.delivery_info or {}).get("redelivered"))


@shared_task(**DURABLE)
def build_package_task(self, job_id: int) -> None:
    """Build a data package for an ExportJob; a job already built is left as it is."""
    from .packages import package_job_build

    package_job_build(job_id=job_id, takeover=_redelivered(self))


@shared_task(**DURABLE)
def build_release_task(self, release_id: int) -> None:
    """Build a requested release; one already built is left as it is."""
    from .releases import release_build

    release_build(release_id=release_id, takeover=_redelivered(self))


@shared_task(name="reports.resume_stalled_jobs", acks_late=True)
def resume_stalled_jobs_task() -> int:
    """Run by beat: data packages and releases waiting or building with no sign of life
    (the broker was down when they were requested, or their worker died) are queued again."""
    from .packages import resume_stalled_jobs
    from .releases import resume_stalled_releases

    return resume_stalled_jobs() + resume_stalled_releases()


@shared_task(name="reports.make_closing_releases")
def make_closing_releases_task() -> None:
    """Run by beat: the closing release of every campaign that closed (or whose extension
    ended) without one. Idempotent: a campaign with its closing release is left alone."""
    from .releases import make_closing_releases

    make_closing_releases()


@shared_task(name="reports.expire_exports")
def expire_exports_task() -> int:
    """Run by beat every hour: remove the files of exports past EXPORT_RETENTION_HOURS."""
    from .retention import expire_exports

    return expire_exports()


@shared_task
def build_quality_task(snapshot_id: int) -> None:
    """Compute a requested instrument-quality snapshot; one already computed is left alone."""
    from .quality.snapshots import quality_build

    quality_build(snapshot_id=snapshot_id)
