"""Suppression (DESIGN.md "Privacy: who may see a figure"), checked over random department
trees and role breakdowns against the design's words, not against reports/suppression.py's
traversal.

Safety, "no figure about fewer than k people can then be derived by subtracting shown figures":
- every shown cell has at least k respondents;
- wherever a shown group is broken into shown parts (a department into its highest shown
  descendants, within each job role as well; a department into its job roles), the remainder
  `R = responded(whole) - sum of responded(shown parts)` is 0 or at least k;
- a hidden group "shows nothing but its invited count", its job-role breakdown included
  (otherwise the hidden group would be the sum of its shown roles, and what its hiding
  protects could be derived through them).

Minimality, suppression hides nothing the design does not ask for. A hidden cell
- has fewer than k respondents ("shows nothing but its invited count"), or
- is a job-role cell of a hidden department (see the last safety rule), or
- is needed: showing it, and nothing else, would break safety, or
- is the part the design's procedure picks: at some point (the parts then shown being the ones
  shown at the end plus some that were hidden later) a group's remainder was between 1 and
  k - 1, and this cell was the shown part with the fewest respondents (ties: the lower code).
So hiding everything, or more than needed, fails the test.
"""

import csv
import io
from collections import defaultdict
from itertools import combinations

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.aggregation import campaign_report
from reports.suppression import ORGANISATION, suppressed_cells
from tests.factories import CampaignFactory, DepartmentFactory, JobRoleFactory

from .builders import Respondent, Spec, build_campaign
from .conftest import respondents
from .test_aggregation import specs, subtree

Cell = tuple[int, int | None]


@st.composite
def trees(draw):
    """Random department trees with a random number of respondents per department x role."""
    n = draw(st.integers(1, 9))
    parents = {1: ORGANISATION}
    for d in range(2, n + 1):
        parents[d] = draw(st.sampled_from([ORGANISATION, *range(1, d)]))
    roles = draw(st.integers(0, 3))
    direct = {(d, r): draw(st.integers(0, 9)) for d in parents for r in range(1, roles + 1)}
    if not roles:
        direct = {(d, None): draw(st.integers(0, 12)) for d in parents}
    return parents, roles, direct, draw(st.integers(3, 5))


