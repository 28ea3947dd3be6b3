"""Reading roster and department files as offices produce them (DESIGN.md "HR data exchange").

One function, `read_table`, turns an uploaded CSV or XLSX into rows of trimmed text keyed by
the column's own name, each row carrying its number as Excel shows it (the header is row 1).
What it accepts:

- CSV in UTF-8 with or without a byte-order mark, UTF-16 (with its mark, as Excel's "Unicode
  text" writes it), and Windows-1252 / Latin-1 from Excel; a file that is valid UTF-8 is read as
  UTF-8, anything else as Windows-1252 (Latin-1 for the five bytes Windows-1252 leaves undefined).
- A comma, semicolon or tab delimiter, whichever the header row holds most of (outside quotes).
- XLSX, whatever the file is called: the content decides, not the name. The first sheet is read
  with openpyxl in read-only mode; formula cells are read as their text (`=A1&B1`), never run;
  a number in an identifier column keeps the width its cell format shows (`000123`), and is
  otherwise written without a decimal point.
- Header names in any case, with accents or without, spaces or underscores, in Spanish or in
  English (`Número de empleado`, `employee number`); columns the import does not know are
  ignored. Blank cells are blank (never "None"), blank rows are skipped.

Limits, checked before anything is parsed: the upload's size (`IMPORT_MAX_UPLOAD_BYTES`) and,
for XLSX, the uncompressed size the zip directory declares (`IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES`).
Python's zipfile never inflates a member past the size its directory entry declares, so a bomb
that lies in its directory is stopped at the same limit.
"""

import csv
import io
import itertools
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from ..exceptions import ImportFileError

DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\x0c"}
TRUE_WORDS = {"1", "sí", "si", "yes", "true", "verdadero"}
FALSE_WORDS = {"0", "no", "false", "falso"}


@dataclass(frozen=True)
class Column:
    """A column an import reads: its name in the file format (English, like every export), the
    other names people give it, whether a file must have it, and whether it is an identifier
    whose digits are text (employee numbers: leading zeros matter)."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    identifier: bool = False

    def names(self) -> set[str]:
        return {header_key(n) for n in (self.name, *self.aliases)}


@dataclass(frozen=True)
class Problem:
    """What is wrong and where: the Excel row, the column as the file names it (with its
    letter), and a message. The message is kept untranslated with its values and translated
    when shown, so a preview made by a worker reads in the language of whoever opens it."""

    message: str
    params: dict = field(default_factory=dict)
    row: int | None = None
    column: str = ""
    letter: str = ""

    def text(self) -> str:
        return gettext(self.message) % self.params if self.params else gettext(self.message)

    def place(self) -> str:
        if self.row and self.column:
            return gettext("Row %(row)s, column %(letter)s (%(column)s)") % self.as_dict()
        if self.row:
            return gettext("Row %(row)s") % {"row": self.row}
        return ""

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.text()}" if place else self.text()

    def as_dict(self) -> dict:
        return {
            "message": self.message,
            "params": self.params,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Problem":
        return cls(**data)


def file_error(message: str, **params) -> ImportFileError:
    return ImportFileError(Problem(message, params))


@dataclass
class Row:
    number: int
    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class Table:
    """The file's rows, read lazily: iterate `rows` once. `headers` maps each known column to
    the header text the file gives it and its letter, for messages."""

    file_name: str
    headers: dict[str, tuple[str, str]]
    rows: Iterator[Row]
    estimated_rows: int

    def problem(self, message: str, *, row: int, column: str = "", **params) -> Problem:
        header, letter = self.headers.get(column, (column, ""))
        return Problem(message, params, row=row, column=header, letter=letter)


def header_key(text: str) -> str:
    """`Número de  Empleado ` and `numero_de_empleado` are the same header."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return "_".join(words)


