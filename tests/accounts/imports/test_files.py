"""Real-world roster and department files (tests/data/imports): each valid one imports with
its accents intact; each bad one is refused naming row and column, and nothing is written."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from accounts.exceptions import ImportFileError, ImportRefused
from accounts.imports import jobs
from accounts.imports.reading import parse_bool
from accounts.models import AuditEvent, Department, Employee
from tests.accounts.test_access import roster_state

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "imports"
EXPECTED = {
    "000123": ("José Núñez Peña", "jose.nunez@example.gob.mx", "ROADS", True, "Jefe de cuadrilla"),
    "000124": (
        "María Ángeles Güemes",
        "maria.guemes@example.gob.mx",
        "WELFARE",
        True,
        "Trabajadora social",
    ),
    "000125": ("Íñigo Muñoz", "", "WORKS", False, "Auxiliar"),
}


@pytest.fixture(autouse=True)
def _english():
    # The messages are asserted in English; the Spanish test says so itself.
    from django.utils import translation

    with translation.override("en"):
        yield


def plan_file(name: str, kind="roster", **kwargs):
    with (DATA / name).open("rb") as file:
        return jobs.read_plan(kind=kind, file=file, file_name=name, **kwargs)


def import_file(name: str, kind="roster", **kwargs):
    plan = plan_file(name, kind, **kwargs)
    return jobs.apply(kind=kind, plan=plan)


def plan_bytes(data: bytes, name="roster.csv", kind="roster"):
    return jobs.read_plan(kind=kind, file=ContentFile(data, name=name), file_name=name)


def roster():
    return {
        e.employee_number: (e.full_name, e.email, e.department.code, e.active, e.position)
        for e in Employee.objects.select_related("department")
    }


def messages(error) -> list[str]:
    return [str(m) for m in error.value.messages]


@pytest.mark.parametrize(
    "name",
    [
        "roster_utf8.csv",
        "roster_utf8_bom.csv",
        "roster_cp1252_semicolon.csv",
        "roster_utf16_tab.csv",
        "roster_header_variants.csv",
        "roster_trailing_spaces.csv",
        "roster_leading_zeros.xlsx",
    ],
)
def test_each_office_file_imports_with_accents_and_leading_zeros_intact(name, tree, general_role):
    counts = import_file(name)
    assert roster() == EXPECTED
    assert (counts["new"], counts["refused"]) == (3, 0)
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert (event.detail["file"], event.detail["rows"], event.detail["new"]) == (name, 3, 3)


def test_formula_cells_are_read_as_their_text_never_run(tree, general_role):
    import_file("roster_formulas.xlsx")
    ana = Employee.objects.get(employee_number="000123")
    assert ana.full_name == '=B3&" Peña"'
    assert ana.phone == "=1+1"
    assert ana.position == '=HYPERLINK("http://x.example")'
    # Blank cells are blank, never "None"; a boolean cell is a yes or no.
    maria = Employee.objects.get(employee_number="000124")
    assert (maria.email, maria.phone, maria.active) == ("", "", False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "roster_duplicates.csv",
            "Row 4, column A (employee_number): Employee number 000123 is also in row 2.",
        ),
        (
            "roster_unknown_department.csv",
            "Row 3, column E (department_code): There is no department with code “PARKS”.",
        ),
        ("roster_bad_active.csv", "Row 3, column H (active): “quizás” is not yes or no"),
    ],
)
def test_a_bad_row_is_refused_naming_row_and_column_and_nothing_is_written(
    name, expected, tree, general_role, settings
):
    before = roster_state()
    plan = plan_file(name)
    with pytest.raises(ImportRefused) as error:
        jobs.apply(kind="roster", plan=plan)
    assert any(message.startswith(expected) for message in messages(error)), messages(error)
    assert roster_state() == before
    assert not Employee.objects.exists()


def test_messages_are_in_spanish_on_a_spanish_page(tree, general_role):
    from django.utils import translation

    plan = plan_file("roster_duplicates.csv")
    with translation.override("es-mx"):
        text = str(plan.problems[0])
    assert text.startswith("Fila 4, columna A (employee_number): ")
    assert "también está en la fila 2" in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("roster_empty.csv", "The file is empty."),
        ("roster_headers_only.csv", "The file has its row of column names but no data rows."),
        ("roster_no_header.csv", "Row 1 must hold the column names"),
    ],
)
def test_a_file_without_rows_or_header_is_refused_with_a_clear_message(
    name, expected, tree, general_role
):
    before = roster_state()
    with pytest.raises(ImportFileError) as error:
        plan_file(name)
    assert messages(error)[0].startswith(expected)
    assert roster_state() == before


def test_a_missing_required_column_is_named(tree, general_role):
    with pytest.raises(ImportFileError) as error:
        plan_bytes(b"employee_number,full_name,role_code\nE1,Ana,GEN\n")
    assert messages(error) == [
        "Row 1 has no column department_code (also accepted: código de dependencia, "
        "clave de dependencia, dependencia)."
    ]


def test_a_binary_file_renamed_csv_is_refused(tree, general_role):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(ImportFileError) as error:
        plan_bytes(png, name="plantilla.csv")
    assert "neither a spreadsheet (.xlsx) nor a text file (CSV)" in messages(error)[0]


def test_an_old_xls_is_refused_with_what_to_do(tree, general_role):
    with pytest.raises(ImportFileError) as error:
        plan_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, name="plantilla.xls")
    assert "Save it as .xlsx or as CSV" in messages(error)[0]


def test_an_xlsx_zip_bomb_is_refused_from_its_directory_before_it_is_opened(
    tree, general_role, settings, monkeypatch
):
    settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = 5_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 50_000_000)
    assert len(buffer.getvalue()) < 200_000
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(ImportFileError) as error:
        plan_bytes(buffer.getvalue(), name="plantilla.xlsx")
    assert "unpacks to 50 MB, more than the 5 MB accepted" in messages(error)[0]


def test_an_oversized_file_is_refused_before_it_is_read(tree, general_role, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1_000_000

    class Unreadable(ContentFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    big = Unreadable(b"x" * 1_500_000, name="big.csv")
    with pytest.raises(ImportFileError) as error:
        jobs.read_plan(kind="roster", file=big, file_name="big.csv")
    assert messages(error) == ["The file is 1.5 MB; the largest file accepted is 1.0 MB."]


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("1", True),
        ("0", False),
        ("Sí", True),
        ("SI", True),
        ("no", False),
        ("Yes", True),
        ("TRUE", True),
        ("false", False),
        ("Verdadero", True),
        ("FALSO", False),
        ("maybe", None),
        ("2", None),
        ("activo", None),
    ],
)
def test_booleans_accept_the_words_offices_use_and_nothing_else(word, value):
    assert parse_bool(word) is value


def test_unknown_departments_are_created_when_hr_chooses_so(tree, general_role):
    counts = import_file("roster_unknown_department.csv", create_departments=True)
    parks = Department.objects.get(code="PARKS")
    assert (parks.name, parks.parent, counts["departments_created"]) == ("PARKS", None, 1)
    assert Employee.objects.get(employee_number="000124").department == parks


def test_reimport_deactivates_and_disables_the_account_but_keeps_the_person(tree, general_role):
    from tests.factories import EmployeeFactory, UserFactory

    user = UserFactory()
    EmployeeFactory(
        employee_number="000125",
        user=user,
        department=tree["WORKS"],
        job_role=general_role,
        full_name="Íñigo Muñoz",
        active=True,
    )
    counts = import_file("roster_utf8.csv")
    user.refresh_from_db()
    assert (counts["new"], counts["deactivated"]) == (2, 1)
    assert Employee.objects.get(employee_number="000125").active is False
    assert user.is_active is False
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EMPLOYEE_DEACTIVATED, detail__employee_number="000125"
    ).exists()


def test_department_file_builds_and_moves_the_tree(tree):
    counts = import_file("departments.csv", kind="departments")
    assert (counts["new"], counts["updated"]) == (2, 1)
    trees = Department.objects.get(code="TREES")
    assert trees.path == "/CITY/PARKS/TREES/"
    assert Department.objects.get(code="ROADS").name == "Vialidades y Tránsito"
    assert Department.objects.get(code="POTHOLES").path == "/CITY/WORKS/ROADS/POTHOLES/"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "departments_cycle.csv",
            "Row 2, column C (parent_code): This parent makes a cycle: PARKS → TREES → PARKS.",
        ),
        (
            "departments_unknown_parent.csv",
            "Row 3, column C (parent_code): There is no department with code “NOWHERE”",
        ),
    ],
)
def test_cycles_and_unknown_parents_are_refused_with_their_row(name, expected, tree):
    before = list(Department.objects.values_list("code", "path", "name"))
    plan = plan_file(name, kind="departments")
    with pytest.raises(ImportRefused) as error:
        jobs.apply(kind="departments", plan=plan)
    assert messages(error)[0].startswith(expected), messages(error)
    assert list(Department.objects.values_list("code", "path", "name")) == before


def test_a_cycle_through_the_existing_tree_is_refused(tree):
    plan = plan_bytes(
        b"department_code,name,parent_code\nWORKS,Obras,POTHOLES\n", kind="departments"
    )
    assert [p.params.get("chain") for p in plan.problems] == ["WORKS → POTHOLES → ROADS → WORKS"]
