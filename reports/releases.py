"""Releases: the frozen figures managers read (DESIGN.md "Releases (no differencing over time)").

A release is built from `campaign_report` (already suppressed) in two steps over plain data:

1. The release rule, per key (a group, or one competency cell of it): the new figures are
   shown only if their count (`responded` for a group, `n` for a cell) differs from the count
   of every earlier release of the campaign *in which the key was shown* by 0 or by at least
   k. Otherwise the key keeps the figures of its last release in which it was shown, or is
   hidden if it has none, or if its count went down since then: only a cancellation (ARCO)
   takes people out, and kept figures would still hold the person who asked to be removed,
   while new ones would give them away by difference. Any two shown counts of a key then
   differ by 0 or at least k, by induction: a kept figure equals one already shown, and a new
   one was checked against all.
2. Complementary suppression on the figures *as shown* (new and kept together): wherever a
   shown group is broken into shown parts (a department into its highest shown descendants,
   a department into its job roles), the remainder `count(whole) - sum(count(parts))` must be
   0 or at least k; while it is not, the part with the fewest (ties: the lower code) is hidden.

Two choices go beyond the letter of the design, to keep a page coherent and safe:
- A group kept from release j shows its competency cells as release j showed them (a kept
  group is one snapshot, not new cells beside an old count); a hidden group hides its cells.
- A department group that is not shown hides its role breakdown, as reports/suppression.py
  does live: otherwise the hidden department would be the sum of its shown role cells.

3. The audit (reports/secondary.py): the independent auditor (reports/disclosure.py, which
   shares no code with this module) is given everything a reader can see, this release and
   every earlier one, and while it finds a group of 1 to k - 1 people that some combination
   of them gives, a figure of that combination is hidden and step 2 runs again. A release is
   stored only once its audit passes; what the audit found and cost is kept on the release.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Department, JobRole
from diagnostic.campaigns.status import Status, campaign_status
from diagnostic.models import Campaign, Competency
from lib.enqueue import enqueue, enqueue_on_commit

from .aggregation import (
    CampaignReport,
    CompetencyFigures,
    GroupFigures,
    campaign_report,
    report_parents,
)
from .models import Release, ReleaseFigure
from .secondary import BUDGET, AuditSummary, History, UnsafeReleaseError, secondary_hidden
from .suppression import hide_for_remainder
from .tasks import build_release_task

logger = logging.getLogger(__name__)

# (department id, job role id or None, competency id or None): None competency is the
# group's own counts and index.
Key = tuple[int, int | None, int | None]

NEW, KEPT, HIDDEN = "shown", "kept", "hidden"


@dataclass(frozen=True)
class Choice:
    state: str  # NEW, KEPT or HIDDEN
    source: int | None = None  # KEPT: the earlier release (number) whose row is copied


@dataclass(frozen=True)
class Layout:
    """What the complementary step needs to know about a report: the tree and the codes."""

    parents: dict[int, int]  # department -> parent department (ORGANISATION at the top)
    department_codes: dict[int, str]
    role_codes: dict[int, str]


# --- the rule, on plain data ------------------------------------------------------------


def safe_difference(*, count: int, earlier: int, threshold: int) -> bool:
    """Two shown counts of one group may differ by nobody or by at least k people."""
    return abs(count - earlier) == 0 or abs(count - earlier) >= threshold


def rule_choices(
    *, live: dict[Key, int | None], earlier: list[dict[Key, int]], threshold: int
) -> dict[Key, Choice]:
    """Step 1 of the module docstring, per key.

    `live`: every key of the new release, its count if its live figures are shown, None if
    live suppression hides it. `earlier`: for releases 1, 2, ... in order, the count of each
    key *as shown* in that release (keys not shown are absent)."""
    choices: dict[Key, Choice] = {}
    for key, count in live.items():
        shown_in = [(number, shown[key]) for number, shown in enumerate(earlier, 1) if key in shown]
        if count is not None and all(
            safe_difference(count=count, earlier=old, threshold=threshold) for _, old in shown_in
        ):
            choices[key] = Choice(NEW)
        elif shown_in and (count is None or count >= shown_in[-1][1]):
            choices[key] = Choice(KEPT, shown_in[-1][0])
        else:
            choices[key] = Choice(HIDDEN)
    _snapshot_kept_groups(choices, earlier=earlier)
    return choices


def _snapshot_kept_groups(choices: dict[Key, Choice], *, earlier: list[dict[Key, int]]) -> None:
    groups = {(d, r): c for (d, r, comp), c in choices.items() if comp is None}
    for key in list(choices):
        department, role, competency = key
        group = groups.get((department, role))
        if competency is None or group is None or group.state == NEW:
            continue
        if group.state == HIDDEN:
            choices[key] = Choice(HIDDEN)
        else:
            shown = key in earlier[group.source - 1]
            choices[key] = Choice(KEPT, group.source) if shown else Choice(HIDDEN)


def shown_counts(
    *, choices: dict[Key, Choice], live: dict[Key, int | None], earlier: list[dict[Key, int]]
) -> dict[Key, int]:
    """The count each shown key shows: its live count if new, the copied one if kept."""
    counts = {}
    for key, choice in choices.items():
        if choice.state == NEW:
            counts[key] = live[key]
        elif choice.state == KEPT:
            counts[key] = earlier[choice.source - 1][key]
    return counts


def complementary_hidden(*, shown: dict[Key, int], layout: Layout, threshold: int) -> set[Key]:
    """Step 2 of the module docstring: the shown keys to hide so that no remainder of a shown
    whole against its shown parts is between 1 and k - 1."""
    children: dict[int, list[int]] = defaultdict(list)
    for department, parent in layout.parents.items():
        children[parent].append(department)
    hidden: set[Key] = set()

    def visible(key: Key) -> bool:
        return key in shown and key not in hidden

    def code(key: Key) -> tuple[str, str]:
        department, role, _ = key
        return (layout.department_codes.get(department, ""), layout.role_codes.get(role, ""))

    def tree_parts(key: Key) -> list[Key]:
        department, role, competency = key
        parts, stack = [], list(children[department])
        while stack:
            child = stack.pop()
            part = (child, role, competency)
            if visible(part):
                parts.append(part)
            else:
                stack.extend(children[child])
        return parts

    def role_parts(key: Key) -> list[Key]:
        department, role, competency = key
        if role is not None:
            return []
        return [p for r in layout.role_codes if visible(p := (department, r, competency))]

    def fix(whole: Key, parts: list[Key]) -> bool:
        return hide_for_remainder(
            whole=whole, parts=parts, counts=shown, code=code, threshold=threshold, hidden=hidden
        )

    changed = True
    while changed:
        changed = False
        for whole in sorted(shown, key=lambda k: (code(k), k[2] or 0)):
            if not visible(whole):
                continue
            changed |= fix(whole, tree_parts(whole))
            if visible(whole):
                changed |= fix(whole, role_parts(whole))
        changed |= _hide_dependants(shown, hidden, layout)
    return hidden


def _hide_dependants(shown: dict[Key, int], hidden: set[Key], layout: Layout) -> bool:
    """A hidden group hides its cells; a hidden department hides its role breakdown."""
    before = len(hidden)
    for department, role, competency in list(hidden):
        for key in shown:
            d, r, c = key
            if d != department or key in hidden:
                continue
            own_cell = competency is None and r == role
            role_part = role is None and r is not None and c == competency
            if own_cell or role_part:
                hidden.add(key)
    return len(hidden) != before


def release_choices(
    *,
    live: dict[Key, int | None],
    earlier: list[dict[Key, int]],
    layout: Layout,
    threshold: int,
) -> dict[Key, Choice]:
    """The release rule, then complementary suppression on the figures as shown."""
    choices = rule_choices(live=live, earlier=earlier, threshold=threshold)
    for key in _hidden_role_breakdowns(choices):
        choices[key] = Choice(HIDDEN)
    shown = shown_counts(choices=choices, live=live, earlier=earlier)
    for key in complementary_hidden(shown=shown, layout=layout, threshold=threshold):
        choices[key] = Choice(HIDDEN)
    return choices


def audited_release_choices(
    *,
    live: dict[Key, int | None],
    earlier: list[dict[Key, int]],
    history: History,
    truth: dict[Key, int],
    layout: Layout,
    threshold: int,
    budget: int = BUDGET,
) -> tuple[dict[Key, Choice], AuditSummary]:
    """`release_choices`, then the audit of what it would show (reports/secondary.py): while
    a reader could isolate fewer than k people, hide more and run complementary suppression
    again. `history` holds the earlier releases' origins and true counts, `truth` the true
    count of every key now."""
    summary = AuditSummary()
    started = time.perf_counter()
    choices = release_choices(live=live, earlier=earlier, layout=layout, threshold=threshold)
    # A kept figure whose group has lost people since (a cancellation) would still hold them.
    shrunk = {
        key
        for key, choice in choices.items()
        if choice.state == KEPT and truth.get(key, 0) < history.truth[choice.source - 1].get(key, 0)
    }
    if shrunk:
        _hide_dependants(shown_counts(choices=choices, live=live, earlier=earlier), shrunk, layout)
        for key in shrunk:
            choices[key] = Choice(HIDDEN)
        shown = shown_counts(choices=choices, live=live, earlier=earlier)
        for key in complementary_hidden(shown=shown, layout=layout, threshold=threshold):
            choices[key] = Choice(HIDDEN)
    number = len(earlier) + 1
    safe: set = set()
    while True:
        summary.rounds += 1
        shown = shown_counts(choices=choices, live=live, earlier=earlier)
        origins = {
            key: number
            if choices[key].state == NEW
            else history.origins[choices[key].source - 1][key]
            for key in shown
        }
        hide = secondary_hidden(
            shown_now=shown,
            origins_now=origins,
            truth_now=truth,
            history=history,
            parents=layout.parents,
            department_codes=layout.department_codes,
            role_codes=layout.role_codes,
            threshold=threshold,
            summary=summary,
            budget=budget,
            safe=safe,
        )
        if not hide:
            break
        _hide_dependants(shown, hide, layout)
        summary.hidden_keys |= hide
        for key in hide:
            choices[key] = Choice(HIDDEN)
        shown = shown_counts(choices=choices, live=live, earlier=earlier)
        for key in complementary_hidden(shown=shown, layout=layout, threshold=threshold):
            choices[key] = Choice(HIDDEN)
    summary.hidden = len(summary.hidden_keys)
    summary.passed = True
    summary.seconds = time.perf_counter() - started
    return choices, summary


def _hidden_role_breakdowns(choices: dict[Key, Choice]) -> list[Key]:
    not_shown = {(d, c) for (d, r, c), ch in choices.items() if r is None and ch.state != NEW}
    hidden_groups = {
        (d, r) for (d, r, c), ch in choices.items() if c is None and ch.state == HIDDEN
    }
    return [
        (d, r, c)
        for (d, r, c), ch in choices.items()
        if ch.state != HIDDEN
        and ((r is not None and (d, c) in not_shown and ch.state == NEW) or (d, r) in hidden_groups)
    ]


# --- the builder, on the database --------------------------------------------------------

FIGURE_FIELDS = [
    "mean_level",
    "median_level",
    "mean_target",
    "n_required",
    "mean_gap",
    "pct_meeting",
    "mean_usage",
    "level_0",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "priority",
]
COPIED = ["responded", "n", *FIGURE_FIELDS, "index"]


def release_request(
    *, campaign: Campaign, kind: str, made_by=None, closing_of: dt.datetime | None = None
) -> Release:
    """A new release, numbered next, built by a task after the transaction commits.

    While a release of the campaign is still waiting or building, that one is returned: two
    releases built at once would each be compared with an incomplete history."""
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        busy = Release.objects.filter(
            campaign=campaign, status__in=[Release.Status.PENDING, Release.Status.RUNNING]
        ).first()
        if busy is not None:
            return busy
        last = Release.objects.filter(campaign=campaign).order_by("-number").first()
        release = Release.objects.create(
            campaign=campaign,
            number=(last.number + 1) if last else 1,
            kind=kind,
            made_by=made_by,
            closing_of=closing_of,
        )
        # A broker that is down does not fail the request: `resume_stalled_releases` builds it.
        enqueue_on_commit(build_release_task, release.pk)
    return release


def release_for_hr(*, campaign: Campaign, made_by) -> Release:
    """What HR's button and `make_release` do: an interim release while the campaign is open,
    its closing release once it has closed."""
    if campaign_status(campaign=campaign) != Status.CLOSED:
        return release_request(campaign=campaign, kind=Release.Kind.INTERIM, made_by=made_by)
    return release_request(
        campaign=campaign,
        kind=Release.Kind.CLOSING,
        made_by=made_by,
        closing_of=campaign.closed_at or campaign.closes_at,
    )


def held_back_figures(*, release: Release) -> list[ReleaseFigure]:
    """The groups and cells whose live figures this release did not show (kept from an
    earlier release or hidden by the rule), for HR's release page; groups first."""
    return list(
        release.figures.filter(held_back=True).order_by(
            "department_code", "role_code", "competency_code"
        )
    )


