"""The roster import: a plan of what a file would change, then all of it or nothing.

`plan_roster` reads every row against the database as it stands (three queries whatever the
file's size) and sorts each employee into new, updated, deactivated or unchanged, and each
problem into a `Problem` naming row and column. `apply_roster` writes a plan without problems
in one transaction, with bulk statements. People who left are deactivated (`active` = 0),
never deleted, so their past responses stay; a deactivated person's account is disabled, as
`accounts.roster.sync_account_status` does one at a time. Views, the Celery task, the
management command and the admin all come through here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from .. import audit
from ..exceptions import ImportRefused
from ..models import AuditEvent, Department, Employee, JobRole, User
from .reading import Column, Problem, Table, parse_bool

COLUMNS = (
    Column(
        "employee_number",
        (
            "número de empleado",
            "numero_empleado",
            "no. empleado",
            "num_empleado",
            "empleado",
            "nómina",
            "número",
            "employee no",
            "employee id",
        ),
        required=True,
        identifier=True,
    ),
    Column(
        "full_name", ("nombre completo", "nombre", "name", "nombre del empleado"), required=True
    ),
    Column("email", ("correo electrónico", "correo", "e-mail", "email address", "mail")),
    Column("phone", ("teléfono", "telefono_celular", "celular", "telephone")),
    Column(
        "department_code",
        (
            "código de dependencia",
            "clave de dependencia",
            "dependencia",
            "departamento",
            "department",
            "clave_departamento",
        ),
        required=True,
    ),
    Column("role_code", ("código de rol", "clave de rol", "rol", "role"), required=True),
    Column("position", ("puesto", "cargo", "job title")),
    Column("active", ("activo", "activa", "vigente", "is active")),
)
FIELDS = ("full_name", "email", "phone", "department_id", "job_role_id", "position", "active")
PROGRESS_EVERY = 2_000
BATCH = 1_000
SAMPLE = 20
MAX_LENGTHS = {
    "employee_number": 40,
    "full_name": 200,
    "email": 254,
    "phone": 40,
    "position": 200,
}


@dataclass
class Plan:
    """What a file would do. `new` and `updated` hold field values ready to write;
    `departments_to_create` the unknown codes HR chose to create."""

    file_name: str
    rows: int = 0
    new: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    departments_to_create: list[str] = field(default_factory=list)
    unknown_departments: list[str] = field(default_factory=list)
    samples: dict[str, list[dict]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "updated": len(self.updated) - len(self.deactivated),
            "deactivated": len(self.deactivated),
            "unchanged": self.unchanged,
            "refused": len({p.row for p in self.problems}),
            "departments_created": len(self.departments_to_create),
        }

    def sample(self, kind: str, row: int, values: dict) -> None:
        kept = self.samples.setdefault(kind, [])
        if len(kept) < SAMPLE:
            kept.append({"row": row, **values})


def plan_roster(
    *,
    table: Table,
    create_departments: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> Plan:
    """Check every row of `table` and work out what importing it would change."""
    plan = Plan(file_name=table.file_name)
    departments = dict(Department.objects.values_list("code", "pk"))
    roles = dict(JobRole.objects.values_list("code", "pk"))
    existing = {
        number: (pk, (name, email, phone, dept, role, position, active))
        for pk, number, name, email, phone, dept, role, position, active in (
            Employee.objects.values_list("pk", "employee_number", *FIELDS)
        )
    }
    seen: dict[str, int] = {}
    unknown: dict[str, int] = {}
    for row in table.rows:
        plan.rows += 1
        if on_progress and plan.rows % PROGRESS_EVERY == 0:
            on_progress(plan.rows)
        values, problems = check_row(table, row, departments, roles, seen, unknown)
        if create_departments:
            problems = [p for p in problems if p.message != UNKNOWN_DEPARTMENT]
        if problems:
            plan.problems.extend(problems)
            continue
        sort_row(plan, row, values, existing)
    plan.unknown_departments = sorted(unknown)
    if create_departments:
        plan.departments_to_create = sorted(unknown)
    return plan


UNKNOWN_DEPARTMENT = gettext_noop(
    "There is no department with code “%(code)s”. Add it to the department tree first, or "
    "choose to create the missing departments."
)


def check_row(table, row, departments, roles, seen, unknown) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []

    def refuse(column: str, message: str, **params) -> None:
        problems.append(table.problem(message, row=row.number, column=column, **params))

    number = row["employee_number"]
    for name in ("employee_number", "full_name", "department_code", "role_code"):
        if not row[name]:
            refuse(name, gettext_noop("This cell is required and is empty."))
    for name, limit in MAX_LENGTHS.items():
        if len(row[name]) > limit:
            refuse(name, gettext_noop("At most %(limit)s characters."), limit=limit)
    if number in seen:
        refuse(
            "employee_number",
            gettext_noop("Employee number %(number)s is also in row %(other)s."),
            number=number,
            other=seen[number],
        )
    elif number:
        seen[number] = row.number
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            refuse(
                "email", gettext_noop("“%(value)s” is not an e-mail address."), value=row["email"]
            )
    department_id = departments.get(row["department_code"])
    if row["department_code"] and department_id is None:
        unknown.setdefault(row["department_code"], row.number)
        refuse("department_code", UNKNOWN_DEPARTMENT, code=row["department_code"])
    role_id = roles.get(row["role_code"])
    if row["role_code"] and role_id is None:
        refuse(
            "role_code",
            gettext_noop("There is no job role with code “%(code)s”."),
            code=row["role_code"],
        )
    active = parse_bool(row["active"]) if row["active"] else True
    if active is None:
        refuse(
            "active",
            gettext_noop(
                "“%(value)s” is not yes or no: write 1 or 0, sí or no, yes or no, true or false, "
                "verdadero or falso."
            ),
            value=row["active"],
        )
    values = {
        "employee_number": number,
        "full_name": row["full_name"],
        "email": row["email"],
        "phone": row["phone"],
        "department_id": department_id,
        "department_code": row["department_code"],
        "job_role_id": role_id,
        "position": row["position"],
        "active": active,
    }
    return values, problems


def sort_row(plan: Plan, row, values: dict, existing: dict) -> None:
    number = values["employee_number"]
    display = {"code": number, "name": values["full_name"]}
    if number not in existing:
        plan.new.append(values)
        plan.sample("new", row.number, display)
        return
    pk, current = existing[number]
    wanted = tuple(values[name] for name in FIELDS)
    if values["department_id"] is None:  # a department this import creates
        wanted = (*wanted[:3], -1, *wanted[4:])
    if wanted == current:
        plan.unchanged += 1
        return
    plan.updated.append({**values, "pk": pk})
    was_active = current[-1]
    if was_active and not values["active"]:
        plan.deactivated.append(number)
        plan.sample("deactivated", row.number, display)
        return
    if values["active"] and not was_active:
        plan.reactivated.append(number)
    changed = [name for name, old, new in zip(FIELDS, current, wanted, strict=True) if old != new]
    plan.sample("updated", row.number, {**display, "changed": changed})


def apply_roster(*, plan: Plan, by=None, request=None) -> dict[str, int]:
    """Write `plan` in one transaction, or nothing if it has problems (ImportRefused)."""
    if plan.problems:
        raise ImportRefused(*plan.problems)
    with transaction.atomic():
        created = create_departments(plan.departments_to_create)
        now = timezone.now()
        Employee.objects.bulk_create(
            [employee_from(values, created, pk=None) for values in plan.new], batch_size=BATCH
        )
        updated = [employee_from(values, created, pk=values["pk"]) for values in plan.updated]
        for employee in updated:
            employee.updated_at = now
        Employee.objects.bulk_update(updated, [*FIELDS, "updated_at"], batch_size=BATCH)
        sync_accounts(deactivated=plan.deactivated, reactivated=plan.reactivated)
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    action=AuditEvent.Action.EMPLOYEE_DEACTIVATED,
                    user=by if by is not None and by.is_authenticated else None,
                    username=by.get_username() if by is not None and by.is_authenticated else "",
                    detail={"employee_number": number, "file": plan.file_name},
                )
                for number in plan.deactivated
            ],
            batch_size=BATCH,
        )
        counts = plan.counts()
        audit.record(
            action=AuditEvent.Action.IMPORT,
            request=request,
            user=by,
            what="roster",
            file=plan.file_name,
            **counts,
        )
    return counts


def create_departments(codes: list[str]) -> dict[str, int]:
    """The departments HR chose to create: at the top of the tree, named by their code until
    someone names them."""
    created = {}
    for code in codes:
        department = Department(code=code, name=code)
        department.save()
        created[code] = department.pk
    return created


def employee_from(values: dict, created: dict[str, int], *, pk) -> Employee:
    department_id = values["department_id"] or created[values["department_code"]]
    return Employee(
        pk=pk,
        employee_number=values["employee_number"],
        full_name=values["full_name"],
        email=values["email"],
        phone=values["phone"],
        department_id=department_id,
        job_role_id=values["job_role_id"],
        position=values["position"],
        active=values["active"],
    )


def sync_accounts(*, deactivated: list[str], reactivated: list[str]) -> None:
    """Accounts follow the roster, administrators excepted (a file cannot lock them out)."""
    for numbers, active in ((deactivated, False), (reactivated, True)):
        for start in range(0, len(numbers), BATCH):
            User.objects.filter(
                employee__employee_number__in=numbers[start : start + BATCH], is_superuser=False
            ).exclude(is_active=active).update(is_active=active)


EXPORT_COLUMNS = [column.name for column in COLUMNS]


def roster_rows(queryset=None):
    """The roster in the import's own columns: what an export gives and an import takes."""
    queryset = Employee.objects.all() if queryset is None else queryset
    rows = queryset.order_by("employee_number").values_list(
        "employee_number",
        "full_name",
        "email",
        "phone",
        "department__code",
        "job_role__code",
        "position",
        "active",
    )
    for *text, active in rows.iterator(chunk_size=BATCH):
        yield [*text, "1" if active else "0"]
