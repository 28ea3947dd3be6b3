"""Named lists and delivery (DESIGN.md "Named lists"): for each funded line of an approved
plan, the people it counted, and how their training went.

The named list is made once, when the plan is approved, from the same scores the line was
counted from, so its length is the line's participants and later answers do not move anyone
in or out. Only HR holding the identified permission reads it (Enrolment.objects.visible_to),
and every download is audit-logged; no manager page or export reads this table.

Delivery: seats filled = enrolled + completed; hours delivered = completed * the offering's
hours; cost executed = what the line's formula gives for the seats filled
(`ceil(seats / capacity) * cost_per_cohort + seats * cost_per_person`), against the planned cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent
from diagnostic.models import Competency, CompetencyScore
from lib.spreadsheets import read_table

from ..exports.recording import record_export
from .exceptions import PlanError
from .models import Enrolment, LineStatus, Plan, PlanLine
from .needs import _in_scope, band_expression

NAMED_LIST_HEADERS = [
    "offering_code",
    "competency_code",
    "band",
    "employee_number",
    "full_name",
    "email",
    "department_code",
    "state",
]


def create_enrolments(*, plan: Plan) -> int:
    """Planned enrolments for everyone counted by a funded line; running it again adds none.

    One INSERT ... SELECT: the people are read from the score table by the same filter as the
    needs (the ORM writes that SELECT) and joined to the plan's funded lines by competency
    code and band in the database, so no Python object is made per person (at 20,000
    respondents that was most of an approval). ON CONFLICT DO NOTHING is what
    bulk_create(ignore_conflicts=True) did, on PostgreSQL and SQLite alike."""
    people = (
        CompetencyScore.objects.filter(
            _in_scope("department__", plan.scope),
            campaign=plan.campaign,
            response__submitted_at__isnull=False,
            required=True,
            level__lt=F("target"),
        )
        .annotate(
            band=band_expression(),
            employee=F("response__invitation__employee_id"),
            department_code=F("department__code"),
        )
        .values("competency_id", "band", "employee", "department_code")
    )
    select, params = people.query.sql_with_params()
    enrolment, line = Enrolment._meta.db_table, PlanLine._meta.db_table
    competency = Competency._meta.db_table
    # The funded lines meet their competency's id first (a few rows), so the score rows
    # join on (competency id, band) without a join to the competency table each.
    sql = (
        f"INSERT INTO {enrolment} (line_id, employee_id, department_code, state, updated_at) "  # noqa: S608 - table names and the ORM's SELECT, values as parameters
        f"SELECT f.id, p.employee, p.department_code, %s, %s FROM ({select}) p "
        f"INNER JOIN (SELECT l.id, c.id AS competency_id, l.band FROM {line} l "
        f"INNER JOIN {competency} c ON c.code = l.competency_code AND c.framework_id = %s "
        "WHERE l.plan_id = %s AND l.status = %s) f "
        "ON f.competency_id = p.competency_id AND f.band = p.band "
        "WHERE 1 = 1 ON CONFLICT (line_id, employee_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                Enrolment.State.PLANNED,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                *params,
                plan.campaign.framework_id,
                plan.pk,
                LineStatus.FUNDED,
            ],
        )
        return cursor.rowcount


@dataclass
class Delivery:
    line: PlanLine
    planned: int
    enrolled: int
    completed: int
    withdrawn: int

    @property
    def seats_filled(self) -> int:
        return self.enrolled + self.completed

    @property
    def hours_delivered(self) -> Decimal:
        return self.completed * (self.line.unit_hours or 0)

    @property
    def cost_executed(self) -> Decimal:
        seats, line = self.seats_filled, self.line
        if not seats:
            return Decimal(0)
        return (
            math.ceil(seats / line.capacity) * line.cost_per_cohort + seats * line.cost_per_person
        )


def delivery(*, plan: Plan) -> list[Delivery]:
    """Per funded line, the states of its enrolments: two queries whatever the plan's size."""
    lines = plan.lines.filter(status=LineStatus.FUNDED).annotate(
        **{
            f"n_{state}": Count("enrolments", filter=Q(enrolments__state=state))
            for state in Enrolment.State.values
        }
    )
    return [
        Delivery(line, line.n_planned, line.n_enrolled, line.n_completed, line.n_withdrawn)
        for line in lines
    ]


