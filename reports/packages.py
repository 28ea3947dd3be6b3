"""The campaign data package: a zip of the campaign's files and a Frictionless
`datapackage.json` describing every field (DESIGN.md "Data exchange").

The open-data variant leaves out the individual-level files (answers.csv, scores.csv).
Files are streamed into the zip, so memory does not grow with the number of answers.
"""

import datetime as dt
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from functools import partial
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditEvent
from diagnostic.models import Campaign
from lib.enqueue import enqueue, enqueue_on_commit

from .exports.campaign import (
    AnswersExporter,
    DepartmentReportExporter,
    DepartmentsExporter,
    Exporter,
    LiveReport,
    QuestionsExporter,
    RoleTargetsExporter,
    ScoresExporter,
    campaign_metadata,
)
from .exports.recording import record_export
from .exports.writers import write_csv, write_csv_batches
from .models import ExportJob
from .plan.exports import plan_exporters
from .tasks import build_package_task

INTEGER, NUMBER, STRING, DATETIME = "integer", "number", "string", "datetime"
PROGRESS_EVERY = 10_000  # rows between two progress reports
# Deflate level of the zip: 3 instead of zlib's default 6 compresses the 1,000-employee demo
# city's 5.3 MB of CSV in a third of the time (36 against 106 ms) for a zip 20% larger.
COMPRESSION = 3

# Every field of every file: (type, description). English, like the column names.
FIELDS: dict[str, tuple[str, str]] = {
    "department_code": (STRING, "Department code"),
    "name": (STRING, "Department name"),
    "parent_code": (STRING, "Code of the parent department; empty at the top"),
    "question_code": (STRING, "Question code"),
    "competency_code": (STRING, "Competency code (stable across framework versions)"),
    "area_code": (STRING, "Competency area code"),
    "kind": (STRING, "Question kind: self, knowledge or frequency"),
    "correct_option": (STRING, "Code of the correct option of a knowledge question"),
    "role_code": (STRING, "Job role code (the invitation's snapshot)"),
    "target_level": (INTEGER, "Target level 0..4 of the role in the competency"),
    "importance": (INTEGER, "Importance 1..3 of the competency for the role"),
    "respondent": (STRING, "Pseudonym of the respondent in this campaign, or employee number"),
    "value": (STRING, "Level (self, frequency) or the chosen option's code (knowledge)"),
    "correct": (INTEGER, "1 if a knowledge answer is correct, 0 if not; empty otherwise"),
    "submitted_at": (DATETIME, "When the response was submitted (UTC)"),
    "self_level": (NUMBER, "S: mean of the self-assessment values"),
    "knowledge_score": (NUMBER, "K: share of knowledge questions answered correctly"),
    "level": (NUMBER, "L: the competency level 0..4"),
    "target": (INTEGER, "T: the target level of the respondent's role"),
    "gap": (NUMBER, "max(0, T - L)"),
    "meets": (INTEGER, "1 if L >= T, else 0"),
    "usage": (NUMBER, "U: mean frequency of use 0..4"),
    "invited": (INTEGER, "People invited in the department's subtree"),
    "responded": (INTEGER, "Submitted responses in the subtree; empty when suppressed"),
    "suppressed": (INTEGER, "1 when fewer than the anonymity threshold responded"),
    "n": (INTEGER, "Respondents with the competency scored"),
    "mean_level": (NUMBER, "Mean level"),
    "median_level": (NUMBER, "Median level"),
    "mean_target": (NUMBER, "Mean target level"),
    "n_required": (INTEGER, "Respondents whose target is above 0"),
    "mean_gap": (NUMBER, "Mean gap over the required ones"),
    "pct_meeting": (NUMBER, "Per cent of the required ones meeting the target"),
    "mean_usage": (NUMBER, "Mean usage"),
    **{f"level_{b}": (INTEGER, f"Respondents whose level rounds down to {b}") for b in range(5)},
    "priority": (NUMBER, "Sum of gap x importance"),
    # The workforce plan's files (reports/plan/exports.py).
    "offering_code": (STRING, "Catalogue offering code; empty for an uncovered need"),
    "level_from": (INTEGER, "The offering's step starts at this level (included)"),
    "level_to": (INTEGER, "The offering's step ends at this level (excluded for bands)"),
    "hours": (NUMBER, "Hours per participant (catalogue) or in total (plan line)"),
    "cost_per_person": (NUMBER, "Cost per participant, MXN"),
    "cost_per_cohort": (NUMBER, "Fixed cost per group taught, MXN"),
    "capacity": (INTEGER, "Participants per cohort"),
    "plan_code": (STRING, "Workforce plan code"),
    "campaign_code": (STRING, "Code of the campaign the plan is built from"),
    "scope_code": (STRING, "Department whose subtree the plan covers; empty: the organisation"),
    "budget": (NUMBER, "Budget, MXN"),
    "status": (
        STRING,
        "Plan: draft, approved or closed; line: funded, over_budget, excluded or uncovered",
    ),
    "band": (INTEGER, "Level band floor(L), 0..3, of the people in need"),
    "participants": (INTEGER, "need(c, b): people required and below target in the band"),
    "cohorts": (INTEGER, "ceil(participants / capacity)"),
    "cost": (NUMBER, "cohorts x cost_per_cohort + participants x cost_per_person, MXN"),
    "choice": (STRING, "must_fund, excluded or empty"),
}
PRIMARY_KEYS = {
    "departments": ["department_code"],
    "questions": ["question_code"],
    "role_targets": ["role_code", "competency_code"],
    "department_report": ["department_code", "competency_code"],
}