class Report:
    """One random report: its cells' respondent counts and the design's rules about them."""

    def __init__(self, parents: dict[int, int], roles: int, direct: dict[Cell, int], k: int):
        self.parents, self.k = parents, k
        self.roles = range(1, roles + 1)
        self.responded: dict[Cell, int] = defaultdict(int)
        for (d, r), count in direct.items():
            for a in (d, *self.ancestors(d)):
                self.responded[(a, None)] += count
                if r is not None:
                    self.responded[(a, r)] += count
        self.responded = dict(self.responded)

    def ancestors(self, department: int) -> list[int]:
        """From the parent up to the organisation."""
        chain = []
        while department != ORGANISATION:
            department = self.parents[department]
            chain.append(department)
        return chain

    def code(self, cell: Cell) -> tuple[str, str]:
        department, role = cell
        return (f"D{department:02d}" if department else "", f"R{role}" if role else "")

    def below(self, whole: Cell) -> list[Cell]:
        """The cells of the same role column in the whole's subtree, the whole left out."""
        department, role = whole
        return [
            (d, role)
            for d in self.parents
            if (d, role) in self.responded and department in self.ancestors(d)
        ]

    def highest(self, whole: Cell, shown: set[Cell]) -> list[Cell]:
        """The whole's highest shown descendants: shown, with nothing shown between."""
        department, role = whole
        parts = []
        for cell in self.below(whole):
            chain = self.ancestors(cell[0])
            between = chain[: chain.index(department)]
            if cell in shown and not any((b, role) in shown for b in between):
                parts.append(cell)
        return parts

    def role_cells(self, department: int) -> list[Cell]:
        return [(department, r) for r in self.roles if (department, r) in self.responded]

    def breakdowns(self, whole: Cell, shown: set[Cell]) -> list[list[Cell]]:
        found = [self.highest(whole, shown)]
        if whole[1] is None:
            found.append([c for c in self.role_cells(whole[0]) if c in shown])
        return found

    def remainder(self, whole: Cell, parts) -> int:
        return self.responded[whole] - sum(self.responded[p] for p in parts)

    def unsafe(self, shown: set[Cell]) -> list:
        problems = [("small", c) for c in shown if self.responded[c] < self.k]
        for whole in shown:
            for parts in self.breakdowns(whole, shown):
                if 0 < self.remainder(whole, parts) < self.k:
                    problems.append(("remainder", whole, parts))
        for department, role in self.responded:
            if role is None and (department, None) not in shown:
                seen = [c for c in self.role_cells(department) if c in shown]
                problems += [("breakdown of a hidden group", c) for c in seen]
        return problems

    def picked(self, cell: Cell, shown: set[Cell]) -> bool:
        """Could the procedure have hidden `cell` as the smallest part of a failing remainder?

        Hiding only adds, so the parts shown at that time were those shown at the end plus
        some of the cells hidden since; the whole itself had k or more respondents."""
        for whole in self.responded:
            if whole == cell or self.responded[whole] < self.k:
                continue
            if cell[1] == whole[1] and cell in self.below(whole):
                column = self.below(whole)
                stage = self.highest
            elif whole[1] is None and cell in self.role_cells(whole[0]):
                column = self.role_cells(whole[0])
                stage = None
            else:
                continue
            later = [c for c in column if c not in shown and c != cell]
            later = [c for c in later if self.responded[c] >= self.k]
            for n in range(len(later) + 1):
                for extra in combinations(later, n):
                    then = {c for c in column if c in shown} | {cell, *extra}
                    parts = stage(whole, then) if stage else sorted(then)
                    if cell not in parts:
                        continue
                    smallest = min(parts, key=lambda p: (self.responded[p], self.code(p)))
                    if 0 < self.remainder(whole, parts) < self.k and smallest == cell:
                        return True
        return False

    def reasons(self, cell: Cell, shown: set[Cell]) -> bool:
        department, role = cell
        return (
            self.responded[cell] < self.k
            or (role is not None and (department, None) not in shown)
            or bool(self.unsafe(shown | {cell}))
            or self.picked(cell, shown)
        )


def suppress(report: Report) -> set[Cell]:
    return suppressed_cells(
        responded=report.responded,
        parents=report.parents,
        department_codes={d: report.code((d, None))[0] for d in report.parents},
        role_codes={r: report.code((0, r))[1] for r in report.roles},
        threshold=report.k,
    )


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(case=trees())
def test_no_small_group_is_shown_or_derivable_and_nothing_more_is_hidden(case):
    report = Report(*case)
    hidden = suppress(report)
    shown = set(report.responded) - hidden
    assert report.unsafe(shown) == []
    unexplained = [cell for cell in hidden if not report.reasons(cell, shown)]
    assert unexplained == []


def test_design_example_hides_the_smallest_sibling():
    # CITY(12) = WORKS(7) + WELFARE(5) ... and a direct member of CITY: R = 1 < 3.
    parents = {1: ORGANISATION, 2: 1, 3: 1}
    responded = {(ORGANISATION, None): 13, (1, None): 13, (2, None): 7, (3, None): 5}
    hidden = suppressed_cells(
        responded=responded,
        parents=parents,
        department_codes={1: "CITY", 2: "WORKS", 3: "WELFARE"},
        role_codes={},
        threshold=3,
    )
    assert hidden == {(3, None)}


def test_ties_hide_the_lower_code():
    parents = {1: ORGANISATION, 2: 1, 3: 1}
    responded = {(ORGANISATION, None): 11, (1, None): 11, (2, None): 5, (3, None): 5}
    hidden = suppressed_cells(
        responded=responded,
        parents=parents,
        department_codes={1: "CITY", 2: "B", 3: "A"},
        role_codes={},
        threshold=3,
    )
    assert hidden == {(3, None)}


