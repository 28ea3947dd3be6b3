"""Department figures, exactly as DESIGN.md "Department figures (exact)" defines them.

Everything is computed in the database, for every department subtree of a campaign at once:
a department's members are the departments whose materialized `path` starts with its own.
Scores are first counted per (department, competency, level), then summed over that
(group, member) relation, so every subtree comes out of one grouped query. The median comes
from the running count of levels within each (subtree, competency) group, with window
functions. The same SQL runs on SQLite (3.25+) and PostgreSQL.

Suppression (reports/suppression.py) is applied here, before anything leaves this module, so
no page, chart, export or task can show a figure about fewer than k people. It runs on the
groups' `responded`, then per competency on `n`, then on the subset counts (`n_required` for
`mean_gap`, `pct_meeting` and `priority`; `n_usage` for `mean_usage`), each over every cell of
the report whatever part of it was asked for: the cells a page shows then never depend on
which page asked, so two pages cannot be subtracted from each other either. A figure whose
count fails the rules is empty (None), its count with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q

from accounts.models import Department, JobRole
from diagnostic.models import Campaign, Competency, CompetencyScore, Invitation, Response

from .querysets import campaigns_visible_to
from .suppression import ORGANISATION, Cell, counted_cells_hidden, suppressed_cells

LEVEL_BANDS = range(5)
CountKey = tuple[int, int | None, int]  # (group, job role or None, competency)


@dataclass
class CompetencyFigures:
    """One competency of one group. `suppressed`: the whole cell is hidden (its `n` failed the
    rules). `required_suppressed`: `n_required`, `mean_gap`, `pct_meeting` and `priority` are
    None because `n_required` failed them; `usage_suppressed`: `n_usage` and `mean_usage` are
    None because `n_usage` (those who answered a frequency question) failed them."""

    competency_id: int
    code: str
    name: str
    n: int = 0
    mean_level: float | None = None
    median_level: float | None = None
    mean_target: float | None = None
    n_required: int | None = 0
    mean_gap: float | None = None
    pct_meeting: float | None = None
    mean_usage: float | None = None
    levels: tuple[int, ...] = (0, 0, 0, 0, 0)
    priority: float | None = 0.0
    suppressed: bool = False
    n_usage: int | None = 0
    required_suppressed: bool = False
    usage_suppressed: bool = False

    def without_required(self) -> CompetencyFigures:
        return replace(
            self,
            n_required=None,
            mean_gap=None,
            pct_meeting=None,
            priority=None,
            required_suppressed=True,
        )

    def without_usage(self) -> CompetencyFigures:
        return replace(self, n_usage=None, mean_usage=None, usage_suppressed=True)


@dataclass
class GroupFigures:
    """One group: a department subtree (or the organisation), optionally one job role of it."""

    department_id: int  # ORGANISATION (0) for the whole population
    job_role_id: int | None
    invited: int
    responded: int
    index_sum: float
    index_count: int
    suppressed: bool = False
    competencies: list[CompetencyFigures] = field(default_factory=list)

    @property
    def response_rate(self) -> float | None:
        if self.suppressed or not self.invited:
            return None
        return self.responded / self.invited

    @property
    def index(self) -> float | None:
        if self.suppressed or not self.index_count:
            return None
        return self.index_sum / self.index_count

    @property
    def ranked(self) -> list[CompetencyFigures]:
        """Competencies by priority, highest first, ties by code; those without one (hidden,
        or over too few required) last."""
        return sorted(
            self.competencies,
            key=lambda c: (c.suppressed or c.priority is None, -(c.priority or 0), c.code),
        )

    def competency(self, code: str) -> CompetencyFigures | None:
        return next((c for c in self.competencies if c.code == code), None)


@dataclass
class CampaignReport:
    campaign: Campaign
    threshold: int
    departments: dict[int, Department]  # the report's departments, by id, in path order
    parents: dict[int, int]  # department id -> parent in the report (ORGANISATION at the top)
    roles: dict[int, JobRole]
    competencies: list[Competency]
    groups: dict[Cell, GroupFigures]
    # (group, role or None, competency) -> (n, n_required, n_usage) for every cell, hidden ones
    # too: what the release audit needs to know of the truth. Never shown to a reader.
    cell_counts: dict[CountKey, tuple[int, int, int]] = field(default_factory=dict)

    def group(self, department_id: int, job_role_id: int | None = None) -> GroupFigures:
        return self.groups.get((department_id, job_role_id)) or GroupFigures(
            department_id, job_role_id, 0, 0, 0.0, 0, suppressed=True
        )

    @property
    def organisation(self) -> GroupFigures:
        return self.group(ORGANISATION)

    def children(self, department_id: int) -> list[Department]:
        return [self.departments[d] for d, p in self.parents.items() if p == department_id]

    def role_groups(self, department_id: int) -> list[tuple[JobRole, GroupFigures]]:
        return [
            (role, self.groups[(department_id, role_id)])
            for role_id, role in self.roles.items()
            if (department_id, role_id) in self.groups
        ]


def report_departments(*, campaign: Campaign) -> list[Department]:
    """The campaign's population (the subtrees of its departments) and any department an
    invitation snapshot points to, in path order."""
    population = Department.objects.subtrees_of(list(campaign.departments.only("path")))
    invited = Invitation.objects.filter(campaign=campaign).values("department_id")
    return list(
        (population | Department.objects.filter(pk__in=invited)).distinct().order_by("path")
    )


def report_parents(departments: list[Department]) -> dict[int, int]:
    """Each department's nearest ancestor among the report's departments."""
    by_path = {d.path: d.pk for d in departments}
    parents = {}
    for department in departments:
        parts = department.path.strip("/").split("/")
        ancestors = ("/" + "/".join(parts[:i]) + "/" for i in range(len(parts) - 1, 0, -1))
        parents[department.pk] = next((by_path[p] for p in ancestors if p in by_path), ORGANISATION)
    return parents


def _members_sql(*, within: Department | None, depth: int | None) -> tuple[str, list]:
    """(group_id, department_id) pairs: every department a group's subtree contains.

    Group 0 is the organisation (every department with an invitation in the campaign)."""
    dept = Department._meta.db_table
    inv = Invitation._meta.db_table
    where, params = "", []
    if within is not None:
        where = " AND substr(a.path, 1, %s) = %s"
        params = [len(within.path), within.path]
        if depth is not None:
            where += " AND a.depth <= %s"
            params.append(within.depth + depth)
    sql = (
        f"SELECT a.id AS group_id, d.id AS department_id FROM {dept} a "  # noqa: S608 - table names from the models, values as parameters
        f"JOIN {dept} d ON substr(d.path, 1, length(a.path)) = a.path "
        f"WHERE d.id IN (SELECT department_id FROM {inv} WHERE campaign_id = %s){where}"
    )
    params = [None, *params]  # campaign id filled in by the caller
    if within is None:
        sql += (
            f" UNION ALL SELECT 0, department_id FROM {inv} "  # noqa: S608 - as above
            "WHERE campaign_id = %s GROUP BY department_id"
        )
        params.append(None)
    return sql, params


def _fence() -> str:
    # PostgreSQL would otherwise inline the CTEs and recompute the per-level counts once per
    # group; materialized, the tree join is a hash join on department id.
    return "MATERIALIZED " if connection.vendor == "postgresql" else ""


def _fill(params: list, campaign_id: int) -> list:
    return [campaign_id if p is None else p for p in params]


def _group_counts(*, campaign: Campaign) -> dict[tuple[int, int], tuple[int, int, float, int]]:
    """(group, job role) -> (invited, responded, sum of indexes, indexes counted), every subtree.

    Invitations are first counted per (department, role), then summed up the tree."""
    members, params = _members_sql(within=None, depth=None)
    fence = _fence()
    inv = Invitation._meta.db_table
    resp = Response._meta.db_table
    sql = (
        f"WITH members AS {fence}({members}), counted AS {fence}("  # noqa: S608 - table names from the models
        "SELECT i.department_id, i.job_role_id, COUNT(i.id) AS invited, "
        'COUNT(r.id) AS responded, SUM(r."index") AS index_sum, COUNT(r."index") AS indexed '
        f"FROM {inv} i LEFT JOIN {resp} r ON r.invitation_id = i.id "
        "AND r.submitted_at IS NOT NULL AND r.scored_at IS NOT NULL "
        "WHERE i.campaign_id = %s GROUP BY i.department_id, i.job_role_id) "
        "SELECT m.group_id, c.job_role_id, SUM(c.invited), SUM(c.responded), "
        "COALESCE(SUM(c.index_sum), 0), SUM(c.indexed) "
        "FROM counted c JOIN members m ON m.department_id = c.department_id "
        "GROUP BY m.group_id, c.job_role_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_fill(params, campaign.pk), campaign.pk])
        return {
            (group, role): (int(invited), int(responded), float(index_sum), int(indexed))
            for group, role, invited, responded, index_sum, indexed in cursor.fetchall()
        }


def _competency_counts(*, campaign: Campaign) -> dict[CountKey, tuple[int, int, int]]:
    """(group, role or None, competency) -> (n, n_required, n_usage) for every cell of the
    report, in one query: what per-competency suppression needs, whatever part of the report
    was asked for. The counts over all roles are the sums of the role cells."""
    members, params = _members_sql(within=None, depth=None)
    fence = _fence()
    score = CompetencyScore._meta.db_table
    resp = Response._meta.db_table
    sql = (
        f"WITH members AS {fence}({members}), counted AS {fence}("  # noqa: S608 - table names from the models
        "SELECT s.department_id, s.job_role_id, s.competency_id, COUNT(*) AS c, "
        "SUM(CASE WHEN s.required THEN 1 ELSE 0 END) AS nreq, COUNT(s.usage) AS nuse "
        f"FROM {score} s JOIN {resp} r ON r.id = s.response_id AND r.submitted_at IS NOT NULL "
        "WHERE s.campaign_id = %s GROUP BY s.department_id, s.job_role_id, s.competency_id) "
        "SELECT m.group_id, h.job_role_id, h.competency_id, SUM(h.c), SUM(h.nreq), SUM(h.nuse) "
        "FROM counted h JOIN members m ON m.department_id = h.department_id "
        "GROUP BY m.group_id, h.job_role_id, h.competency_id"
    )
    counts: dict[CountKey, tuple[int, int, int]] = {}
    totals: dict[CountKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_fill(params, campaign.pk), campaign.pk])
        for group, role, competency, *values in cursor.fetchall():
            counts[(group, role, competency)] = tuple(int(v) for v in values)
            for i, value in enumerate(values):
                totals[(group, None, competency)][i] += int(value)
    counts.update({key: tuple(values) for key, values in totals.items()})
    return counts


def _competency_rows(
    *,
    campaign: Campaign,
    within: Department | None = None,
    depth: int | None = None,
    by_role: bool = False,
) -> list[tuple]:
    """One row of figures per (group[, job role], competency), in one query, *before*
    suppression: only `campaign_report` calls it (and the tests, to check the formulas).

    `within` limits the groups to that department's subtree (and `depth` levels below it);
    `by_role` breaks every group down by the job role snapshot.
    Row: group, role (or None), competency, n, mean_level, median_level, mean_target,
    n_required, mean_gap, pct_meeting, mean_usage, level_0..level_4, priority.

    The scores are first counted per (department, role, competency, level): levels take few
    distinct values (they come from a handful of answers), so what is summed up the tree and
    sorted for the median is small whatever the number of respondents. The median is then
    the level at the middle position(s) of the running count within each group.
    """
    members, params = _members_sql(within=within, depth=depth)
    fence = _fence()
    score = CompetencyScore._meta.db_table
    resp = Response._meta.db_table
    role = "s.job_role_id" if by_role else "NULL"
    role_group = "s.job_role_id, " if by_role else ""  # PostgreSQL refuses GROUP BY NULL
    partition = "PARTITION BY group_id, job_role_id, competency_id"
    bands = ", ".join(
        f"SUM(CASE WHEN level >= {b} AND level < {b + 1} THEN c ELSE 0 END)" for b in range(4)
    )
    middle = "cum - c < {p} AND {p} <= cum"
    sql = (
        f"WITH members AS {fence}({members}), counted AS {fence}("  # noqa: S608 - table names from the models
        f"SELECT s.department_id, {role} AS job_role_id, s.competency_id, s.level, "
        "COUNT(*) AS c, SUM(s.target) AS t, SUM(CASE WHEN s.required THEN 1 ELSE 0 END) AS nreq, "
        "SUM(CASE WHEN s.required THEN s.gap ELSE 0 END) AS gsum, "
        "SUM(CASE WHEN s.required AND s.meets THEN 1 ELSE 0 END) AS nmeet, "
        "SUM(s.usage) AS usum, COUNT(s.usage) AS ucount, SUM(s.gap * s.importance) AS prio "
        f"FROM {score} s JOIN {resp} r ON r.id = s.response_id AND r.submitted_at IS NOT NULL "
        "WHERE s.campaign_id = %s "
        f"GROUP BY s.department_id, {role_group}s.competency_id, s.level), "
        "grouped AS (SELECT m.group_id, h.job_role_id, h.competency_id, h.level, "
        "CAST(SUM(h.c) AS BIGINT) AS c, SUM(h.t) AS t, SUM(h.nreq) AS nreq, "
        "SUM(h.gsum) AS gsum, SUM(h.nmeet) AS nmeet, SUM(h.usum) AS usum, "
        "SUM(h.ucount) AS ucount, SUM(h.prio) AS prio "
        "FROM counted h JOIN members m ON m.department_id = h.department_id "
        "GROUP BY m.group_id, h.job_role_id, h.competency_id, h.level), "
        "ranked AS (SELECT g.*, "
        f"CAST(SUM(c) OVER ({partition} ORDER BY level "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS cum, "
        f"CAST(SUM(c) OVER ({partition}) AS BIGINT) AS n FROM grouped g) "
        "SELECT group_id, job_role_id, competency_id, SUM(c), SUM(level * c) / SUM(c), "
        f"(MAX(CASE WHEN {middle.format(p='(n + 1) / 2')} THEN level END) "
        f"+ MAX(CASE WHEN {middle.format(p='(n + 2) / 2')} THEN level END)) / 2, "
        "1.0 * SUM(t) / SUM(c), SUM(nreq), "
        "CASE WHEN SUM(nreq) > 0 THEN SUM(gsum) / SUM(nreq) END, "
        "100.0 * SUM(nmeet) / NULLIF(SUM(nreq), 0), "
        "SUM(usum) / NULLIF(SUM(ucount), 0), "
        f"{bands}, SUM(CASE WHEN level >= 4 THEN c ELSE 0 END), SUM(prio) "
        "FROM ranked GROUP BY group_id, job_role_id, competency_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_fill(params, campaign.pk), campaign.pk])
        # PostgreSQL sums integers as numeric: every figure leaves here as a float.
        return [
            tuple(float(v) if isinstance(v, Decimal) else v for v in row)
            for row in cursor.fetchall()
        ]


def _figures(row: tuple, competency: Competency, *, name: str) -> CompetencyFigures:
    """`name`: the competency's name, read once per report (a translated field costs a
    language look-up at every read, thousands of times a build)."""
    (_, _, _, n, mean, median, target, n_req, gap, pct, usage, *levels, priority) = row

    def number(value):
        return None if value is None else float(value)

    return CompetencyFigures(
        competency_id=competency.pk,
        code=competency.code,
        name=name,
        n=int(n),
        mean_level=number(mean),
        median_level=number(median),
        mean_target=number(target),
        n_required=int(n_req),
        mean_gap=number(gap),
        pct_meeting=number(pct),
        mean_usage=number(usage),
        levels=tuple(int(x) for x in levels),
        priority=float(priority or 0),
    )


def campaign_report(
    *,
    campaign: Campaign,
    within: Department | None = None,
    depth: int | None = None,
    by_role: bool = False,
) -> CampaignReport:
    """The campaign's figures with suppression applied.

    Counts (invited, responded, index) are computed for every group, because suppression
    looks at the whole tree; competency figures only for the groups asked for: every
    subtree by default, or `within` a department down to `depth` levels below it; with
    `by_role`, the job-role breakdown of every group (or of `within` alone).
    A query count that does not depend on the number of departments or respondents.
    """
    departments = report_departments(campaign=campaign)
    parents = report_parents(departments)
    counts = _group_counts(campaign=campaign)
    roles = {r.pk: r for r in JobRole.objects.filter(pk__in={role for _, role in counts})}
    competencies = list(
        Competency.objects.filter(framework_id=campaign.framework_id).order_by("code")
    )
    groups: dict[Cell, GroupFigures] = {}
    totals: dict[int, list] = defaultdict(lambda: [0, 0, 0.0, 0])
    for (group, role), values in counts.items():
        groups[(group, role)] = GroupFigures(group, role, *values)
        for i, value in enumerate(values):
            totals[group][i] += value
    for group, values in totals.items():
        groups[(group, None)] = GroupFigures(group, None, *values)
    for department in departments:  # a department nobody was invited from still shows
        groups.setdefault((department.pk, None), GroupFigures(department.pk, None, 0, 0, 0.0, 0))

    codes = {d.pk: d.code for d in departments}
    hidden = suppressed_cells(
        responded={cell: g.responded for cell, g in groups.items()},
        parents=parents,
        department_codes=codes,
        role_codes={pk: r.code for pk, r in roles.items()},
        threshold=campaign.anonymity_threshold,
    )
    for cell in hidden:
        groups[cell].suppressed = True
    counted = _competency_counts(campaign=campaign)
    hidden_figures = _hidden_competency_figures(
        counts=counted,
        shown={cell for cell, g in groups.items() if not g.suppressed},
        competencies=competencies,
        parents=parents,
        department_codes=codes,
        role_codes={pk: r.code for pk, r in roles.items()},
        threshold=campaign.anonymity_threshold,
    )

    by_id = {c.pk: c for c in competencies}
    names = {c.pk: c.name for c in competencies}
    found: dict[Cell, dict[int, CompetencyFigures]] = defaultdict(dict)
    rows = _competency_rows(campaign=campaign, within=within, depth=depth)
    role_depth = depth if within is None else 0  # the breakdown of `within` itself
    if by_role:
        rows += _competency_rows(campaign=campaign, within=within, depth=role_depth, by_role=True)
    for row in rows:
        cell = (row[0], row[1])
        if cell in groups and not groups[cell].suppressed:
            figures = _figures(row, by_id[row[2]], name=names[row[2]])
            figures.n_usage = counted.get((*cell, row[2]), (0, 0, 0))[2]
            found[cell][row[2]] = figures
    scope = _scope(departments, within=within, depth=depth)
    role_scope = _scope(departments, within=within, depth=role_depth) if by_role else set()
    for cell, group in groups.items():
        asked = cell[0] in (scope if cell[1] is None else role_scope)
        if group.suppressed or not (asked or cell in found):
            continue
        group.competencies = [
            _checked(
                found[cell].get(c.pk) or CompetencyFigures(c.pk, c.code, c.name),
                hidden=hidden_figures.get((*cell, c.pk), NOTHING_HIDDEN),
            )
            for c in competencies
        ]
    return CampaignReport(
        campaign=campaign,
        threshold=campaign.anonymity_threshold,
        departments={d.pk: d for d in departments},
        parents=parents,
        roles=dict(sorted(roles.items(), key=lambda item: item[1].code)),
        competencies=competencies,
        groups=groups,
        cell_counts=counted,
    )


def _scope(departments: list[Department], *, within, depth) -> set[int]:
    """The groups whose competency figures were asked for."""
    if within is None:
        return {ORGANISATION, *(d.pk for d in departments)}
    return {
        d.pk
        for d in departments
        if d.path.startswith(within.path) and (depth is None or d.depth <= within.depth + depth)
    }


CELL, REQUIRED, USAGE = "cell", "required", "usage"
NOTHING_HIDDEN: frozenset[str] = frozenset()


def _hidden_competency_figures(
    *,
    counts: dict[CountKey, tuple[int, int, int]],
    shown: set[Cell],
    competencies: list[Competency],
    parents: dict[int, int],
    department_codes: dict[int, str],
    role_codes: dict[int, str],
    threshold: int,
) -> dict[CountKey, frozenset[str]]:
    """(group, role, competency) -> what of it is hidden: the whole cell (CELL), the figures
    over the required ones (REQUIRED), the mean usage (USAGE).

    Per competency, the cell's `n` goes through the same rules as a group's `responded`, over
    the shown groups; then each subset count through them again, over the cells whose
    competency figures are shown."""
    hidden: dict[CountKey, set[str]] = defaultdict(set)
    by_competency: dict[int, dict[Cell, tuple[int, int, int]]] = defaultdict(dict)
    for (group, role, pk), values in counts.items():
        by_competency[pk][(group, role)] = values
    rules = {
        "parents": parents,
        "department_codes": department_codes,
        "role_codes": role_codes,
        "threshold": threshold,
    }
    for competency in competencies:
        cells = by_competency[competency.pk]
        whole = counted_cells_hidden(
            counts={cell: n for cell, (n, _, _) in cells.items()}, shown=shown, **rules
        )
        for group, role in whole:
            hidden[(group, role, competency.pk)].add(CELL)
        for position, part in ((1, REQUIRED), (2, USAGE)):
            for group, role in counted_cells_hidden(
                counts={cell: values[position] for cell, values in cells.items()},
                shown=shown - whole,
                **rules,
            ):
                hidden[(group, role, competency.pk)].add(part)
    return {key: frozenset(parts) for key, parts in hidden.items()}


def _checked(figures: CompetencyFigures, *, hidden: frozenset[str]) -> CompetencyFigures:
    """The figures of one competency cell with what suppression hid taken out."""
    if CELL in hidden:
        return CompetencyFigures(figures.competency_id, figures.code, figures.name, suppressed=True)
    if REQUIRED in hidden:
        figures = figures.without_required()
    if USAGE in hidden:
        figures = figures.without_usage()
    return figures


def previous_campaign(*, campaign: Campaign, user, released: bool = False) -> Campaign | None:
    """The campaign to compare this one with: the latest launched campaign that opened before
    it, that `user` may read, and whose population overlaps this one's; with `released`, the
    latest such campaign that has a built release (what a manager reads of it).

    Two populations overlap when some department is in both campaigns' population subtrees,
    that is when a department of one is the other's department, or below or above it."""
    paths = list(campaign.departments.values_list("path", flat=True))
    if not paths:
        return None
    overlap = reduce(
        or_,
        (
            Q(departments__path__startswith=p) | Q(departments__path__in=_ancestors(p))
            for p in paths
        ),
    )
    earlier = campaigns_visible_to(user).filter(
        opens_at__lt=campaign.opens_at, pk__in=Campaign.objects.filter(overlap).values("pk")
    )
    if released:
        earlier = earlier.filter(releases__status="done").distinct()
    return earlier.order_by("-opens_at", "-pk").first()


def _ancestors(path: str) -> list[str]:
    """The paths of a department's ancestors and its own ("/A/", "/A/B/" for "/A/B/")."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
