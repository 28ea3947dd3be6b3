import tempfile

from celery import shared_task
from django.core.files import File
from django.utils import timezone

from .exports.recording import record_export
from .models import ExportJob
from .packages import build_package


@shared_task
def build_package_task(job_id: int) -> None:
    """Build a data package for an ExportJob; a job already built is left as it is."""
    claimed = ExportJob.objects.filter(
        pk=job_id, status__in=[ExportJob.Status.PENDING, ExportJob.Status.FAILED]
    ).update(status=ExportJob.Status.RUNNING, progress=0, error="")
    if not claimed:
        return
    job = ExportJob.objects.select_related("campaign", "requested_by").get(pk=job_id)

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=min(99, percent))

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
            job.file.save(f"{job.campaign.code}-{variant}-{job.pk}.zip", File(stream), save=False)
    except Exception as exc:
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(exc))
        raise
    job.status, job.progress, job.rows = ExportJob.Status.DONE, 100, rows
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "progress", "rows", "finished_at"])
    record_export(
        campaign=job.campaign,
        what="package-open-data" if job.open_data else "package",
        rows=rows,
        user=job.requested_by,
        file_format="zip",
        identified=job.identified,
    )
