"""Built export files do not stay for ever: EXPORT_RETENTION_HOURS after a package is built,
its file is removed from the storage (STORAGES["default"], which several web machines share)
and the job is marked expired. The audit log keeps the record of the export."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import ExportJob


def expired_jobs(*, now: dt.datetime | None = None):
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    return ExportJob.objects.filter(
        status=ExportJob.Status.DONE, expired_at__isnull=True, finished_at__lt=cutoff
    )


def expire_exports(*, now: dt.datetime | None = None) -> int:
    """Remove the files of the jobs past their retention and mark them expired; running it
    again removes nothing more. Returns the number of jobs expired."""
    now = now or timezone.now()
    count = 0
    for job in expired_jobs(now=now).order_by("pk"):
        if job.file:
            job.file.delete(save=False)  # a file already gone is not an error
        job.file = ""
        job.expired_at = now
        job.save(update_fields=["file", "expired_at"])
        count += 1
    return count