def release_build(*, release_id: int, takeover: bool = False) -> Release:
    """Build a release: live figures, the rule against the earlier releases, stored rows.

    A release already built (or failed) is left as it is, and so is one being built, unless
    its heartbeat is stale or `takeover` says its worker died (the task was redelivered).
    The rows are written under the release's row lock, after checking again that it is not
    built, so two workers never both store its figures."""
    from .packages import stalled_before

    with transaction.atomic():
        release = Release.objects.select_for_update().select_related("campaign").get(pk=release_id)
        if release.status in (Release.Status.DONE, Release.Status.FAILED):
            return release
        fresh = release.updated_at >= stalled_before()
        if release.status == Release.Status.RUNNING and fresh and not takeover:
            return release
        _progress(release, Release.Status.RUNNING, 10)
    try:
        with transaction.atomic():
            locked = Release.objects.select_for_update().get(pk=release_id)
            if locked.status != Release.Status.RUNNING:
                return locked
            # The campaign's lock: a cancellation (reports/arco.py) takes it before deleting,
            # so the figures are read either wholly before it or wholly after it.
            Campaign.objects.select_for_update().filter(pk=release.campaign_id).first()
            _sort_memory()
            with _without_collector_pauses():
                report = campaign_report(campaign=release.campaign, by_role=True)
                _progress(release, Release.Status.RUNNING, 60)
                rows = release_rows(release=release, report=report)
                store_figures(rows)
            release.made_at = timezone.now()
            _progress(release, Release.Status.DONE, 100)
    except Exception as error:
        logger.exception("release %s failed", release_id)
        release.error = str(error)[:2000]
        _progress(release, Release.Status.FAILED, release.progress)
    return release


