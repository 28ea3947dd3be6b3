"""The department import: the tree's codes, names and parents, checked as a whole.

A parent may be a department already in the database or one further down the same file. The
tree the file would leave is checked before anything is written: an unknown parent or a cycle
(A under B under A, or a department under itself) is refused with the row that makes it.
Departments the file does not mention are left as they are; none is ever deleted. Parents are
written before their children, and a moved department takes its subtree with it
(`Department.save`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext_noop

from .. import audit
from ..exceptions import ImportRefused
from ..models import AuditEvent, Department
from .reading import Column, Problem, Table

COLUMNS = (
    Column(
        "department_code",
        ("código", "clave", "código de dependencia", "clave de dependencia", "code"),
        required=True,
        identifier=True,
    ),
    Column(
        "name",
        ("nombre", "nombre de la dependencia", "dependencia", "department name"),
        required=True,
    ),
    Column(
        "parent_code",
        ("código superior", "clave superior", "dependencia superior", "padre", "parent"),
        identifier=True,
    ),
)


@dataclass
class Plan:
    file_name: str
    rows: int = 0
    new: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    samples: dict[str, list[dict]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "updated": len(self.updated),
            "deactivated": 0,
            "unchanged": self.unchanged,
            "refused": len({p.row for p in self.problems}),
        }


def plan_departments(
    *, table: Table, on_progress: Callable[[int], None] | None = None, **kwargs
) -> Plan:
    """Check every row of `table` and the tree it would leave."""
    plan = Plan(file_name=table.file_name)
    existing = {
        code: (name, parent or "")
        for code, name, parent in Department.objects.values_list("code", "name", "parent__code")
    }
    rows: dict[str, tuple[int, str, str]] = {}
    for row in table.rows:
        plan.rows += 1
        problems = check_row(table, row, rows)
        if problems:
            plan.problems.extend(problems)
            continue
        rows[row["department_code"]] = (row.number, row["name"], row["parent_code"])
    parents = {code: parent for code, (_, parent) in existing.items()}
    parents.update({code: parent for code, (_, _, parent) in rows.items()})
    for code, (number, _name, parent) in rows.items():
        problem = tree_problem(table, number, code, parent, parents)
        if problem:
            plan.problems.append(problem)
    if plan.problems:
        plan.problems.sort(key=lambda p: p.row or 0)
        return plan
    for code, (number, name, parent) in rows.items():
        display = {"code": code, "name": name}
        if code not in existing:
            plan.new.append({"code": code, "name": name, "parent": parent})
            plan.samples.setdefault("new", []).append({"row": number, **display})
        elif existing[code] != (name, parent):
            plan.updated.append({"code": code, "name": name, "parent": parent})
            plan.samples.setdefault("updated", []).append({"row": number, **display})
        else:
            plan.unchanged += 1
    plan.order = sorted(rows, key=lambda code: depth(code, parents))
    return plan


def check_row(table, row, rows) -> list[Problem]:
    problems = []

    def refuse(column: str, message: str, **params) -> None:
        problems.append(table.problem(message, row=row.number, column=column, **params))

    code = row["department_code"]
    for name in ("department_code", "name"):
        if not row[name]:
            refuse(name, gettext_noop("This cell is required and is empty."))
    for name in ("department_code", "parent_code"):
        if row[name]:
            try:
                validate_slug(row[name])
            except ValidationError:
                refuse(
                    name,
                    gettext_noop(
                        "“%(value)s” is not a code: use letters without accents, digits, "
                        "hyphens and underscores, without spaces."
                    ),
                    value=row[name],
                )
    if len(code) > 40:
        refuse("department_code", gettext_noop("At most %(limit)s characters."), limit=40)
    if len(row["name"]) > 200:
        refuse("name", gettext_noop("At most %(limit)s characters."), limit=200)
    if code in rows:
        refuse(
            "department_code",
            gettext_noop("Department %(code)s is also in row %(other)s."),
            code=code,
            other=rows[code][0],
        )
    return problems


def tree_problem(table, number, code, parent, parents) -> Problem | None:
    if not parent:
        return None
    if parent not in parents:
        return table.problem(
            gettext_noop(
                "There is no department with code “%(code)s”, neither in the file nor in the "
                "department tree."
            ),
            row=number,
            column="parent_code",
            code=parent,
        )
    chain, current = [code], parent
    while current:
        chain.append(current)
        if current == code:
            return table.problem(
                gettext_noop("This parent makes a cycle: %(chain)s."),
                row=number,
                column="parent_code",
                chain=" → ".join(chain),
            )
        if len(chain) > len(parents) + 1:
            return None  # a cycle further up, reported on its own rows
        current = parents.get(current, "")
    return None


def depth(code: str, parents: dict[str, str]) -> int:
    levels, current = 0, parents.get(code, "")
    while current:
        levels += 1
        current = parents.get(current, "")
    return levels


def apply_departments(*, plan: Plan, by=None, request=None) -> dict[str, int]:
    """Write `plan` in one transaction, parents first, or nothing if it has problems."""
    if plan.problems:
        raise ImportRefused(*plan.problems)
    changes = {change["code"]: change for change in (*plan.new, *plan.updated)}
    with transaction.atomic():
        for code in plan.order:
            change = changes.get(code)
            if change is None:
                continue
            # Fetched afresh: moving a parent rewrites the paths below it.
            department = Department.objects.filter(code=code).first() or Department(code=code)
            department.name = change["name"]
            department.parent = (
                Department.objects.get(code=change["parent"]) if change["parent"] else None
            )
            department.save()
        counts = plan.counts()
        audit.record(
            action=AuditEvent.Action.IMPORT,
            request=request,
            user=by,
            what="departments",
            file=plan.file_name,
            **counts,
        )
    return counts


def department_rows():
    rows = Department.objects.order_by("path").values_list("code", "name", "parent__code")
    for code, name, parent in rows:
        yield [code, name, parent or ""]