def test_a_hidden_child_does_not_expose_through_its_shown_grandchildren():
    # G(12) -> P(10: C1=5, C2=5, no direct members), Q(2). Hiding P alone would leave
    # P = C1 + C2 and so Q = G - P derivable.
    parents = {1: ORGANISATION, 2: 1, 3: 1, 4: 2, 5: 2}
    responded = {
        (ORGANISATION, None): 12,
        (1, None): 12,
        (2, None): 10,
        (3, None): 2,
        (4, None): 5,
        (5, None): 5,
    }
    hidden = suppressed_cells(
        responded=responded,
        parents=parents,
        department_codes={1: "G", 2: "P", 3: "Q", 4: "C1", 5: "C2"},
        role_codes={},
        threshold=5,
    )
    shown = set(responded) - hidden
    assert shown == {(ORGANISATION, None), (1, None), (5, None)}


@pytest.mark.django_db
def test_report_shows_only_invited_for_small_groups(tree, general_role):
    campaign = CampaignFactory(anonymity_threshold=3)
    campaign.departments.add(tree["CITY"])
    other = JobRoleFactory(code="ZZZ")
    for department, role, count in (
        ("WORKS", general_role, 3),
        ("WELFARE", general_role, 2),
        ("WORKS", other, 1),
    ):
        respondents(campaign, tree[department], role, count)
    report = campaign_report(campaign=campaign)
    welfare = report.group(tree["WELFARE"].pk)
    assert welfare.suppressed and welfare.invited == 2 and welfare.index is None
    # CITY (6) minus WORKS (4) leaves WELFARE's 2 derivable: WORKS is hidden too.
    assert report.group(tree["WORKS"].pk).suppressed
    assert not report.group(tree["CITY"].pk).suppressed
    assert report.group(tree["CITY"].pk).responded == 6


@pytest.mark.django_db
def test_a_tie_hides_the_lower_code_not_the_later_created_department(general_role):
    # CITY (9) = 1 direct + B-SECOND (4) + A-FIRST (4): R = 1 < 3, and the two tie on 4.
    # B-SECOND is created first, so its primary key is the lower one: the code decides.
    city = DepartmentFactory(code="CITY")
    second = DepartmentFactory(code="B-SECOND", parent=city)
    first = DepartmentFactory(code="A-FIRST", parent=city)
    assert second.pk < first.pk
    campaign = CampaignFactory(anonymity_threshold=3)
    campaign.departments.add(city)
    for department, count in ((city, 1), (second, 4), (first, 4)):
        respondents(campaign, department, general_role, count)
    report = campaign_report(campaign=campaign)
    assert report.group(first.pk).suppressed
    assert not report.group(second.pk).suppressed and report.group(second.pk).responded == 4
    assert report.group(city.pk).responded == 9


# --- every figure over its own count: per competency `n`, and the subsets ------------------
#
# DESIGN.md: the complementary rule holds "per competency with `n` in place of `responded`",
# and "a figure computed over a subset of a shown group (`mean_gap`, `pct_meeting` and
# `priority` over `n_required`; `mean_usage` over those who answered a frequency question)
# obeys the same rules with that subset's count, and is empty when it fails them". The oracle
# below counts people straight from the generated respondents and checks every shown figure
# of `campaign_report` against those words; it shares nothing with reports/suppression.py.

COUNTS = {
    # kind -> (is this respondent counted for competency c, is the kind's figure shown)
    "n": (lambda r, c, spec: c in r.scores, lambda f: not f.suppressed),
    "n_required": (
        lambda r, c, spec: c in r.scores and spec.targets.get((r.role, c), (0, 1))[0] > 0,
        lambda f: not f.suppressed and not f.required_suppressed,
    ),
    "n_usage": (
        lambda r, c, spec: c in r.scores and r.scores[c][1] is not None,
        lambda f: not f.suppressed and not f.usage_suppressed,
    ),
}


