"""An import through a real Celery worker on a real broker (CI's PostgreSQL + Redis run):
previewed, then imported once even when its task is delivered twice."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.imports import jobs, tasks
from accounts.models import AuditEvent, Employee, ImportJob

pytestmark = [pytest.mark.worker]

CSV = "Número de empleado;Nombre;Dependencia;Rol\r\n000777;Rocío Ibáñez;ROADS;GEN\r\n"


def test_an_import_runs_in_the_worker_and_a_second_delivery_imports_nothing(
    celery_worker, tree, general_role, hr
):
    upload = SimpleUploadedFile("plantilla.csv", CSV.encode("cp1252"))
    job = jobs.import_start(kind="roster", upload=upload, by=hr)
    celery_worker.wait_for_tasks(1)
    job.refresh_from_db()
    assert (job.status, job.counts["new"]) == ("previewed", 1)

    celery_worker.mark()
    assert jobs.import_confirm(job=job)
    tasks.apply_import_task.delay(job.pk)
    celery_worker.wait_for_tasks(2)
    job.refresh_from_db()
    assert job.status == "done"
    assert Employee.objects.get(employee_number="000777").full_name == "Rocío Ibáñez"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).count() == 1
    assert ImportJob.objects.count() == 1
