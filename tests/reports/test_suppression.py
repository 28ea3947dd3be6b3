"""Suppression: no group under k is shown anywhere, and no remainder 0 < R < k can be
derived by subtracting shown figures, over random trees and role breakdowns."""

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.aggregation import campaign_report
from reports.suppression import ORGANISATION, suppressed_cells
from tests.factories import CampaignFactory, JobRoleFactory, ResponseFactory


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


def responded_cells(parents, roles, direct):
    """Subtree totals for every (department, role) cell and (department, None)."""

    def ancestors(d):
        while d != ORGANISATION:
            yield d
            d = parents[d]
        yield ORGANISATION

    cells = defaultdict(int)
    for (d, r), count in direct.items():
        for a in ancestors(d):
            if r is not None:
                cells[(a, r)] += count
            cells[(a, None)] += count
    return dict(cells)


def maximal_shown(parents, department, role, responded, hidden):
    children = defaultdict(list)
    for d, p in parents.items():
        children[p].append(d)
    parts, stack = [], list(children[department])
    while stack:
        child = stack.pop()
        if (child, role) in responded and (child, role) not in hidden:
            parts.append((child, role))
        else:
            stack.extend(children[child])
    return parts


@settings(max_examples=400, deadline=None)
@given(case=trees())
def test_no_small_group_is_shown_or_derivable(case):
    parents, roles, direct, k = case
    responded = responded_cells(parents, roles, direct)
    hidden = suppressed_cells(
        responded=responded,
        parents=parents,
        department_codes={d: f"D{d:02d}" for d in parents},
        role_codes={r: f"R{r}" for r in range(1, roles + 1)},
        threshold=k,
    )
    shown = {cell for cell in responded if cell not in hidden}
    for cell in shown:
        assert responded[cell] >= k
        department, role = cell
        parts = maximal_shown(parents, department, role, responded, hidden)
        remainder = responded[cell] - sum(responded[p] for p in parts)
        assert remainder == 0 or remainder >= k, (cell, parts)
        if role is None:
            role_parts = [c for c in shown if c[0] == department and c[1] is not None]
            remainder = responded[cell] - sum(responded[p] for p in role_parts)
            assert remainder == 0 or remainder >= k, (cell, role_parts)
    for department, role in hidden:
        if role is None:
            assert not any(c[0] == department and c[1] is not None for c in shown)


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
        for _ in range(count):
            ResponseFactory(
                invitation__campaign=campaign,
                invitation__employee__department=tree[department],
                invitation__employee__job_role=role,
                submitted_at="2026-01-01T10:00:00Z",
                scored_at="2026-01-01T10:00:00Z",
                index=40,
            )
    report = campaign_report(campaign=campaign)
    welfare = report.group(tree["WELFARE"].pk)
    assert welfare.suppressed and welfare.invited == 2 and welfare.index is None
    # CITY (6) minus WORKS (4) leaves WELFARE's 2 derivable: WORKS is hidden too.
    assert report.group(tree["WORKS"].pk).suppressed
    assert not report.group(tree["CITY"].pk).suppressed
    assert report.group(tree["CITY"].pk).responded == 6
