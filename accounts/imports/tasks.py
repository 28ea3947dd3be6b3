"""Celery tasks of the imports: thin, idempotent, given primary keys. They import the domain
inside their bodies; `jobs` imports them at module level."""

from celery import shared_task


@shared_task(name="accounts.preview_import")
def preview_import_task(job_id: int) -> None:
    """Read and check an uploaded file; a job no longer pending is left alone."""
    from .jobs import fail_job, preview_job

    try:
        preview_job(job_id=job_id)
    except Exception:
        fail_job(job_id=job_id)
        raise


@shared_task(name="accounts.apply_import")
def apply_import_task(job_id: int) -> None:
    """Import a confirmed file; a job already imported is left alone."""
    from .jobs import apply_job, fail_job

    try:
        apply_job(job_id=job_id)
    except Exception:
        fail_job(job_id=job_id)
        raise


@shared_task(name="accounts.resume_import_jobs")
def resume_import_jobs_task() -> int:
    """Run by beat: send again the import jobs whose task was lost."""
    from .jobs import resume_import_jobs

    return resume_import_jobs()
