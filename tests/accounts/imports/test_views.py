"""HR's import pages: upload, preview, confirm, all in the site's own look."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Department, Employee, ImportJob

pytestmark = pytest.mark.django_db

HEADER = "employee_number,full_name,email,phone,department_code,role_code,position,active\n"


class Client:
    """The test client, with the work each request queues on commit run as the worker would."""

    def __init__(self, client, capture):
        self.client, self.capture = client, capture

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def post(self, *args, **kwargs):
        with self.capture(execute=True):
            return self.client.post(*args, **kwargs)


@pytest.fixture
def hr_client(client, hr, tree, general_role, django_capture_on_commit_callbacks):
    client.force_login(hr)
    return Client(client, django_capture_on_commit_callbacks)


def upload(client, text: str, name="plantilla.csv", encoding="utf-8"):
    data = {"kind": "roster", "file": SimpleUploadedFile(name, text.encode(encoding))}
    return client.post(reverse("imports:start"), data)


def test_upload_previews_then_confirm_imports_and_audits(hr_client, hr):
    response = upload(hr_client, HEADER + "E1,Ana López,ana@x.gob.mx,,ROADS,GEN,Bachera,sí\n")
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", kwargs={"pk": job.pk})
    assert (job.status, job.counts["new"], job.requested_by) == ("previewed", 1, hr)
    assert not Employee.objects.exists()
    page = hr_client.get(response["Location"])
    assert "Ana López" in page.content.decode()
    response = hr_client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"
    assert Employee.objects.get(employee_number="E1").full_name == "Ana López"
    event = AuditEvent.objects.get(action="import")
    assert (event.user, event.detail["file"], event.detail["new"]) == (hr, "plantilla.csv", 1)
    # Confirming again imports nothing twice.
    hr_client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_a_bad_row_is_shown_with_its_excel_row_in_spanish_and_cannot_be_confirmed(hr_client):
    text = HEADER + "E1,Ana López,ana@x.gob.mx,,ROADS,GEN,,1\nE2,Luis,no-es-correo,,ROADS,GEN,,1\n"
    response = upload(hr_client, text)
    job = ImportJob.objects.get()
    assert job.status == "refused"
    body = hr_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "Fila 3, columna C (email)" in body
    assert "None" not in body
    hr_client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))
    assert not Employee.objects.exists()


def test_hr_can_choose_to_create_missing_departments(hr_client):
    response = upload(hr_client, HEADER + "E1,Ana,,,PARKS,GEN,,1\n")
    job = ImportJob.objects.get()
    assert (job.status, job.unknown_departments) == ("refused", ["PARKS"])
    assert "PARKS" in hr_client.get(response["Location"]).content.decode()
    hr_client.post(reverse("imports:recheck", kwargs={"pk": job.pk}), {"create_departments": "on"})
    job.refresh_from_db()
    assert (job.status, job.problem_count) == ("previewed", 0)
    hr_client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))
    assert Employee.objects.get(employee_number="E1").department == Department.objects.get(
        code="PARKS"
    )


def test_an_oversized_upload_is_refused_on_the_form(hr_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    response = upload(hr_client, HEADER + "E1,Ana,,,ROADS,GEN,,1\n" * 10)
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_a_semicolon_latin1_file_gives_no_traceback(hr_client):
    text = "Número de empleado;Nombre;Dependencia;Rol\nE1;Ana Peña;ROADS;GEN\n"
    response = upload(hr_client, text, encoding="cp1252")
    assert ImportJob.objects.get().status == "previewed"
    assert response.status_code == 302


def test_the_template_workbook_has_the_columns(hr_client):
    from openpyxl import load_workbook

    response = hr_client.get(reverse("imports:template", kwargs={"kind": "roster"}))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == HEADER.strip().split(",")
    assert sheet["A2"].number_format == "@"
    assert hr_client.get(reverse("imports:template", kwargs={"kind": "x"})).status_code == 404


def test_a_job_whose_task_was_lost_is_resumed(hr_client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.imports import jobs, tasks

    monkeypatch.setattr(
        tasks.preview_import_task, "delay", lambda pk: (_ for _ in ()).throw(OSError("broker down"))
    )
    response = upload(hr_client, HEADER + "E1,Ana,,,ROADS,GEN,,1\n")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "pending"
    monkeypatch.undo()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    assert jobs.resume_import_jobs() == 1
    job.refresh_from_db()
    assert job.status == "previewed"


def test_pages_issue_the_same_queries_whatever_the_size_of_the_file(hr_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(rows: int) -> int:
        text = HEADER + "".join(f"E{n},Nombre {n},,,NOWHERE,GEN,,1\n" for n in range(rows))
        response = upload(hr_client, text)
        with CaptureQueriesContext(connection) as job_page:
            assert hr_client.get(response["Location"]).status_code == 200
        with CaptureQueriesContext(connection) as start_page:
            assert hr_client.get(reverse("imports:start")).status_code == 200
        return len(job_page), len(start_page)

    small = queries_for(2)
    assert queries_for(300) == small