@st.composite
def crowded(draw):
    """Few departments and many people, most of whom score, so that groups, competencies and
    subsets of k or more sit side by side and remainders of 1 to k - 1 are common."""
    n_departments = draw(st.integers(2, 4))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_departments)]
    roles = draw(st.integers(1, 2))
    scores = st.dictionaries(
        st.integers(0, 1),
        st.tuples(st.sampled_from([0.0, 1.5, 3.0, 4.0]), st.none() | st.just(2.0)),
        min_size=1,
    )
    respondents = draw(
        st.lists(
            st.builds(
                Respondent,
                department=st.integers(0, n_departments - 1),
                role=st.integers(0, roles - 1),
                scores=scores,
            ),
            min_size=12,
            max_size=40,
        )
    )
    targets = draw(
        st.dictionaries(
            st.tuples(st.integers(0, roles - 1), st.integers(0, 1)),
            st.tuples(st.integers(1, 4), st.just(1)),
        )
    )
    return Spec(parents, roles, 2, targets, respondents, 3)


def competency_safety_problems(spec, built, report) -> list:
    index = {d.pk: i for i, d in enumerate(built.departments)}
    role_index = {r.pk: i for i, r in enumerate(built.roles)}
    k = spec.threshold
    problems = []
    for c, competency in enumerate(built.competencies):
        for kind, (counted, shown_kind) in COUNTS.items():

            def people(cell, counted=counted, c=c):
                department, role = cell
                members = (
                    set(range(len(spec.departments)))
                    if department == ORGANISATION
                    else subtree(spec, index[department])
                )
                return sum(
                    1
                    for r in spec.respondents
                    if r.submitted
                    and r.department in members
                    and (role is None or r.role == role_index[role])
                    and counted(r, c, spec)
                )

            def shown(cell, shown_kind=shown_kind, code=competency.code):
                group = report.groups.get(cell)
                if group is None or group.suppressed:
                    return False
                figures = group.competency(code)
                return figures is not None and shown_kind(figures)

            cells = list(report.groups)
            for cell in filter(shown, cells):
                figures = report.groups[cell].competency(competency.code)
                if getattr(figures, kind) != people(cell):
                    problems.append(("wrong count", kind, competency.code, cell))
                if 0 < people(cell) < k:
                    problems.append(("small", kind, competency.code, cell))
                department, role = cell
                parts = highest_shown(report, department, role, shown)
                if role is None:
                    roles = [(department, r) for r in report.roles if (department, r) in cells]
                    breakdowns = [parts, [p for p in roles if shown(p)]]
                else:
                    breakdowns = [parts]
                for split in breakdowns:
                    remainder = people(cell) - sum(people(p) for p in split)
                    if 0 < remainder < k:
                        problems.append(("remainder", kind, competency.code, cell, split))
            for department, role in cells:
                hidden_whole = role is not None and not shown((department, None))
                if hidden_whole and shown((department, role)) and people((department, role)):
                    problems.append(("breakdown", kind, competency.code, (department, role)))
    return problems


def highest_shown(report, department: int, role, shown) -> list[Cell]:
    """The department's highest descendants in the same role column that show the figure."""
    parts, stack = [], [d for d, p in report.parents.items() if p == department]
    while stack:
        child = stack.pop()
        if shown((child, role)):
            parts.append((child, role))
        else:
            stack.extend(d for d, p in report.parents.items() if p == child)
    return parts


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(spec=st.one_of(specs(max_respondents=30), crowded()))
def test_no_competency_or_subset_figure_is_about_fewer_than_k_or_derivable(db, spec):
    with transaction.atomic():
        built = build_campaign(spec)
        report = campaign_report(campaign=built.campaign, by_role=True)
        assert competency_safety_problems(spec, built, report) == []
        transaction.set_rollback(True)


