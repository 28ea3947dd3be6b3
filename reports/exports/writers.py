"""Writers that turn an exporter's rows into CSV (UTF-8 with BOM, RFC 4180), XLSX or JSON.

Rows are written as they come, so memory does not grow with the number of rows. Formula
escaping and the CSV dialect are lib/spreadsheets.py's: one rule for every file people open
in a spreadsheet.
"""

import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lib import spreadsheets
from lib.spreadsheets import escape_formula

DECIMALS = 6


def cell_text(value: Any) -> str:
    """A value as CSV text: decimals with six places, booleans as 1/0, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.{DECIMALS}f}"
    if isinstance(value, str):
        return escape_formula(value)
    return str(value)


def text_rows(rows: Iterable[list]) -> Iterator[list[str]]:
    for row in rows:
        yield [cell_text(v) for v in row]


def csv_chunks(headers: list[str], rows: Iterable[list], batch: int = 1000) -> Iterator[str]:
    """The CSV text in chunks of `batch` rows: a BOM, the header, then the rows."""
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow(headers)
    for count, row in enumerate(text_rows(rows), start=1):
        writer.writerow(row)
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(headers: list[str], rows: Iterable[list], stream: IO[str]) -> int:
    return spreadsheets.write_csv(stream, headers=headers, rows=text_rows(rows))


def write_xlsx(headers: list[str], rows: Iterable[list], stream: IO[bytes], title: str) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    count = 0
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, bool):
                value = int(value)
            elif isinstance(value, str):
                value = escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
            elif isinstance(value, float):
                value = round(value, DECIMALS)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, float):
                cell.number_format = "0.0000##"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(stream)
    return count


def json_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, DECIMALS)
    return value


def write_json(headers: list[str], rows: Iterable[list], stream: IO[str]) -> int:
    """A JSON array of objects keyed by the same column names, written row by row."""
    stream.write("[")
    count = 0
    for row in rows:
        if count:
            stream.write(",")
        stream.write("\n")
        json.dump(dict(zip(headers, map(json_value, row), strict=True)), stream, ensure_ascii=False)
        count += 1
    stream.write("\n]\n")
    return count
