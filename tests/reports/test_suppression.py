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

from collections import defaultdict
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.aggregation import campaign_report
from reports.suppression import ORGANISATION, suppressed_cells
from tests.factories import CampaignFactory, DepartmentFactory, JobRoleFactory

from .conftest import respondents

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