def package_exporters(*, campaign: Campaign, open_data: bool, identified: bool) -> list[Exporter]:
    kinds = [DepartmentsExporter, QuestionsExporter, RoleTargetsExporter]
    if not open_data:
        kinds += [AnswersExporter, ScoresExporter]
    kinds.append(DepartmentReportExporter)
    live = LiveReport(campaign)  # departments.csv and department_report.csv share it
    exporters = [
        kind(campaign=campaign, identified=identified and not open_data, live=live)
        for kind in kinds
    ]
    return exporters + plan_exporters(campaign=campaign, open_data=open_data)


def resource(exporter: Exporter) -> dict:
    schema = {
        "fields": [
            {"name": h, "type": FIELDS[h][0], "description": FIELDS[h][1]} for h in exporter.headers
        ]
    }
    if exporter.name in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[exporter.name]
    return {
        "name": exporter.name.replace("_", "-"),
        "path": f"{exporter.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "schema": schema,
    }


def descriptor(*, campaign: Campaign, exporters: list[Exporter], open_data: bool) -> dict:
    return {
        "profile": "data-package",
        "name": f"campaign-{campaign.code}".lower().replace("_", "-"),
        "title": campaign.name,
        "description": (
            "Data Skills Diagnostic campaign "
            + ("(open data: aggregates only)" if open_data else "(with individual-level files)")
        ),
        "campaign": campaign_metadata(campaign=campaign),
        "resources": [
            {
                "name": "campaign",
                "path": "campaign.json",
                "format": "json",
                "mediatype": "application/json",
                "description": "The campaign: " + ", ".join(campaign_metadata(campaign=campaign)),
            },
            *(resource(e) for e in exporters),
        ],
    }


