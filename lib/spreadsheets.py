"""Files people open in Excel, LibreOffice or Google Sheets: one rule for all of them.

Formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
(or their full-width forms, which some spreadsheets fold to ASCII) may be run as a formula, so
it gets an apostrophe in front, which the spreadsheet shows as text. A cell that is only a
number or a phone number (`-3.5`, `+52 33 1234 5678`) is left as it is: it holds no function
call or reference, and a quote in front would break the tools that read such columns.
django-import-export's own option strips only a leading `=`, so this is the project's code.

CSV is UTF-8 with a byte-order mark (so Excel reads accents), RFC 4180 quoting and CRLF line
ends; it reads back unchanged with Python's `csv` module.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from typing import IO

from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NUMBER_LIKE = re.compile(r"^[+-]?[0-9][0-9 ().-]*$")
BOM = "\ufeff"


def escape_formula(value: str) -> str:
    """`value`, with an apostrophe in front if a spreadsheet could run it as a formula."""
    if value.startswith(FORMULA_STARTS) and not NUMBER_LIKE.match(value):
        return "'" + value
    return value


def csv_writer(stream: IO[str]):
    """A csv writer for `stream` that has already written the byte-order mark."""
    stream.write(BOM)
    return csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def write_csv(stream: IO[str], *, headers: list[str], rows: Iterable[list[str]]) -> int:
    """Write `headers` and `rows` (text cells, already escaped) as CSV; return the row count."""
    writer = csv_writer(stream)
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def read_table(data: bytes, *, filename: str) -> list[list[str]]:
    """The rows of a CSV or XLSX file as offices produce them, header first, every cell text
    with surrounding spaces removed.

    CSV: UTF-8 with or without a byte-order mark, else Windows-1252 (Excel's "CSV" on Windows);
    comma or semicolon, whichever the header uses more. XLSX: the first sheet, numbers written
    back as Excel shows them (`12.0` is `12`). Raises ValueError when the file is neither."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in rows]


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, IndexError) as exc:
        raise ValueError("not an XLSX workbook") from exc
    return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def template_workbook(
    *,
    title: str,
    columns: list[str],
    text_columns: set[str],
    notes_title: str,
    notes_header: list[str],
    notes: list[list[str]],
) -> bytes:
    """An import template: the column names in bold on the first sheet, the `text_columns`
    formatted as text for the first thousand rows (so Excel keeps a code's leading zeros),
    and what each column takes on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(columns)
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        sheet.column_dimensions[header.column_letter].width = 22
        if column in text_columns:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet_of_notes = book.create_sheet(notes_title)
    for row in [notes_header, *notes]:
        sheet_of_notes.append(row)
    sheet_of_notes.column_dimensions["A"].width = 22
    sheet_of_notes.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
