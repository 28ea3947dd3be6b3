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
import re
from collections.abc import Iterable
from typing import IO

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
