"""HR imports the roster through the admin: a preview first, then all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Employee
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "employee_number,full_name,email,phone,department_code,role_code,position,active\n"
IMPORT_URL = reverse("admin:accounts_employee_import")
CONFIRM_URL = reverse("admin:accounts_employee_process_import")


def csv_format_index(response) -> str:
    form = response.context["form"]
    return next(value for value, label in form.fields["format"].choices if label == "csv")


def upload(client, text: str):
    page = client.get(IMPORT_URL)
    data = {
        "format": csv_format_index(page),
        "import_file": SimpleUploadedFile("plantilla.csv", text.encode("utf-8")),
    }
    return client.post(IMPORT_URL, data)


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM_URL, {name: form.initial[name] for name in form.fields})


@pytest.fixture
def hr_client(client, hr, tree, general_role):
    client.force_login(hr)
    return client


def test_import_shows_a_preview_and_writes_only_on_confirmation(hr_client, hr):
    text = HEADER + "E1,Ana López,ana@x.gob.mx,3312345678,ROADS,GEN,Bachera,1\n"
    preview = upload(hr_client, text)
    assert preview.status_code == 200
    assert not preview.context["result"].has_errors()
    assert Employee.objects.count() == 0
    response = confirm(hr_client, preview)
    assert response.status_code == 302
    employee = Employee.objects.get(employee_number="E1")
    assert (employee.department.code, employee.job_role.code) == ("ROADS", "GEN")
    event = AuditEvent.objects.get(action="import")
    assert event.user == hr
    assert event.detail == {"what": "roster", "new": 1, "updated": 0, "unchanged": 0}


def test_a_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(hr_client):
    text = (
        HEADER
        + "E1,Ana López,ana@x.gob.mx,,ROADS,GEN,Bachera,1\n"
        + "E2,Luis Pérez,luis@x.gob.mx,,NOWHERE,GEN,Chofer,1\n"
    )
    preview = upload(hr_client, text)
    result = preview.context["result"]
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2
    assert "department_code" in invalid.error_dict
    assert "NOWHERE" in str(invalid.error_dict["department_code"])
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert Employee.objects.count() == 0


def test_an_invalid_email_is_reported_in_its_column(hr_client):
    preview = upload(hr_client, HEADER + "E1,Ana López,not-an-email,,ROADS,GEN,,1\n")
    invalid = preview.context["result"].invalid_rows[0]
    assert "email" in invalid.error_dict
    assert Employee.objects.count() == 0


def test_reimport_updates_by_employee_number_and_deactivation_disables_the_account(
    hr_client, tree, general_role
):
    user = UserFactory()
    EmployeeFactory(
        employee_number="E7", user=user, department=tree["WORKS"], job_role=general_role
    )
    preview = upload(hr_client, HEADER + "E7,Rosa Cruz,rosa@x.gob.mx,,WELFARE,GEN,Trabajadora,0\n")
    confirm(hr_client, preview)
    employee = Employee.objects.get(employee_number="E7")
    user.refresh_from_db()
    assert (employee.department.code, employee.active, user.is_active) == ("WELFARE", False, False)
    assert Employee.objects.count() == 1


def test_roster_exports_in_the_import_format(hr_client, tree, general_role):
    EmployeeFactory(employee_number="E9", department=tree["ROADS"], job_role=general_role)
    from accounts.resources import EmployeeResource

    dataset = EmployeeResource().export()
    assert dataset.headers == HEADER.strip().split(",")
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (row["employee_number"], row["department_code"], row["role_code"]) == (
        "E9",
        "ROADS",
        "GEN",
    )
    assert io.StringIO(dataset.csv).read().startswith(HEADER.strip())
