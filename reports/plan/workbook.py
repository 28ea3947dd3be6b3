"""The committee's XLSX workbook: summary, needs, lines and uncovered needs, with headers in
the reader's language (it is read by people, not loaded by analysts: plan_lines.csv in the
data package is the coded file). Text from data is escaped against formula injection."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lib.spreadsheets import escape_formula

from .models import Choice, LineStatus
from .pages import PlanPage


def choice_label(line) -> str:
    return str(Choice(line.choice).label) if line.choice else ""


def status_label(line) -> str:
    return str(LineStatus(line.status).label)


def _cell(value):
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title=title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(v) for v in row])


def plan_workbook(page: PlanPage) -> bytes:
    plan, result = page.plan, page.result
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        _("Summary"),
        [_("Item"), _("Value")],
        [
            [_("Plan"), plan.name],
            [_("Code"), plan.code],
            [_("Campaign"), plan.campaign.code],
            [_("Scope"), plan.scope.name if plan.scope else _("Whole organisation")],
            [_("Status"), plan.get_status_display()],
            [_("Budget (MXN)"), result.budget],
            [_("Budget used (MXN)"), result.budget_used],
            [_("Cost of every covered line (MXN)"), result.total_cost],
            [_("Priority covered (%)"), page.priority_covered_pct],
            [_("People reached"), shown_count(result.people_reached, page.threshold)],
        ],
    )
    k = page.threshold
    _sheet(book, _("Needs"), need_headers(), _need_rows(result.lines, page.names, k))
    _sheet(
        book,
        _("Lines"),
        [
            _("Competency"),
            _("Level band"),
            _("Offering"),
            _("Participants"),
            _("Cohorts"),
            _("Hours"),
            _("Cost (MXN)"),
            _("Priority"),
            _("Choice"),
            _("Status"),
        ],
        [
            [
                line.competency_code,
                line.band,
                line.terms.code,
                shown_count(line.participants, k),
                line.cohorts,
                None if _small(line.participants, k) else line.hours,
                line.cost,
                line.priority,
                line.choice,
                line.status,
            ]
            for line in result.covered
        ],
    )
    _sheet(book, _("Uncovered needs"), need_headers(), _need_rows(result.uncovered, page.names, k))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def need_headers() -> list[str]:
    """The needs sheets' headers, translated when called (the reader's language)."""
    return [
        _("Competency"),
        _("Name"),
        _("Level band"),
        _("People"),
        _("Estimated headcount"),
        _("Priority"),
    ]


def _small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def shown_count(count: int, threshold: int) -> int | str:
    """A count of people as the plan pages show it: 1 to k-1 as "fewer than k"."""
    if _small(count, threshold):
        return _("fewer than %(k)s") % {"k": threshold}
    return count


def _need_rows(lines, names: dict[str, str], threshold: int) -> list[list]:
    """The needs sheet and the uncovered-needs sheet: one row per need; a need of fewer than
    k people shows as "fewer than k", without its headcount estimate."""
    return [
        [
            line.competency_code,
            names.get(line.competency_code, ""),
            line.band,
            shown_count(line.participants, threshold),
            None if _small(line.participants, threshold) else round(line.need.headcount, 1),
            line.priority,
        ]
        for line in lines
    ]
