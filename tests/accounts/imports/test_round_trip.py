"""A generated roster imported then exported gives the same rows; importing it twice changes
nothing (DESIGN.md "HR data exchange")."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.imports import jobs
from accounts.imports.roster import EXPORT_COLUMNS, roster_rows
from accounts.models import Employee

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]), max_size=30
).map(lambda t: " ".join(t.split()))
ROW = st.fixed_dictionaries(
    {
        "employee_number": st.from_regex(r"0{0,3}[0-9]{1,6}", fullmatch=True),
        "full_name": TEXT.filter(bool),
        "email": st.sampled_from(["", "ana@example.gob.mx", "luis.perez@dif.gob.mx"]),
        "phone": st.sampled_from(["", "3312345678", "+52 33 1234 5678"]),
        "department_code": st.sampled_from(["CITY", "WORKS", "ROADS", "WELFARE"]),
        "role_code": st.just("GEN"),
        "position": TEXT,
        "active": st.sampled_from(["1", "0"]),
    }
)
ROSTERS = st.lists(ROW, min_size=1, max_size=15, unique_by=lambda r: r["employee_number"])
DELIMITERS = st.sampled_from([",", ";", "\t"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])


def as_file(rows, delimiter, encoding) -> ContentFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([row[c] for c in EXPORT_COLUMNS] for row in rows)
    return ContentFile(buffer.getvalue().encode(encoding), name="roster.csv")


def import_rows(rows, delimiter=",", encoding="utf-8") -> dict:
    file = as_file(rows, delimiter, encoding)
    plan = jobs.read_plan(kind="roster", file=file, file_name="roster.csv")
    return jobs.apply(kind="roster", plan=plan)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROSTERS, delimiter=DELIMITERS, encoding=ENCODINGS)
def test_import_then_export_gives_the_same_rows_and_a_second_import_changes_nothing(
    tree, general_role, rows, delimiter, encoding
):
    Employee.objects.all().delete()
    counts = import_rows(rows, delimiter, encoding)
    assert counts["new"] == len(rows)
    expected = sorted([row[c] for c in EXPORT_COLUMNS] for row in rows)
    assert sorted(roster_rows()) == expected
    before = list(Employee.objects.order_by("pk").values_list())
    again = import_rows(rows, delimiter, encoding)
    assert (again["new"], again["updated"], again["deactivated"]) == (0, 0, 0)
    assert again["unchanged"] == len(rows)
    assert list(Employee.objects.order_by("pk").values_list()) == before