# The build's grouped queries sort a few hundred thousand per-level rows; with PostgreSQL's
# default work_mem (4 MB) those sorts spill to disk. For this transaction only.
BUILD_WORK_MEM = "64MB"


def _sort_memory() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [BUILD_WORK_MEM])


@contextmanager
def _without_collector_pauses() -> Iterator[None]:
    """The build makes a few hundred thousand small objects (figures, keys, audit classes)
    that nearly all live until it ends; the cyclic garbage collector would walk them again at
    every threshold, about a third of the build at 20,000 respondents. Reference counting
    still frees everything as usual; the collector is back on (as it was) when the build is
    done, failed or not."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def store_figures(rows: list[ReleaseFigure]) -> None:
    """Insert the rows of a release: one COPY on PostgreSQL (bulk_create spends most of its
    time preparing every value of every row in Python), bulk_create elsewhere. Every field of
    ReleaseFigure is a plain int, float, bool, str or None (no defaults computed on save), so
    COPY stores exactly what bulk_create would."""
    if connection.vendor != "postgresql":
        ReleaseFigure.objects.bulk_create(rows, batch_size=2000)
        return
    fields = [f for f in ReleaseFigure._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(ReleaseFigure._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 - names from the model
        ) as copy,
    ):
        for row in rows:
            copy.write_row([getattr(row, name) for name in names])


def _progress(release: Release, status: str, progress: int) -> None:
    release.status, release.progress = status, progress
    release.save(update_fields=["status", "progress", "made_at", "error", "audit", "updated_at"])


def resume_stalled_releases(*, now: dt.datetime | None = None) -> int:
    """The sweeper's part for releases: queue again those waiting or building with no sign
    of life for `STALLED_JOB_MINUTES` (see `release_build`)."""
    from .packages import stalled_before

    pks = list(
        Release.objects.filter(
            status__in=[Release.Status.PENDING, Release.Status.RUNNING],
            updated_at__lt=stalled_before(now),
        ).values_list("pk", flat=True)
    )
    for pk in pks:
        enqueue(build_release_task, pk)
    return len(pks)


def live_counts(report: CampaignReport) -> dict[Key, int | None]:
    """Every key of a report with its count, None where live suppression hides it.

    The organisation is left out: no manager reads it, so no release holds it; so are the
    departments above the campaign's population, which the report counts but does not hold."""
    live: dict[Key, int | None] = {}
    for (department, role), group in report.groups.items():
        if department not in report.departments:  # the organisation, or above the population
            continue
        live[(department, role, None)] = None if group.suppressed else group.responded
        for competency in report.competencies:
            figures = None if group.suppressed else group.competency(competency.code)
            shown = figures is not None and not figures.suppressed
            live[(department, role, competency.pk)] = figures.n if shown else None
    return live