def parse_bool(value: str) -> bool | None:
    """True or False for the words offices use (1/0, sí/no, si/no, yes/no, true/false,
    verdadero/falso, in any case); None for anything else, which the caller refuses."""
    word = value.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def read_table(*, file: IO[bytes], file_name: str, columns: Sequence[Column]) -> Table:
    """Read `file` (CSV or XLSX) into a Table of the known `columns`, or raise ImportFileError
    saying what is wrong with the file as a whole."""
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, io.SEEK_END)
    file.seek(0)
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise file_error(
            gettext_noop("The file is %(size)s MB; the largest file accepted is %(limit)s MB."),
            size=round(size / 1_000_000, 1),
            limit=round(limit / 1_000_000, 1),
        )
    data = file.read()
    if not data.strip():
        raise file_error(gettext_noop("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        lines, estimated = xlsx_lines(data, columns)
    elif data.startswith(OLE_MAGIC):
        raise file_error(
            gettext_noop(
                "This is an old Excel (.xls) workbook. Save it as .xlsx or as CSV and upload "
                "it again."
            )
        )
    else:
        text = decode(data)
        lines, estimated = csv_lines(text), text.count("\n")
    return table_from_lines(file_name, lines, columns, estimated)


def decode(data: bytes) -> str:
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise not_text() from None
    if b"\x00" in data:
        raise not_text()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS)
    if controls:
        raise not_text()
    return text


def not_text() -> ImportFileError:
    return file_error(
        gettext_noop(
            "The file is neither a spreadsheet (.xlsx) nor a text file (CSV): it may be a "
            "different kind of file with a .csv name. Save the roster from Excel as .xlsx or "
            "as CSV and upload it again."
        )
    )


def csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=lambda d: outside_quotes(first).count(d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error:
        raise ImportFileError(
            Problem(
                gettext_noop("A quotation mark is not closed; the row cannot be read."),
                row=number + 1,
            )
        ) from None


def outside_quotes(line: str) -> str:
    return "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)


def xlsx_lines(data: bytes, columns: Sequence[Column]):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        uncompressed = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise not_xlsx() from None
    limit = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES
    if uncompressed > limit:
        raise file_error(
            gettext_noop(
                "The workbook unpacks to %(size)s MB, more than the %(limit)s MB accepted: it "
                "is not an ordinary roster. Save it again from Excel, or as CSV."
            ),
            size=round(uncompressed / 1_000_000),
            limit=round(limit / 1_000_000),
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        estimated = sheet.max_row or 0
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError):
        raise not_xlsx() from None
    return xlsx_rows(workbook, sheet, columns), estimated


def not_xlsx() -> ImportFileError:
    return file_error(
        gettext_noop(
            "The file looks like a spreadsheet but cannot be opened as .xlsx. Open it in Excel, "
            "save it as .xlsx or CSV, and upload it again."
        )
    )


def xlsx_rows(workbook, sheet, columns) -> Iterator[tuple[int, list]]:
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, list(cells)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise not_xlsx() from None
    finally:
        workbook.close()


def cell_text(cell, identifier: bool) -> str:
    """A cell as the text the person sees in Excel; numbers without ".0", formulas as text."""
    value = getattr(cell, "value", cell)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number_format = getattr(cell, "number_format", "") or ""
        if identifier and number_format and set(number_format) == {"0"}:
            return str(value).zfill(len(number_format))
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def table_from_lines(file_name, lines, columns: Sequence[Column], estimated: int) -> Table:
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        raise file_error(gettext_noop("The file is empty."))
    number, header_cells = first
    headers = match_headers([cell_text(c, False) for c in header_cells], columns)
    identifiers = {c.name for c in columns if c.identifier}
    positions = {name: index for name, (_, _, index) in headers.items()}

    def rows() -> Iterator[Row]:
        for number, cells in lines:
            values = {
                name: cell_text(cells[index], name in identifiers) if index < len(cells) else ""
                for name, index in positions.items()
            }
            if any(values.values()):
                yield Row(number, values)

    iterator = rows()
    head = next(iterator, None)
    if head is None:
        raise file_error(gettext_noop("The file has its row of column names but no data rows."))
    labels = {name: (text, letter) for name, (text, letter, _) in headers.items()}
    return Table(file_name, labels, itertools.chain([head], iterator), max(estimated - 1, 1))


def match_headers(cells: list[str], columns: Sequence[Column]) -> dict:
    from openpyxl.utils import get_column_letter

    found: dict[str, tuple[str, str, int]] = {}
    for index, text in enumerate(cells):
        key = header_key(text)
        column = next((c for c in columns if key and key in c.names()), None)
        if column is None:
            continue
        if column.name in found:
            raise file_error(
                gettext_noop("Columns %(first)s and %(second)s both hold %(column)s."),
                first=found[column.name][1],
                second=get_column_letter(index + 1),
                column=column.name,
            )
        found[column.name] = (text, get_column_letter(index + 1), index)
    if not found:
        raise file_error(
            gettext_noop(
                "Row 1 must hold the column names (%(names)s), but none of them was found; "
                "it reads: %(first)s. Add a row of column names at the top."
            ),
            names=", ".join(c.name for c in columns),
            first=", ".join(c for c in cells[:4] if c) or "—",
        )
    missing = [c.name for c in columns if c.required and c.name not in found]
    if missing:
        raise ImportFileError(
            *(
                Problem(
                    gettext_noop("Row 1 has no column %(column)s (also accepted: %(aliases)s)."),
                    {"column": name, "aliases": aliases_of(columns, name)},
                )
                for name in missing
            )
        )
    return found


def aliases_of(columns, name: str) -> str:
    column = next(c for c in columns if c.name == name)
    return ", ".join(column.aliases[:3])
