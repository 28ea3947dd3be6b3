"""The template workbook HR downloads: the import's columns on the first sheet (identifier
columns formatted as text, so Excel keeps leading zeros), and what each column takes on the
second, in the reader's language."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib import spreadsheets

from . import departments, roster

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def column_help() -> dict[str, str]:
    return {
        "employee_number": _("Required. The payroll number, unique; written as text."),
        "full_name": _("Required. Name and surnames."),
        "email": _("E-mail address, where the invitation is sent. May be empty."),
        "phone": _("Phone number. May be empty."),
        "department_code": _("Required. The code of a department of the tree."),
        "role_code": _("Required. The code of a job role."),
        "position": _("The job title as payroll names it. May be empty."),
        "active": _("1 or 0, sí or no, yes or no. Empty means yes; 0 deactivates the person."),
        "name": _("Required. The department's name."),
        "parent_code": _("The code of the department above it; empty at the top of the tree."),
    }


def template_workbook(*, kind: str) -> bytes:
    columns = roster.COLUMNS if kind == "roster" else departments.COLUMNS
    texts = column_help()
    return spreadsheets.template_workbook(
        title=kind,
        columns=[column.name for column in columns],
        text_columns={column.name for column in columns if column.identifier},
        notes_title=_("Instructions"),
        notes_header=[_("Column"), _("What it takes")],
        notes=[[column.name, texts[column.name]] for column in columns],
    )


def template_response(*, kind: str) -> HttpResponse:
    response = HttpResponse(template_workbook(kind=kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