def people(department: int, count: int, *, role: int = 0, scores=None) -> list[Respondent]:
    return [
        Respondent(department=department, role=role, scores=dict(scores or {0: (2.0, 2.0)}))
        for _ in range(count)
    ]


def figures_of(built, report, department: int | None, competency: int = 0, role=None):
    pk = ORGANISATION if department is None else built.departments[department].pk
    role_pk = None if role is None else built.roles[role].pk
    return report.group(pk, role_pk).competency(built.competencies[competency].code)


# Role 0 must reach level 3 in competency 0; role 1 has no target there.
REQUIRED_FOR_ROLE_0 = {(0, 0): (3, 2)}


@pytest.mark.django_db
def test_figures_over_the_required_are_empty_when_fewer_than_k_are_required():
    # One department of 6 (k = 3): 2 must reach level 3, 4 need not. The level figures are
    # over 6 people; "0 % meeting the target" would be about those 2.
    respondents = people(0, 2, role=0, scores={0: (1.0, 2.0)}) + people(0, 4, role=1)
    built = build_campaign(Spec([None], 2, 1, REQUIRED_FOR_ROLE_0, respondents, threshold=3))
    report = campaign_report(campaign=built.campaign, by_role=True)
    figures = figures_of(built, report, 0)
    assert not figures.suppressed and figures.n == 6
    assert figures.mean_level == pytest.approx(5 / 3)
    assert figures.required_suppressed
    assert (figures.n_required, figures.mean_gap, figures.pct_meeting, figures.priority) == (
        None,
        None,
        None,
        None,
    )
    assert not figures.usage_suppressed and figures.mean_usage == 2.0


@pytest.mark.django_db
def test_figures_over_exactly_k_required_are_shown():
    respondents = people(0, 3, role=0, scores={0: (1.0, 2.0)}) + people(0, 3, role=1)
    built = build_campaign(Spec([None], 2, 1, REQUIRED_FOR_ROLE_0, respondents, threshold=3))
    figures = figures_of(built, campaign_report(campaign=built.campaign), 0)
    assert not figures.required_suppressed
    assert (figures.n_required, figures.mean_gap, figures.pct_meeting) == (3, 2.0, 0.0)
    assert figures.priority == pytest.approx(3 * 2 * 2.0)


@pytest.mark.django_db
def test_mean_usage_over_one_person_in_a_group_of_six_is_empty():
    respondents = people(0, 1) + people(0, 5, scores={0: (2.0, None)})
    built = build_campaign(Spec([None], 1, 1, {}, respondents, threshold=3))
    figures = figures_of(built, campaign_report(campaign=built.campaign), 0)
    assert not figures.suppressed and figures.n == 6
    assert figures.usage_suppressed and (figures.n_usage, figures.mean_usage) == (None, None)


@pytest.mark.parametrize(("direct_usage", "hidden"), [(1, {"GD01"}), (0, set()), (3, set())])
@pytest.mark.django_db
def test_a_usage_remainder_under_k_hides_the_smaller_part_ties_by_lower_code(direct_usage, hidden):
    # GD00 has 3 direct members, `direct_usage` of them answered the frequency questions;
    # GD01 and GD02 have 3 each who all did. GD00's usage minus its parts' is about
    # `direct_usage` people: 1 is too few, so a part goes (the two tie: the lower code).
    respondents = (
        people(0, direct_usage)
        + people(0, 3 - direct_usage, scores={0: (2.0, None)})
        + people(1, 3)
        + people(2, 3)
    )
    built = build_campaign(Spec([None, 0, 0], 1, 1, {}, respondents, threshold=3))
    report = campaign_report(campaign=built.campaign)
    usage_hidden = {
        d.code
        for i, d in enumerate(built.departments)
        if figures_of(built, report, i).usage_suppressed
    }
    assert usage_hidden == hidden
    for i in range(3):  # the level figures are over n, which is the same for all: all shown
        assert not figures_of(built, report, i).suppressed


