"""`import_roster` and `import_departments`: the page's code path, exiting non-zero with the
same messages on refusal."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Department, Employee
from tests.accounts.test_access import roster_state

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data" / "imports"


def test_dry_run_writes_nothing(tree, general_role, capsys):
    before = roster_state()
    call_command("import_roster", str(DATA / "roster_cp1252_semicolon.csv"), "--dry-run")
    assert "Would import roster_cp1252_semicolon.csv: rows 3, new 3" in capsys.readouterr().out
    assert roster_state() == before


def test_import_roster_imports(tree, general_role):
    call_command("import_roster", str(DATA / "roster_utf16_tab.csv"))
    assert Employee.objects.get(employee_number="000124").full_name == "María Ángeles Güemes"


def test_a_refused_file_exits_non_zero_naming_row_and_column(tree, general_role):
    before = roster_state()
    with pytest.raises(CommandError) as error:
        call_command("import_roster", str(DATA / "roster_duplicates.csv"))
    assert "roster_duplicates.csv: " in str(error.value)
    assert "(employee_number)" in str(error.value)
    assert roster_state() == before


def test_create_departments_option(tree, general_role):
    call_command(
        "import_roster", str(DATA / "roster_unknown_department.csv"), "--create-departments"
    )
    assert Department.objects.filter(code="PARKS").exists()


def test_import_departments(tree):
    call_command("import_departments", str(DATA / "departments.csv"))
    assert Department.objects.get(code="TREES").path == "/CITY/PARKS/TREES/"
    with pytest.raises(CommandError):
        call_command("import_departments", str(DATA / "departments_cycle.csv"))
