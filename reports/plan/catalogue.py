"""The catalogue: offerings edited one at a time or imported from a CSV/XLSX file with a
preview, then all-or-nothing (the same care as the roster import, DESIGN.md "HR data
exchange"): every problem names the row as Excel numbers it (header = row 1) and the column.

An offering used by an approved plan never changes: saving different values for it makes a
new version (the old one stays, frozen, for the plans that use it), so a price change can
never reach an approved plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from diagnostic.models import Competency
from lib.spreadsheets import read_table

from .exceptions import CatalogueImportError
from .models import Offering

COLUMNS = [
    "offering_code",
    "title_es",
    "title_en",
    "provider",
    "format",
    "language",
    "hours",
    "cost_per_person",
    "cost_per_cohort",
    "capacity",
    "link",
    "competency_code",
    "level_from",
    "level_to",
]
REQUIRED = set(COLUMNS) - {"provider", "language", "link"}
FIELDS = [c for c in COLUMNS if c != "offering_code"]
MAX_TEXT = {"offering_code": 40, "title_es": 200, "title_en": 200, "provider": 200}


class Action:
    NEW = "new"
    UPDATED = "updated"
    NEW_VERSION = "new_version"  # the current version is frozen by an approved plan
    UNCHANGED = "unchanged"


@dataclass
class RowPlan:
    row: int  # as Excel numbers it
    code: str
    action: str
    values: dict


@dataclass
class Preview:
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def of(self, action: str) -> list[RowPlan]:
        return [r for r in self.rows if r.action == action]

    @property
    def ok(self) -> bool:
        return not self.errors


def _problem(row: int, column: str, message: str) -> str:
    if not row:  # one offering from the page: no file row to name
        return _("%(column)s: %(message)s") % {"column": column, "message": message}
    return _("row %(row)s, column %(column)s: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def _decimal(text: str) -> Decimal:
    cleaned = text.replace(" ", "").replace("$", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _integer(text: str) -> int:
    value = _decimal(text)
    if value != value.to_integral_value():
        raise InvalidOperation
    return int(value)


def clean_values(raw: dict[str, str], *, row: int, competency_codes: set[str]) -> tuple[dict, list]:
    """One offering's values from text cells, and the problems found (each with row, column)."""
    values, errors = {}, []

    def fail(column: str, message: str) -> None:
        errors.append(_problem(row, column, message))

    for column in COLUMNS:
        text = raw.get(column, "")
        if not text and column in REQUIRED:
            fail(column, _("a value is required"))
            continue
        if column in MAX_TEXT and len(text) > MAX_TEXT[column]:
            fail(column, _("at most %(n)s characters") % {"n": MAX_TEXT[column]})
        elif column == "format":
            if text not in Offering.Format.values:
                fail(
                    column,
                    _("“%(value)s” is not one of %(choices)s")
                    % {"value": text, "choices": ", ".join(Offering.Format.values)},
                )
        elif column in ("hours", "cost_per_person", "cost_per_cohort"):
            try:
                number = _decimal(text)
            except InvalidOperation:
                fail(column, _("“%(value)s” is not a number") % {"value": text})
                continue
            if number < 0 or (column == "hours" and number == 0):
                fail(
                    column,
                    _("must be more than zero") if column == "hours" else _("cannot be negative"),
                )
            elif number != number.quantize(Decimal("0.01")):
                fail(column, _("at most two decimal places"))
            text = number
        elif column in ("capacity", "level_from", "level_to"):
            try:
                text = _integer(text)
            except InvalidOperation:
                fail(column, _("“%(value)s” is not a whole number") % {"value": raw.get(column)})
                continue
            if column == "capacity" and text < 1:
                fail(column, _("must be at least 1"))
            if column != "capacity" and not 0 <= text <= 4:
                fail(column, _("levels go from 0 to 4"))
        elif column == "link" and text:
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                fail(column, _("“%(value)s” is not a web address") % {"value": text})
        elif column == "competency_code" and text not in competency_codes:
            fail(column, _("no competency with code “%(code)s”") % {"code": text})
        values[column] = text
    if not errors and values["level_from"] >= values["level_to"]:
        fail("level_to", _("must be above level_from"))
    values["language"] = values.get("language") or "es"
    return values, errors


