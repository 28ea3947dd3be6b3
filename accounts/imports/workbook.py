"""The template workbook HR downloads: the import's columns on the first sheet (identifier
columns formatted as text, so Excel keeps leading zeros), and what each column takes on the
second, in the reader's language."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

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
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns = roster.COLUMNS if kind == "roster" else departments.COLUMNS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append([column.name for column in columns])
    for index, column in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22
        if column.identifier:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet(_("Instructions"))
    notes.append([_("Column"), _("What it takes")])
    texts = column_help()
    for column in columns:
        notes.append([column.name, texts[column.name]])
    notes.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_response(*, kind: str) -> HttpResponse:
    response = HttpResponse(template_workbook(kind=kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