@dataclass
class DepartmentCohorts:
    """One funded line's people in one department, delivered as that department's own
    cohorts: cohorts = ceil(people / capacity), seats = cohorts * capacity,
    cost = cohorts * cost_per_cohort + people * cost_per_person."""

    line: PlanLine
    department_code: str
    people: int

    @property
    def cohorts(self) -> int:
        return math.ceil(self.people / self.line.capacity)

    @property
    def seats(self) -> int:
        return self.cohorts * self.line.capacity

    @property
    def cost(self) -> Decimal:
        line = self.line
        return self.cohorts * line.cost_per_cohort + self.people * line.cost_per_person


def cohorts_by_department(*, plan: Plan) -> list[tuple[PlanLine, list[DepartmentCohorts]]]:
    """Per funded line, its named list split by the department each person was counted in
    (withdrawn people included: the split is of the line as approved). Two queries whatever
    the plan's size. Splitting can need more cohorts than the line's own total, which pools
    departments; both figures are shown."""
    lines = list(plan.lines.filter(status=LineStatus.FUNDED).order_by("position"))
    counts = (
        Enrolment.objects.filter(line__plan=plan)
        .values_list("line_id", "department_code")
        .annotate(people=Count("pk"))
        .order_by("line_id", "department_code")
    )
    split: dict[int, list[DepartmentCohorts]] = {line.pk: [] for line in lines}
    by_id = {line.pk: line for line in lines}
    for line_id, department, people in counts:
        if line_id in by_id:
            split[line_id].append(DepartmentCohorts(by_id[line_id], department, people))
    return [(line, split[line.pk]) for line in lines]


def named_list_rows(enrolments) -> list[list]:
    return [
        [
            e.line.offering_code,
            e.line.competency_code,
            e.line.band,
            e.employee.employee_number,
            e.employee.full_name,
            e.employee.email,
            e.department_code,
            e.state,
        ]
        for e in enrolments
    ]


def record_named_list(*, plan: Plan, rows: int, request) -> AuditEvent:
    return record_export(
        campaign=plan.campaign,
        what="named_list",
        rows=rows,
        user=request.user,
        request=request,
        identified=True,
        plan=plan.code,
    )


@transaction.atomic
def enrolment_set_state(*, enrolment: Enrolment, state: str) -> Enrolment:
    if state not in Enrolment.State.values:
        raise PlanError(_("“%(state)s” is not an enrolment state.") % {"state": state})
    enrolment.state = state
    enrolment.save(update_fields=["state", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_import(*, plan: Plan, data: bytes, filename: str) -> int:
    """Set enrolment states from a file (employee_number, offering_code, state), all or
    nothing: any problem, named by row and column, leaves every state as it was."""
    try:
        table = read_table(data, filename=filename)
    except ValueError as exc:
        raise PlanError(
            _("%(file)s: this is not a CSV or XLSX file.") % {"file": filename}
        ) from exc
    header = [c.strip().lower() for c in (table[0] if table else [])]
    missing = [c for c in ("employee_number", "offering_code", "state") if c not in header]
    if missing:
        raise PlanError(
            _("%(file)s, row 1: missing columns %(columns)s")
            % {"file": filename, "columns": ", ".join(missing)}
        )
    existing = {
        (e.employee.employee_number, e.line.offering_code): e
        for e in Enrolment.objects.filter(line__plan=plan).select_related("employee", "line")
    }
    errors, changes = [], []
    for number, cells in enumerate(table[1:], start=2):
        raw = dict(zip(header, cells, strict=False))
        if not any(cells):
            continue
        key = (raw.get("employee_number", ""), raw.get("offering_code", ""))
        enrolment = existing.get(key)
        if enrolment is None:
            errors.append(
                _("row %(row)s, column %(column)s: %(message)s")
                % {
                    "row": number,
                    "column": "employee_number",
                    "message": _("not on this plan's named list for that offering"),
                }
            )
        elif raw.get("state") not in Enrolment.State.values:
            errors.append(
                _("row %(row)s, column %(column)s: %(message)s")
                % {
                    "row": number,
                    "column": "state",
                    "message": _("“%(value)s” is not one of %(choices)s")
                    % {"value": raw.get("state", ""), "choices": ", ".join(Enrolment.State.values)},
                }
            )
        else:
            changes.append((enrolment, raw["state"]))
    if errors:
        raise PlanError(*errors)
    for enrolment, state in changes:
        enrolment_set_state(enrolment=enrolment, state=state)
    return len(changes)