def release_rows(*, release: Release, report: CampaignReport) -> list[ReleaseFigure]:
    """The unsaved rows of `release`: the rule applied to `report` against the earlier
    releases of the campaign, then the audit (two queries). The audit's summary is set on
    `release.audit`."""
    earlier_rows = _earlier_rows(release)
    earlier: list[dict[Key, int]] = [{} for _ in range(release.number - 1)]
    history = History(
        shown=earlier,
        origins=[{} for _ in earlier],
        truth=[{} for _ in earlier],
    )
    for number, rows in earlier_rows.items():
        for key, row in rows.items():
            if row.true_count is None:
                raise UnsafeReleaseError(
                    [f"release {number} was made before releases were audited: rebuild it"]
                )
            history.truth[number - 1][key] = row.true_count
            if not row.suppressed:
                earlier[number - 1][key] = _count(row)
                history.origins[number - 1][key] = row.origin
    live = live_counts(report)
    truth = true_counts(report)
    layout = Layout(
        parents=dict(report.parents),
        department_codes={pk: d.code for pk, d in report.departments.items()},
        role_codes={pk: r.code for pk, r in report.roles.items()},
    )
    choices, summary = audited_release_choices(
        live=live,
        earlier=earlier,
        history=history,
        truth=truth,
        layout=layout,
        threshold=report.threshold,
    )
    release.audit = summary.as_json()
    competencies = {c.pk: c.code for c in report.competencies}
    rows = []
    by_code: dict[tuple[int, int | None], dict[str, CompetencyFigures]] = {}
    for key, choice in choices.items():
        department, role, competency = key
        group = report.group(department, role)
        values = {
            "release_id": release.pk,
            "department_id": department,
            "job_role_id": role,
            "competency_id": competency,
            "department_code": layout.department_codes[department],
            "role_code": layout.role_codes.get(role, ""),
            "competency_code": competencies.get(competency, ""),
            "state": choice.state,
            "held_back": live[key] is not None and choice.state != NEW,
            "invited": group.invited,
            "true_count": truth.get(key, 0),
        }
        if choice.state == NEW:
            if (department, role) not in by_code:
                found: dict[str, CompetencyFigures] = {}
                for figures in group.competencies:
                    found.setdefault(figures.code, figures)
                by_code[(department, role)] = found
            values.update(
                _live_values(
                    group, figures=by_code[(department, role)].get(values["competency_code"])
                )
                if competency is not None
                else {"responded": group.responded, "index": group.index}
            )
            values["origin"] = release.number
        elif choice.state == KEPT:
            source = earlier_rows[choice.source][key]
            for name in COPIED:
                values[name] = getattr(source, name)
            values["origin"] = source.origin
        rows.append(_figure(release, values))
    earlier_required = [
        {key: row.n_required for key, row in by_key.items() if _shows_required(row)}
        for _, by_key in sorted(earlier_rows.items())
    ]
    now_required = {
        (r.department_id, r.job_role_id, r.competency_id): r.n_required
        for r in rows
        if r.state == NEW and _shows_required(r)
    }
    held = required_held(now=now_required, earlier=earlier_required, threshold=report.threshold)
    for row in rows:
        if (row.department_id, row.job_role_id, row.competency_id) in held:
            row.n_required = row.mean_gap = row.pct_meeting = row.priority = None
            row.held_back = True
    return rows


