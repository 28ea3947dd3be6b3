"""Secondary suppression: a release is audited before anyone reads it, and hides more until
the audit passes (DESIGN.md "Privacy: who may see a figure").

The release rule and complementary suppression (reports/releases.py) protect a department
against its shown parts and a group against its earlier releases. They do not see every
combination of the two-way table: a department's role cell, minus another department's total,
plus that department's other role cell, can leave one person. So every release is handed, on
plain data, to the independent auditor (reports/disclosure.py, which shares no code with the
suppression), with everything a reader can see together: the groups of this release and of
every earlier release of the campaign. While it finds a group of 1 to k - 1 people, the shown
groups of this release that its combination uses are candidates to hide; the one hidden is a
role cell before a department total (a page without a department's total is worse than one
without a role), then the one with fewest people, then the lower code. Hiding one figure can
open a remainder, so complementary suppression runs again before the next audit.

The audit runs once per *family* of figures with its own count: the groups (`responded`), and
each competency's cells (`n`). A family whose figures and truth are those of one already
audited in this release is not audited again (with nobody skipping a competency, all 25
competencies are the groups' family).

The reader the audit assumes is stronger than the one DESIGN.md describes: besides every
figure, they know which direct (department, role, release) atoms hold nobody, as a manager
who knows who did not take part would. Those atoms are left out of the audit, as known to be
empty. A table safe against that reader is safe against the weaker one (every set of people
the weaker reader can isolate, the stronger one can too), and it is the model under which the
proof is fast: without empty atoms every candidate holds people, so no search can wander
through combinations of nobody (benchmarks/disclosure.py).

Figures over a subset of a cell's people (`n_required` for `mean_gap`, `pct_meeting` and
`priority`; `mean_usage`) obey the subset rules of the aggregation, and are not audited here:
`n_usage` is not shown, so no sum over it can be formed, and `n_required` is left to those
rules (noted in issue 9).

If the audit cannot finish within its budget for a family (AuditTooLarge), that family's new
role cells are hidden, and if it still cannot, all its new figures: never a pass on trust. A
finding whose groups were all shown by earlier releases cannot be fixed by this one:
`UnsafeReleaseError`, and the release fails rather than publish.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from diagnostic.exceptions import DiagnosticError

from .disclosure import AuditTooLarge, Group, audit
from .suppression import ORGANISATION

Key = tuple[int, int | None, int | None]

BUDGET = 200_000  # branches per audit of one family


class UnsafeReleaseError(DiagnosticError):
    """Earlier releases already let a reader isolate fewer than k people."""


@dataclass
class AuditSummary:
    """What the audit of one release found and cost, kept on the release for HR."""

    rounds: int = 0
    audits: int = 0
    hidden: int = 0
    fallbacks: int = 0
    largest: int = 0  # classes of the largest family audited
    seconds: float = 0.0
    passed: bool = False
    hidden_keys: set = field(default_factory=set)

    def as_json(self) -> dict:
        return {
            "passed": self.passed,
            "rounds": self.rounds,
            "audits": self.audits,
            "hidden": self.hidden,
            "fallbacks": self.fallbacks,
            "classes": self.largest,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class History:
    """Everything the audit needs of the earlier releases, release 1 first: the count each
    key showed and the release its figures come from, and the true count of every key."""

    shown: list[dict[Key, int]]
    origins: list[dict[Key, int]]
    truth: list[dict[Key, int]]


def family_inputs(
    *,
    family: int | None,
    shown_now: dict[Key, int],
    origins_now: dict[Key, int],
    truth_now: dict[Key, int],
    history: History,
    parents: dict[int, int],
    department_codes: dict[int, str],
    role_codes: dict[int, str],
) -> tuple[dict, list[Group], dict[Group, Key]]:
    """The auditor's table for one family (None: the groups; else a competency id): the
    people-holding atoms with their counts, every group a reader sees (this release's new
    ones mapped back to their keys), over department and role codes."""
    truths = [*history.truth, truth_now]
    children: dict[int, list[int]] = defaultdict(list)
    for department, parent in parents.items():
        children[parent].append(department)
    cells: dict[tuple[str, str, int], int] = {}
    previous: dict[tuple[int, int], int] = defaultdict(int)
    for number, truth in enumerate(truths, 1):
        for department in parents:
            for role in role_codes:
                direct = truth.get((department, role, family), 0) - sum(
                    truth.get((child, role, family), 0) for child in children[department]
                )
                new = direct - previous[(department, role)]
                previous[(department, role)] = direct
                if new > 0:
                    cells[(department_codes[department], role_codes[role], number)] = new
    shown: dict[Group, None] = {}
    new_keys: dict[Group, Key] = {}
    number_now = len(history.shown) + 1
    releases = [*zip(history.shown, history.origins, strict=True), (shown_now, origins_now)]
    for number, (counts, origins) in enumerate(releases, 1):
        for key in counts:
            department, role, competency = key
            if competency != family:
                continue
            group = Group(department_codes[department], role_codes.get(role), origins[key])
            shown[group] = None
            if number == number_now and origins[key] == number_now:
                new_keys[group] = key
    return cells, list(shown), new_keys


def audit_tree(*, parents: dict[int, int], department_codes: dict[int, str]) -> dict:
    return {
        department_codes[d]: (None if p == ORGANISATION else department_codes[p])
        for d, p in parents.items()
    }


def to_hide(*, findings, new_keys: dict[Group, Key], counts: dict[Key, int], codes) -> set[Key]:
    """For each finding, the new group of its combination to hide (module docstring)."""
    chosen = set()
    for finding in findings:
        candidates = [new_keys[g] for _, g in finding.combination if g in new_keys]
        if not candidates:
            raise UnsafeReleaseError(
                [f"earlier releases let a reader isolate {finding.count} people"]
            )
        chosen.add(min(candidates, key=lambda key: (key[1] is None, counts[key], codes(key))))
    return chosen


def secondary_hidden(
    *,
    shown_now: dict[Key, int],
    origins_now: dict[Key, int],
    truth_now: dict[Key, int],
    history: History,
    parents: dict[int, int],
    department_codes: dict[int, str],
    role_codes: dict[int, str],
    threshold: int,
    summary: AuditSummary,
    budget: int = BUDGET,
    safe: set | None = None,
) -> set[Key]:
    """One round: audit every family of what this release would show, with the history, and
    return the keys to hide (empty when the audit passes). `safe` carries the components
    already proven safe from one round to the next (`disclosure.audit`)."""
    tree = audit_tree(parents=parents, department_codes=department_codes)
    roles = [role_codes[r] for r in sorted(role_codes, key=role_codes.__getitem__)]
    families = sorted({key[2] for key in shown_now}, key=lambda f: (f is not None, f or 0))
    audited: dict[tuple, tuple] = {}

    def codes(key: Key) -> tuple[str, str]:
        return (department_codes[key[0]], role_codes.get(key[1], ""))

    hide: set[Key] = set()
    for family in families:
        cells, shown, new_keys = family_inputs(
            family=family,
            shown_now=shown_now,
            origins_now=origins_now,
            truth_now=truth_now,
            history=history,
            parents=parents,
            department_codes=department_codes,
            role_codes=role_codes,
        )
        # Groups carry no family: a family equal to one audited already has its findings.
        signature = (frozenset(cells.items()), frozenset(shown))
        if audited.get(signature, ()) is TOO_LARGE:
            hide |= _fallback(new_keys)
            continue
        if signature not in audited:
            summary.audits += 1
            try:
                result = audit(
                    tree=tree,
                    roles=roles,
                    cells=cells,
                    shown=shown,
                    hidden=[],
                    k=threshold,
                    budget=budget,
                    safe=safe,
                )
            except AuditTooLarge:
                summary.fallbacks += 1
                audited[signature] = TOO_LARGE
                hide |= _fallback(new_keys)
                continue
            summary.largest = max(summary.largest, result.classes)
            audited[signature] = result.small_groups
        hide |= to_hide(
            findings=audited[signature], new_keys=new_keys, counts=shown_now, codes=codes
        )
    return hide


TOO_LARGE: tuple = ((),)  # a family the audit could not finish: never a pass on trust


def _fallback(new_keys: dict[Group, Key]) -> set[Key]:
    """What a family the audit could not finish hides: its new role cells, or, when it has
    none left, all its new figures."""
    role_cells = {key for key in new_keys.values() if key[1] is not None}
    return role_cells or set(new_keys.values())
