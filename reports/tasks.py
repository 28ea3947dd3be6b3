"""Celery tasks: thin, idempotent callers of the domain functions, given primary keys.

As in diagnostic/tasks.py: domain modules (and views) import these tasks at module level, and
the tasks import the domain inside their bodies, so the cycle never shows at import time."""

from celery import shared_task


@shared_task
def build_package_task(job_id: int) -> None:
    """Build a data package for an ExportJob; a job already built is left as it is."""
    from .packages import package_job_build

    package_job_build(job_id=job_id)


@shared_task
def build_release_task(release_id: int) -> None:
    """Build a requested release; one already built is left as it is."""
    from .releases import release_build

    release_build(release_id=release_id)


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