def _shows_required(row: ReleaseFigure) -> bool:
    return row.competency_id is not None and not row.suppressed and row.n_required is not None


def required_held(
    *, now: dict[Key, int], earlier: list[dict[Key, int]], threshold: int
) -> set[Key]:
    """The release rule for the figures over a cell's required ones (`mean_gap`,
    `pct_meeting`, `priority` over `n_required`): a cell showing new figures shows them only
    if its `n_required` differs from every earlier release that showed them by 0 or at least
    k; otherwise they are blank in this release (the rest of the cell is shown). Without it, k
    newcomers of whom one is required would give that one's gap."""
    return {
        key
        for key, count in now.items()
        if not all(
            safe_difference(count=count, earlier=shown[key], threshold=threshold)
            for shown in earlier
            if key in shown
        )
    }


def true_counts(report: CampaignReport) -> dict[Key, int]:
    """The true count of every key of a report, hidden or not: `responded` for a group, `n`
    for a competency cell. Only the audit reads it."""
    truth: dict[Key, int] = {}
    for (department, role), group in report.groups.items():
        if department not in report.departments:
            continue
        truth[(department, role, None)] = group.responded
        for competency in report.competencies:
            counts = report.cell_counts.get((department, role, competency.pk))
            truth[(department, role, competency.pk)] = counts[0] if counts else 0
    return truth