@pytest.mark.django_db
def test_a_competency_too_few_scored_hides_its_sibling_when_parent_minus_sibling_tells():
    # GD01: 2 of 3 scored competency 0 (hidden: fewer than k). GD02: 4 did. GD00's 3 direct
    # members skipped it, so GD00 (6) - GD02 (4) would be GD01's 2, levels and bands.
    skipped = {1: (2.0, 2.0)}
    respondents = (
        people(0, 3, scores=skipped)
        + people(1, 2, scores={0: (0.0, 1.0), 1: (2.0, 2.0)})
        + people(1, 1, scores=skipped)
        + people(2, 4, scores={0: (3.0, 1.0), 1: (2.0, 2.0)})
    )
    built = build_campaign(Spec([None, 0, 0], 1, 2, {}, respondents, threshold=3))
    report = campaign_report(campaign=built.campaign)
    assert figures_of(built, report, 1).suppressed
    assert figures_of(built, report, 2).suppressed
    parent = figures_of(built, report, 0)
    assert not parent.suppressed and parent.n == 6
    assert not figures_of(built, report, 2, competency=1).suppressed  # another count: shown
    assert not report.group(built.departments[2].pk).suppressed


@pytest.mark.parametrize(("direct_scored", "hidden"), [(1, {"GD01"}), (0, set()), (3, set())])
@pytest.mark.django_db
def test_a_competency_remainder_under_k_hides_the_part_with_the_fewest(direct_scored, hidden):
    # GD00: 3 direct members, `direct_scored` of them scored competency 0; GD01: 3, GD02: 4.
    respondents = (
        people(0, direct_scored)
        + people(0, 3 - direct_scored, scores={1: (2.0, 2.0)})
        + people(1, 3)
        + people(2, 4)
    )
    built = build_campaign(Spec([None, 0, 0], 1, 2, {}, respondents, threshold=3))
    report = campaign_report(campaign=built.campaign)
    suppressed = {
        d.code for i, d in enumerate(built.departments) if figures_of(built, report, i).suppressed
    }
    assert suppressed == hidden
    assert not any(report.group(d.pk).suppressed for d in built.departments)


@pytest.mark.django_db
def test_a_hidden_competency_cell_hides_its_role_breakdown():
    # GD01's competency 0 is hidden as the smaller part (GD00 has one direct scorer); its
    # roles' cells would add up to it, so they are hidden too.
    respondents = (
        people(0, 1)
        + people(0, 2, scores={1: (2.0, 2.0)})
        + people(1, 3, role=0)
        + people(1, 3, role=1)
        + people(2, 7)
    )
    built = build_campaign(Spec([None, 0, 0], 2, 2, {}, respondents, threshold=3))
    report = campaign_report(campaign=built.campaign, by_role=True)
    assert figures_of(built, report, 1).suppressed
    assert not report.group(built.departments[1].pk, built.roles[0].pk).suppressed
    assert figures_of(built, report, 1, role=0).suppressed
    assert figures_of(built, report, 1, role=1).suppressed


@pytest.mark.django_db
def test_department_report_csv_leaves_figures_over_too_few_empty(client_as):
    # GD00: 6 people, 2 of them required (role 0), 1 answered the frequency questions.
    respondents = (
        people(0, 1, role=0, scores={0: (1.0, 3.0)})
        + people(0, 1, role=0, scores={0: (1.0, None)})
        + people(0, 4, role=1, scores={0: (2.0, None)})
    )
    built = build_campaign(Spec([None], 2, 1, REQUIRED_FOR_ROLE_0, respondents, threshold=3))
    url = reverse("reports:export_department_report", args=[built.campaign.code, "csv"])
    response = client_as("hr").get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    (row,) = [r for r in rows if r["department_code"] == "GD00"]
    assert (row["suppressed"], row["responded"], row["n"]) == ("0", "6", "6")
    assert float(row["mean_level"]) == pytest.approx(10 / 6)
    for column in ("n_required", "mean_gap", "pct_meeting", "priority", "mean_usage"):
        assert row[column] == "", column
