"""The catalogue import: preview, problems with row and column, all-or-nothing, versions."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from reports.plan.catalogue import COLUMNS, catalogue_import, catalogue_preview
from reports.plan.exceptions import CatalogueImportError
from reports.plan.models import Offering
from reports.plan.plans import plan_approve, plan_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


ROW = {
    "offering_code": "PY1",
    "title_es": "Análisis con Python",
    "title_en": "Analysis with Python",
    "provider": "Universidad",
    "format": "course",
    "language": "es",
    "hours": "12",
    "cost_per_person": "500",
    "cost_per_cohort": "2000",
    "capacity": "10",
    "link": "https://example.org/py",
    "competency_code": "C1",
    "level_from": "0",
    "level_to": "3",
}


def csv_bytes(*rows, delimiter=",", encoding="utf-8-sig", header=COLUMNS):
    lines = [delimiter.join(header)]
    lines += [delimiter.join(str({**ROW, **row}[c]) for c in header) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_a_clean_file_previews_then_imports(results):
    data = csv_bytes({}, {"offering_code": "SQL1", "competency_code": "C2"})
    preview = catalogue_preview(data=data, filename="catalogo.csv")
    assert preview.ok and [r.action for r in preview.rows] == ["new", "new"]
    assert not Offering.objects.exists()  # a preview writes nothing
    catalogue_import(data=data, filename="catalogo.csv")
    assert sorted(Offering.objects.values_list("code", "cost_per_person")) == [
        ("PY1", Decimal(500)),
        ("SQL1", Decimal(500)),
    ]


def test_problems_name_the_excel_row_and_column_and_nothing_is_written(results):
    data = csv_bytes(
        {},
        {"offering_code": "B", "cost_per_person": "mucho"},
        {"offering_code": "C", "level_from": "3", "level_to": "2"},
        {"offering_code": "D", "competency_code": "ZZ9", "format": "lecture"},
        {"offering_code": "PY1"},
    )
    with pytest.raises(CatalogueImportError) as caught:
        catalogue_import(data=data, filename="catalogo.csv")
    messages = [str(m) for m in caught.value.messages]
    assert messages == [
        "row 3, column cost_per_person: “mucho” is not a number",
        "row 4, column level_to: must be above level_from",
        "row 5, column format: “lecture” is not one of "
        "course, workshop, mentoring, self_study, community",
        "row 5, column competency_code: no competency with code “ZZ9”",
        "row 6, column offering_code: “PY1” is already on row 2",
    ]
    assert not Offering.objects.exists()


def test_a_missing_column_is_named(results):
    header = [c for c in COLUMNS if c != "capacity"]
    preview = catalogue_preview(data=csv_bytes({}, header=header), filename="c.csv")
    assert [str(m) for m in preview.errors] == ["c.csv, row 1: missing columns capacity"]


def test_excel_csv_in_windows_1252_with_semicolons_and_spaced_headers(results):
    header = [f" {c.upper()} " for c in COLUMNS]
    lines = [";".join(header), ";".join(f" {ROW[c]} " for c in COLUMNS)]
    data = "\r\n".join(lines).encode("cp1252")
    catalogue_import(data=data, filename="c.csv")
    assert Offering.objects.get().title_es == "Análisis con Python"


def test_xlsx_with_numbers_stored_as_numbers(results):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    sheet.append(
        [
            {"hours": 12.0, "capacity": 10, "level_from": 0, "level_to": 3}.get(c, ROW[c])
            for c in COLUMNS
        ]
    )
    out = io.BytesIO()
    book.save(out)
    catalogue_import(data=out.getvalue(), filename="catalogo.xlsx")
    offering = Offering.objects.get()
    assert (offering.hours, offering.capacity, offering.level_to) == (Decimal(12), 10, 3)


def test_a_file_that_is_not_a_spreadsheet_is_refused(results):
    preview = catalogue_preview(data=b"PK\x03\x04garbage", filename="c.xlsx")
    assert [str(m) for m in preview.errors] == ["c.xlsx: this is not a CSV or XLSX file."]


def test_reimport_updates_unused_offerings_and_versions_frozen_ones(results, hr):
    catalogue_import(data=csv_bytes({}, {"offering_code": "SQL1"}), filename="c.csv")
    plan_approve(plan=plan_create(code="p", name="Plan", campaign=results), by=hr)
    # PY1 serves C1 needs of the approved plan, SQL1 too (same step): PY1 wins on the code tie.
    data = csv_bytes({"cost_per_person": "700"}, {"offering_code": "SQL1"}, {"offering_code": "N"})
    preview = catalogue_preview(data=data, filename="c.csv")
    assert [(r.code, r.action) for r in preview.rows] == [
        ("PY1", "new_version"),
        ("SQL1", "unchanged"),
        ("N", "new"),
    ]
    catalogue_import(data=data, filename="c.csv")
    assert list(Offering.objects.filter(code="PY1").values_list("version", "current")) == [
        (2, True),
        (1, False),
    ]
    assert Offering.objects.get(code="PY1", version=1).cost_per_person == Decimal(500)


def test_the_command_previews_imports_and_refuses_like_the_page(results, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good = tmp_path / "catalogo.csv"
    good.write_bytes(csv_bytes({}, {"offering_code": "SQL1", "competency_code": "C2"}))
    out = StringIO()
    call_command("import_catalogue", str(good), "--dry-run", stdout=out)
    assert (
        "row 2 PY1: new" in out.getvalue() and "Would import catalogo.csv: new 2" in out.getvalue()
    )
    assert not Offering.objects.exists()
    call_command("import_catalogue", str(good), stdout=StringIO())
    assert sorted(Offering.objects.values_list("code", flat=True)) == ["PY1", "SQL1"]

    bad = tmp_path / "malo.csv"
    bad.write_bytes(csv_bytes({"offering_code": "X", "cost_per_person": "mucho"}))
    page = catalogue_preview(data=bad.read_bytes(), filename="malo.csv").errors
    for flags in ([], ["--dry-run"]):
        with pytest.raises(CommandError) as caught:
            call_command("import_catalogue", str(bad), *flags, stdout=StringIO())
        assert str(caught.value).splitlines() == page
    assert sorted(Offering.objects.values_list("code", flat=True)) == ["PY1", "SQL1"]
    with pytest.raises(CommandError):
        call_command("import_catalogue", str(tmp_path / "none.csv"))


def edit_values(**changes):
    return {k: v for k, v in ROW.items() if k != "offering_code"} | changes


def test_the_edit_form_shows_the_offering_and_changes_an_unused_one_in_place(client_as, results):
    from django.urls import reverse

    offering = catalogue_import(data=csv_bytes({}), filename="c.csv") and Offering.objects.get()
    client = client_as("hr")
    url = reverse("reports:plan_offering_edit", args=["PY1"])
    page = client.get(url).content.decode()
    assert 'value="Análisis con Python"' in page and 'value="500.00"' in page
    catalogue = client.get(reverse("reports:plan_catalogue")).content.decode()
    assert url in catalogue
    response = client.post(url, edit_values(cost_per_person="650", title_en="Python analysis"))
    assert response.status_code == 302
    stored = Offering.objects.get()
    assert (stored.pk, stored.version, stored.cost_per_person, stored.title_en) == (
        offering.pk,
        1,
        Decimal(650),
        "Python analysis",
    )


def test_editing_an_offering_an_approved_plan_uses_makes_a_new_version(client_as, results, hr):
    from django.urls import reverse

    from reports.plan.models import PlanLine
    from reports.plan.plans import plan_approve, plan_create

    catalogue_import(data=csv_bytes({}), filename="c.csv")
    plan = plan_approve(plan=plan_create(code="p", name="P", campaign=results), by=hr)
    frozen_costs = list(PlanLine.objects.filter(plan=plan).values_list("cost", flat=True))
    url = reverse("reports:plan_offering_edit", args=["PY1"])
    assert client_as("hr").post(url, edit_values(cost_per_person="900")).status_code == 302
    old, new = Offering.objects.order_by("version")
    assert (old.version, old.current, old.cost_per_person) == (1, False, Decimal(500))
    assert (new.version, new.current, new.cost_per_person) == (2, True, Decimal(900))
    used = PlanLine.objects.filter(plan=plan, offering__isnull=False)
    assert set(used.values_list("offering_id", flat=True)) == {old.pk}
    assert list(PlanLine.objects.filter(plan=plan).values_list("cost", flat=True)) == frozen_costs
    # The old version is not editable any more: only current offerings have the form.
    assert client_as("hr").get(url).content.decode().count("(versión 2)") == 1


def test_bad_values_in_the_edit_form_are_named_in_spanish_and_nothing_changes(client_as, results):
    from django.urls import reverse

    catalogue_import(data=csv_bytes({}), filename="c.csv")
    before = list(Offering.objects.values())
    url = reverse("reports:plan_offering_edit", args=["PY1"])
    with translation.override("es-mx"):
        response = client_as("hr").post(
            url, edit_values(hours="mucho", level_to="0"), HTTP_ACCEPT_LANGUAGE="es-MX"
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert "hours: “mucho” no es un número" in body, body[body.find("alert-danger") :][:600]
    assert list(Offering.objects.values()) == before
    assert (
        client_as("hr").get(reverse("reports:plan_offering_edit", args=["NOPE"])).status_code == 404
    )


def test_the_catalogue_template_reads_back_through_the_import(client_as, results):
    """Downloaded from the catalogue page in the reader's language, filled in Excel's way
    (codes as text, numbers as numbers), it previews and imports cleanly."""
    from django.urls import reverse
    from openpyxl import load_workbook

    client = client_as("hr")
    url = reverse("reports:plan_catalogue_template")
    assert url in client.get(reverse("reports:plan_catalogue")).content.decode()
    with translation.override("es-mx"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="es-MX")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet, notes = book.worksheets
    assert [c.value for c in sheet[1]] == COLUMNS
    assert notes.title == "Instrucciones"
    assert [r[0] for r in notes.iter_rows(min_row=2, values_only=True)] == COLUMNS
    assert all(r[1] for r in notes.iter_rows(min_row=2, values_only=True))
    code_column = COLUMNS.index("offering_code") + 1
    assert sheet.cell(row=2, column=code_column).number_format == "@"
    values = {**ROW, "offering_code": "007", "hours": 12, "cost_per_person": 500, "capacity": 10}
    values |= {"cost_per_cohort": 2000, "level_from": 0, "level_to": 3}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=2, column=index).value = values[column]
    filled = io.BytesIO()
    book.save(filled)
    preview = catalogue_preview(data=filled.getvalue(), filename="plantilla.xlsx")
    assert preview.ok, preview.errors
    catalogue_import(data=filled.getvalue(), filename="plantilla.xlsx")
    assert Offering.objects.get().code == "007"