def _count(row: ReleaseFigure) -> int:
    return row.responded if row.competency_id is None else row.n


def _earlier_rows(release: Release) -> dict[int, dict[Key, ReleaseFigure]]:
    rows: dict[int, dict[Key, ReleaseFigure]] = defaultdict(dict)
    for row in ReleaseFigure.objects.filter(
        release__campaign_id=release.campaign_id,
        release__number__lt=release.number,
        release__status=Release.Status.DONE,
    ).select_related("release"):
        key = (row.department_id, row.job_role_id, row.competency_id)
        rows[row.release.number][key] = row
    return rows


def _live_values(group: GroupFigures, *, figures: CompetencyFigures) -> dict:
    """The live figures of one competency cell of `group`, by ReleaseFigure field."""
    values = {"responded": group.responded, "n": figures.n}
    values.update(
        zip(("level_0", "level_1", "level_2", "level_3", "level_4"), figures.levels, strict=True)
    )
    for name in FIGURE_FIELDS:
        if not name.startswith("level_"):
            values[name] = getattr(figures, name)
    return values


_FIELDS = list(ReleaseFigure._meta.concrete_fields)
_DEFAULTS = {f.attname: f.get_default() for f in _FIELDS}


def _figure(release: Release, values: dict) -> ReleaseFigure:
    """An unsaved ReleaseFigure from field values (the others at their defaults). Built from
    positional values: Model(**kwargs) costs several times more, thousands of times a build."""
    merged = {**_DEFAULTS, **values}
    row = ReleaseFigure(*(merged[f.attname] for f in _FIELDS))
    row.release = release
    return row


# --- reading a release --------------------------------------------------------------------


def release_report(
    *,
    release: Release,
    within: Department | None = None,
    depth: int | None = None,
    by_role: bool = True,
    cells_of: set[int] | None = None,
) -> CampaignReport:
    """A release as a CampaignReport, so pages, charts and exports read it as they read live
    figures; four queries whatever the size. Only what the caller needs is read: `within`
    and `depth` limit the departments (the department page needs one and its children),
    `by_role` the role breakdown, `cells_of` the departments whose competency cells are read
    (None: all; the overview needs only the managed ones)."""
    campaign = release.campaign
    figures = ReleaseFigure.objects.filter(release=release, department__isnull=False)
    if not by_role:
        figures = figures.filter(job_role__isnull=True)
    if cells_of is not None:
        figures = figures.filter(Q(competency_code="") | Q(department__in=cells_of))
    if within is not None:
        figures = figures.filter(department__path__startswith=within.path)
        if depth is not None:
            figures = figures.filter(department__depth__lte=within.depth + depth)
    departments = list(
        Department.objects.filter(
            Exists(ReleaseFigure.objects.filter(release=release, department=OuterRef("pk")))
        ).order_by("path")
    )
    rows = list(figures)
    roles = JobRole.objects.filter(pk__in={r.job_role_id for r in rows if r.job_role_id})
    competencies = list(
        Competency.objects.filter(framework_id=campaign.framework_id).order_by("code")
    )
    by_id = {c.pk: c for c in competencies}
    groups: dict[tuple[int, int | None], GroupFigures] = {}
    cells: dict[tuple[int, int | None], dict[int, CompetencyFigures]] = defaultdict(dict)
    for row in rows:
        cell = (row.department_id, row.job_role_id)
        if row.competency_id is None:
            groups[cell] = _group(row)
        elif row.competency_id in by_id:
            cells[cell][row.competency_id] = _cell(row, by_id[row.competency_id])
    for cell, group in groups.items():
        if not group.suppressed and cells[cell]:
            group.competencies = [
                cells[cell].get(c.pk)
                or CompetencyFigures(competency_id=c.pk, code=c.code, name=c.name, suppressed=True)
                for c in competencies
            ]
    return CampaignReport(
        campaign=campaign,
        threshold=campaign.anonymity_threshold,
        departments={d.pk: d for d in departments},
        parents=report_parents(departments),
        roles=dict(sorted(((r.pk, r) for r in roles), key=lambda item: item[1].code)),
        competencies=competencies,
        groups=groups,
    )