def _differs(offering: Offering, values: dict) -> bool:
    return any(getattr(offering, name) != values[name] for name in FIELDS)


def _action(existing: Offering | None, values: dict, frozen: set[int]) -> str:
    if existing is None:
        return Action.NEW
    if not _differs(existing, values):
        return Action.UNCHANGED
    return Action.NEW_VERSION if existing.pk in frozen else Action.UPDATED


def catalogue_preview(*, data: bytes, filename: str) -> Preview:
    """What importing the file would do, row by row, and every problem in it."""
    preview = Preview()
    try:
        table = read_table(data, filename=filename)
    except ValueError:
        preview.errors.append(_("%(file)s: this is not a CSV or XLSX file.") % {"file": filename})
        return preview
    if not table or not any(table[0]):
        preview.errors.append(_("%(file)s: the file is empty.") % {"file": filename})
        return preview
    header = [cell.strip().lower() for cell in table[0]]
    missing = [c for c in COLUMNS if c in REQUIRED and c not in header]
    if missing:
        preview.errors.append(
            _("%(file)s, row 1: missing columns %(columns)s")
            % {"file": filename, "columns": ", ".join(missing)}
        )
        return preview
    current = {o.code: o for o in Offering.objects.current()}
    frozen = set(Offering.objects.current().in_approved_plans().values_list("pk", flat=True))
    competency_codes = set(Competency.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        raw = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        values, errors = clean_values(raw, row=number, competency_codes=competency_codes)
        code = raw.get("offering_code", "")
        if code and code in seen:
            errors.append(
                _problem(
                    number,
                    "offering_code",
                    _("“%(code)s” is already on row %(row)s") % {"code": code, "row": seen[code]},
                )
            )
        seen.setdefault(code, number)
        preview.errors.extend(errors)
        if not errors:
            action = _action(current.get(code), values, frozen)
            preview.rows.append(RowPlan(number, code, action, values))
    return preview


def _write(existing: Offering | None, values: dict, action: str) -> Offering | None:
    fields = {name: values[name] for name in FIELDS}
    if action == Action.NEW:
        return Offering.objects.create(code=values["offering_code"], **fields)
    if action == Action.UPDATED:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    if action == Action.NEW_VERSION:
        existing.current = False
        existing.save(update_fields=["current"])
        return Offering.objects.create(code=existing.code, version=existing.version + 1, **fields)
    return existing


@transaction.atomic
def catalogue_import(*, data: bytes, filename: str) -> Preview:
    """Import the file, all or nothing: a file with any problem changes nothing and raises
    CatalogueImportError with every problem."""
    preview = catalogue_preview(data=data, filename=filename)
    if not preview.ok:
        raise CatalogueImportError(*preview.errors)
    current = {o.code: o for o in Offering.objects.select_for_update().current()}
    for row in preview.rows:
        _write(current.get(row.code), row.values, row.action)
    return preview


@transaction.atomic
def offering_save(*, values: dict, competency_codes: set[str] | None = None) -> Offering:
    """Create or change one offering from text values (the page's form); an offering frozen
    by an approved plan gets a new version instead."""
    if competency_codes is None:
        competency_codes = set(Competency.objects.values_list("code", flat=True))
    cleaned, errors = clean_values(values, row=0, competency_codes=competency_codes)
    if errors:
        raise CatalogueImportError(*errors)
    existing = (
        Offering.objects.select_for_update().current().filter(code=cleaned["offering_code"]).first()
    )
    frozen = {existing.pk} if existing and existing.is_frozen() else set()
    return _write(existing, cleaned, _action(existing, cleaned, frozen))
