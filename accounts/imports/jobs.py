"""Import jobs: an uploaded file read and previewed in the background, then applied once HR
confirms. Views, tasks, the management commands and the admin share `read_plan` and `apply`.

Every step is idempotent and starts from the job's row: the preview can run again (it only
rewrites the preview), and applying locks the job and writes only while it is still
`applying`, in the same transaction that marks it `done`, so a task delivered twice, or
resumed after its worker died, imports once. Requests that enqueue a step succeed with the
broker down: the job waits in the database and `resume_import_jobs` (beat) sends it again.

Progress is reported while the file is read and checked, which is where a 50,000-row file
spends its time; the writing itself is one transaction, which other connections cannot see
into, so the page shows "importing" until it commits.
"""

import logging
from datetime import timedelta
from pathlib import PurePath
from typing import IO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..exceptions import AccountsError
from ..models import ImportJob
from . import departments, roster, tasks
from .reading import Problem, read_table

logger = logging.getLogger(__name__)

IMPORTS = {
    ImportJob.Kind.ROSTER: (roster.COLUMNS, roster.plan_roster, roster.apply_roster),
    ImportJob.Kind.DEPARTMENTS: (
        departments.COLUMNS,
        departments.plan_departments,
        departments.apply_departments,
    ),
}
MAX_PROBLEMS_KEPT = 500
STALLED_AFTER = timedelta(minutes=10)


def read_plan(*, kind: str, file: IO[bytes], file_name: str, create_departments=False, **kw):
    """Read `file` and plan its import; raises ImportFileError for a file that cannot be read."""
    columns, plan, _apply = IMPORTS[kind]
    table = read_table(file=file, file_name=file_name, columns=columns)
    return plan(table=table, create_departments=create_departments, **kw)


def apply(*, kind: str, plan, by=None, request=None) -> dict[str, int]:
    """Write a plan without problems, all or nothing (ImportRefused if it has any)."""
    return IMPORTS[kind][2](plan=plan, by=by, request=request)


def import_start(*, kind: str, upload, by) -> ImportJob:
    """Keep the upload in the default storage and queue its preview."""
    name = PurePath(upload.name).name[:255]
    job = ImportJob(kind=kind, file_name=name, requested_by=by)
    job.file.save(name, ContentFile(upload.read()), save=False)
    job.save()
    transaction.on_commit(lambda: enqueue(tasks.preview_import_task, job.pk))
    return job


def import_recheck(*, job: ImportJob, create_departments: bool) -> ImportJob:
    """Preview the same file again, this time creating (or not) the missing departments."""
    updated = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.PREVIEWED, ImportJob.Status.REFUSED]
    ).update(status=ImportJob.Status.PENDING, progress=0, create_departments=create_departments)
    if updated:
        transaction.on_commit(lambda: enqueue(tasks.preview_import_task, job.pk))
    return job


def import_confirm(*, job: ImportJob) -> bool:
    """Queue the import of a previewed job; False if it is not (or no longer) previewed, or
    its preview found problems."""
    updated = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.PREVIEWED, problem_count=0
    ).update(status=ImportJob.Status.APPLYING, progress=0)
    if updated:
        transaction.on_commit(lambda: enqueue(tasks.apply_import_task, job.pk))
    return bool(updated)


def problems_of(job: ImportJob) -> list[Problem]:
    """The job's problems, to be shown in the reader's language."""
    return [Problem.from_dict(data) for data in job.problems]


def enqueue(task, job_id: int) -> None:
    try:
        task.delay(job_id)
    except Exception:
        logger.exception("Could not enqueue import job %s; beat will resume it", job_id)


def plan_job(job: ImportJob):
    """Read and plan the job's file, with progress; None (and the job refused) if it cannot."""

    def on_progress(rows: int) -> None:
        percent = min(90, round(90 * rows / estimated)) if estimated else 0
        ImportJob.objects.filter(pk=job.pk).update(progress=percent, updated_at=timezone.now())

    estimated = 0
    try:
        with job.file.open("rb") as file:
            columns = IMPORTS[job.kind][0]
            table = read_table(file=file, file_name=job.file_name, columns=columns)
            estimated = table.estimated_rows
            plan = IMPORTS[job.kind][1](
                table=table, create_departments=job.create_departments, on_progress=on_progress
            )
    except AccountsError as error:
        finish(job, status=ImportJob.Status.REFUSED, problems=error.messages)
        return None
    return plan


def preview_job(*, job_id: int) -> None:
    """Read and check a pending job's file and store what importing it would do."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).first()
    if job is None:
        return
    plan = plan_job(job)
    if plan is None:
        return
    status = ImportJob.Status.REFUSED if plan.problems else ImportJob.Status.PREVIEWED
    finish(job, status=status, plan=plan, problems=plan.problems, finished=False)


def apply_job(*, job_id: int) -> None:
    """Import a confirmed job's file: checked again against the database as it is now, then
    written all or nothing."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.APPLYING).first()
    if job is None:
        return
    plan = plan_job(job)
    if plan is None:
        return
    if plan.problems:
        finish(job, status=ImportJob.Status.REFUSED, plan=plan, problems=plan.problems)
        return
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if locked is None or locked.status != ImportJob.Status.APPLYING:
            return
        counts = apply(kind=job.kind, plan=plan, by=job.requested_by)
        finish(locked, status=ImportJob.Status.DONE, plan=plan, counts=counts)


def finish(job, *, status, plan=None, problems=(), counts=None, finished=True) -> None:
    job.status = status
    job.progress = 100
    if plan is not None:
        job.counts = counts or plan.counts()
        job.samples = plan.samples
        job.unknown_departments = getattr(plan, "unknown_departments", [])
    kept = [p if isinstance(p, Problem) else Problem(str(p)) for p in problems]
    job.problems = [p.as_dict() for p in kept[:MAX_PROBLEMS_KEPT]]
    job.problem_count = len(kept)
    job.finished_at = timezone.now() if finished else None
    job.save()


def fail_job(*, job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.FAILED, finished_at=timezone.now()
    )


def resume_import_jobs() -> int:
    """Send again the jobs whose task was lost (broker down, worker killed)."""
    stalled = ImportJob.objects.unfinished().filter(updated_at__lt=timezone.now() - STALLED_AFTER)
    count = 0
    for pk, status in stalled.values_list("pk", "status"):
        task = tasks.preview_import_task if status == "pending" else tasks.apply_import_task
        enqueue(task, pk)
        count += 1
    return count