def build_package(
    *,
    campaign: Campaign,
    stream: IO[bytes],
    open_data: bool = False,
    identified: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the package to `stream`; return the number of data rows written.

    `progress` is told the per cent done as rows are written: the individual-level files,
    which are nearly all of a package, count their rows first (one COUNT each)."""
    exporters = package_exporters(campaign=campaign, open_data=open_data, identified=identified)
    expected = sum(e.count() for e in exporters if e.individual) or 1
    written = 0

    def counted(chunks):
        nonlocal written
        for text, rows in chunks:
            yield text, rows
            before, written = written, written + rows
            if progress and written // PROGRESS_EVERY > before // PROGRESS_EVERY:
                progress(min(99, int(100 * written / expected)))

    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as archive:
        archive.writestr(
            "campaign.json",
            json.dumps(campaign_metadata(campaign=campaign), ensure_ascii=False, indent=2),
        )
        for exporter in exporters:
            with archive.open(f"{exporter.name}.csv", "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                if exporter.individual:  # counted() adds to `written` as it goes
                    write_csv_batches(exporter.headers, counted(exporter.csv_batches()), text)
                else:
                    written += write_csv(exporter.headers, exporter.rows(), text)
                text.flush()
                text.detach()
        archive.writestr(
            "datapackage.json",
            json.dumps(
                descriptor(campaign=campaign, exporters=exporters, open_data=open_data),
                ensure_ascii=False,
                indent=2,
            ),
        )
    return written


class JobTakenOver(Exception):
    """Another worker claimed the job since this one did: this one stops and keeps nothing."""


def stalled_before(now=None):
    """A job untouched since this moment lost its task (never delivered, or its worker died)."""
    now = now or timezone.now()
    return now - dt.timedelta(minutes=settings.STALLED_JOB_MINUTES)


def stalled_jobs(*, now=None):
    """Jobs waiting or building with no sign of life since `STALLED_JOB_MINUTES`."""
    return ExportJob.objects.filter(
        status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING],
        updated_at__lt=stalled_before(now),
    )


def claim_job(*, job_id: int, takeover: bool = False) -> int | None:
    """Claim the job for this worker; returns the attempt number, None if it is not ours.

    A waiting or failed job is claimed; a building one only when its heartbeat is stale or
    `takeover` says its worker is known dead (the broker redelivered the task). The row is
    locked while deciding, so two workers never both claim it."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == ExportJob.Status.DONE:
            return None
        fresh = job.updated_at >= stalled_before()
        if job.status == ExportJob.Status.RUNNING and fresh and not takeover:
            return None
        job.status, job.progress, job.error = ExportJob.Status.RUNNING, 0, ""
        job.attempts += 1
        job.save(update_fields=["status", "progress", "error", "attempts", "updated_at"])
        return job.attempts


def _mine(job_id: int, attempt: int):
    return ExportJob.objects.filter(pk=job_id, attempts=attempt, status=ExportJob.Status.RUNNING)


def package_job_build(*, job_id: int, takeover: bool = False) -> bool:
    """Build the data package of an ExportJob, with its progress, and record the export.

    Idempotent and exactly once: the job is claimed (`claim_job`), each progress report is
    also a heartbeat that only the latest claim may write, and only the latest claim may mark
    it done, so a worker that lost the job (presumed dead, then back) stops and keeps
    nothing. A failure marks the job failed with its error and is raised again for the
    task's own logging. True when this call finished the job."""
    attempt = claim_job(job_id=job_id, takeover=takeover)
    if attempt is None:
        return False
    job = ExportJob.objects.select_related("campaign", "requested_by").get(pk=job_id)

    def progress(percent: int) -> None:
        if not _mine(job_id, attempt).update(progress=min(99, percent), updated_at=timezone.now()):
            raise JobTakenOver

    try:
        with tempfile.TemporaryFile() as stream:
            rows = build_package(
                campaign=job.campaign,
                stream=stream,
                open_data=job.open_data,
                identified=job.identified,
                progress=progress,
            )
            stream.seek(0)
            variant = "open-data" if job.open_data else "full"
            name = f"{job.campaign.code}-{variant}-{job.pk}-{attempt}.zip"
            job.file.save(name, File(stream), save=False)
    except JobTakenOver:
        return False
    except Exception as exc:
        _mine(job_id, attempt).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], updated_at=timezone.now()
        )
        raise
    with transaction.atomic():
        finished = _mine(job_id, attempt).update(
            file=job.file.name,
            status=ExportJob.Status.DONE,
            progress=100,
            rows=rows,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if not finished:
            transaction.on_commit(partial(job.file.storage.delete, job.file.name))
            return False
        record_export(
            campaign=job.campaign,
            what=job.export_name,
            rows=rows,
            user=job.requested_by,
            file_format="zip",
            identified=job.identified,
            job=job.pk,
        )
    return True


def package_request(*, campaign: Campaign, user, open_data: bool, identified: bool) -> ExportJob:
    """A waiting job, built by a task once the request commits, or by the sweeper
    (`resume_stalled_jobs`) if the broker cannot take the task now."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            campaign=campaign, requested_by=user, open_data=open_data, identified=identified
        )
        enqueue_on_commit(build_package_task, job.pk)
    return job


def package_job_retry(*, job: ExportJob, user, request=None) -> bool:
    """HR's retry of a failed job (or one stalled past `STALLED_JOB_MINUTES`): back to
    waiting, queued again, in the audit log. False, changing nothing, for any other job."""
    with transaction.atomic():
        retried = (
            ExportJob.objects.filter(pk=job.pk)
            .filter(Q(status=ExportJob.Status.FAILED) | Q(pk__in=stalled_jobs().values("pk")))
            .update(status=ExportJob.Status.PENDING, progress=0, updated_at=timezone.now())
        )
        if not retried:
            return False
        record(
            action=AuditEvent.Action.EXPORT,
            request=request,
            user=user,
            what="package_retry",
            campaign=job.campaign.code,
            job=job.pk,
        )
        enqueue_on_commit(build_package_task, job.pk)
    return True


def resume_stalled_jobs(*, now=None) -> int:
    """The sweeper: queue again every job whose task was lost. The task claims a stalled
    job (`claim_job`), so a duplicate costs nothing."""
    pks = list(stalled_jobs(now=now).values_list("pk", flat=True))
    for pk in pks:
        enqueue(build_package_task, pk)
    return len(pks)
