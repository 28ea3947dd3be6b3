"""Writers that turn an exporter's rows into CSV (UTF-8 with BOM, RFC 4180), XLSX or JSON.

Rows are written as they come, so memory does not grow with the number of rows. Formula
escaping and the CSV dialect are lib/spreadsheets.py's: one rule for every file people open
in a spreadsheet.
"""

import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC
from itertools import islice
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from lib import spreadsheets
from lib.spreadsheets import escape_formula

DECIMALS = 6


def timestamp(value) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


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


QUOTED = str.maketrans({'"': '""'})


def csv_cell(text: str) -> str:
    """A text cell as the csv module writes it (QUOTE_MINIMAL, CRLF): quoted when it holds a
    comma, a quote or a line break, quotes doubled."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.translate(QUOTED) + '"'
    return text


def csv_line(cells: list[str]) -> str:
    return ",".join(map(csv_cell, cells)) + "\r\n"


def text_rows(rows: Iterable[list]) -> Iterator[list[str]]:
    for row in rows:
        yield [cell_text(v) for v in row]


def batches(rows: Iterable[list], size: int) -> Iterator[list[list]]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def csv_chunks(
    headers: list[str], rows: Iterable[list], batch: int = 1000, *, escaped: bool = False
) -> Iterator[str]:
    """The CSV text in chunks of `batch` rows: a BOM, the header, then the rows. `escaped`:
    the rows are already text cells (an exporter's `text_rows()`)."""
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow(headers)
    for chunk in batches(rows if escaped else text_rows(rows), batch):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def write_csv(
    headers: list[str], rows: Iterable[list], stream: IO[str], *, escaped: bool = False
) -> int:
    """Write the CSV file; return the row count. `escaped` as for csv_chunks."""
    writer = spreadsheets.csv_writer(stream)
    writer.writerow(headers)
    count = 0
    for chunk in batches(rows if escaped else text_rows(rows), 2000):
        writer.writerows(chunk)
        count += len(chunk)
    return count


def write_csv_batches(
    headers: list[str], chunks: Iterable[tuple[str, int]], stream: IO[str]
) -> int:
    """Write the CSV file from an exporter's `csv_batches()`; return the row count."""
    stream.write(csv_head(headers))
    count = 0
    for text, rows in chunks:
        stream.write(text)
        count += rows
    return count


def csv_head(headers: list[str]) -> str:
    """The byte-order mark and the header line."""
    buffer = io.StringIO()
    spreadsheets.csv_writer(buffer).writerow(headers)
    return buffer.getvalue()


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