def _group(row: ReleaseFigure) -> GroupFigures:
    shown = not row.suppressed
    return GroupFigures(
        department_id=row.department_id,
        job_role_id=row.job_role_id,
        invited=row.invited,
        responded=row.responded or 0,
        index_sum=(row.index or 0.0) if shown else 0.0,
        index_count=1 if shown and row.index is not None else 0,
        suppressed=not shown,
    )


def _cell(row: ReleaseFigure, competency: Competency) -> CompetencyFigures:
    if row.suppressed:
        return CompetencyFigures(
            competency_id=competency.pk, code=competency.code, name=competency.name, suppressed=True
        )
    return CompetencyFigures(
        competency_id=competency.pk,
        code=competency.code,
        name=competency.name,
        n=row.n or 0,
        mean_level=row.mean_level,
        median_level=row.median_level,
        mean_target=row.mean_target,
        n_required=row.n_required,
        required_suppressed=row.n_required is None,
        mean_gap=row.mean_gap,
        pct_meeting=row.pct_meeting,
        mean_usage=row.mean_usage,
        levels=(row.level_0, row.level_1, row.level_2, row.level_3, row.level_4),
        priority=row.priority,
    )


# --- closing releases, release.csv ----------------------------------------------------------


def campaigns_needing_closing_release(*, now: dt.datetime | None = None):
    """Launched campaigns that have closed (by HR or past `closes_at`, extensions included)
    without a closing release for that close (a failed one is tried again)."""
    now = now or timezone.now()
    closed_at = Coalesce(F("closed_at"), F("closes_at"))
    made = Release.objects.filter(
        campaign=OuterRef("pk"), kind=Release.Kind.CLOSING, closing_of=OuterRef("closed_on")
    ).exclude(status=Release.Status.FAILED)
    return (
        Campaign.objects.filter(launch_completed_at__isnull=False)
        .filter(Q(closed_at__isnull=False) | Q(closes_at__lte=now))
        .annotate(closed_on=closed_at)
        .filter(~Exists(made))
    )


def make_closing_releases(*, now: dt.datetime | None = None) -> list[Release]:
    """Request the closing release of every campaign that needs one; running it twice
    requests nothing more."""
    return [
        release_request(campaign=campaign, kind=Release.Kind.CLOSING, closing_of=campaign.closed_on)
        for campaign in campaigns_needing_closing_release(now=now)
    ]


RELEASE_HEADERS = [
    "release",
    "made_at",
    "department_code",
    "role_code",
    "competency_code",
    "invited",
    "responded",
    "suppressed",
    "n",
    *FIGURE_FIELDS,
    "index",
]


def release_csv_rows(*, campaign: Campaign, release: Release | None = None) -> Iterator[list]:
    """release.csv: every built release of the campaign (or only `release`), exactly as
    managers read it, hidden figures empty (DESIGN.md "Data exchange")."""
    from .exports.campaign import timestamp

    figures = ReleaseFigure.objects.filter(release__campaign=campaign, release__status="done")
    if release is not None:
        figures = figures.filter(release=release)
    figures = figures.select_related("release").order_by(
        "release__number", "department_code", "role_code", "competency_code"
    )
    for row in figures.iterator(chunk_size=5000):
        shown = not row.suppressed
        values = [getattr(row, name) if shown else None for name in ("n", *FIGURE_FIELDS, "index")]
        if row.competency_code == "":
            values[0] = None  # a group row has no n of its own
            values[1 : 1 + len(FIGURE_FIELDS)] = [None] * len(FIGURE_FIELDS)
        else:
            values[-1] = None
        yield [
            row.release.number,
            timestamp(row.release.made_at),
            row.department_code,
            row.role_code,
            row.competency_code,
            row.invited,
            row.responded if shown else None,
            0 if shown else 1,
            *values,
        ]
