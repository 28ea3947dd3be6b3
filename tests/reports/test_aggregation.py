"""The database aggregation against a direct Python implementation of DESIGN.md's formulas."""

import datetime as dt
import math
from statistics import fmean, median

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostic.assessment.scoring import score_response
from reports.aggregation import _competency_rows as unsuppressed_rows
from reports.aggregation import campaign_report, previous_campaign
from reports.suppression import ORGANISATION
from tests.factories import (
    AnswerFactory,
    CampaignFactory,
    CompetencyFactory,
    InvitationFactory,
    JobRoleFactory,
    QuestionFactory,
    ResponseFactory,
    RoleTargetFactory,
    knowledge_question,
)

from .builders import Respondent, Spec, build_campaign
from .conftest import make_release, respondents

pytestmark = pytest.mark.django_db

LEVELS = st.sampled_from([0.0, 0.5, 1.0, 1.25, 2.0, 2.5, 2.75, 3.0, 3.3333333333, 3.75, 4.0])


@st.composite
def specs(draw, max_respondents=24):
    n_departments = draw(st.integers(1, 6))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, n_departments)]
    roles = draw(st.integers(1, 3))
    competencies = draw(st.integers(1, 3))
    targets = draw(
        st.dictionaries(
            st.tuples(st.integers(0, roles - 1), st.integers(0, competencies - 1)),
            st.tuples(st.integers(0, 4), st.integers(1, 3)),
        )
    )
    respondents = draw(
        st.lists(
            st.builds(
                Respondent,
                department=st.integers(0, n_departments - 1),
                role=st.integers(0, roles - 1),
                submitted=st.booleans(),
                scores=st.dictionaries(
                    st.integers(0, competencies - 1),
                    st.tuples(LEVELS, st.none() | st.sampled_from([0.0, 1.0, 2.5, 4.0])),
                ),
            ),
            max_size=max_respondents,
        )
    )
    return Spec(parents, roles, competencies, targets, respondents, draw(st.integers(3, 5)))


def subtree(spec: Spec, root: int) -> set[int]:
    members = {root}
    for i, parent in enumerate(spec.departments):
        j = parent
        while j is not None:
            if j == root:
                members.add(i)
                break
            j = spec.departments[j]
    return members


def expected_figures(spec: Spec, members: set[int], competency: int) -> dict:
    """DESIGN.md "Department figures (exact)", written out directly."""
    rows = []
    for r in spec.respondents:
        if r.submitted and r.department in members and competency in r.scores:
            level, usage = r.scores[competency]
            target, importance = spec.targets.get((r.role, competency), (0, 1))
            rows.append((level, target, importance, usage))
    required = [(lv, t) for lv, t, _, _ in rows if t > 0]
    usages = [u for *_, u in rows if u is not None]
    bands = [0] * 5
    for level, *_ in rows:
        bands[min(4, math.floor(level))] += 1
    return {
        "n": len(rows),
        "mean_level": fmean(lv for lv, *_ in rows) if rows else None,
        "median_level": median(lv for lv, *_ in rows) if rows else None,
        "mean_target": fmean(t for _, t, _, _ in rows) if rows else None,
        "n_required": len(required),
        "mean_gap": fmean(max(0, t - lv) for lv, t in required) if required else None,
        "pct_meeting": (
            100 * sum(lv >= t for lv, t in required) / len(required) if required else None
        ),
        "mean_usage": fmean(usages) if usages else None,
        "levels": bands,
        "priority": sum(max(0, t - lv) * imp for lv, t, imp, _ in rows),
    }


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-9, abs=1e-9)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=specs())
def test_every_subtree_figure_matches_the_formulas(db, spec):
    with transaction.atomic():
        built = build_campaign(spec)
        got = {
            (row[0], row[2]): row
            for row in unsuppressed_rows(campaign=built.campaign)
            if row[0] != ORGANISATION
        }
        for i, department in enumerate(built.departments):
            for c, competency in enumerate(built.competencies):
                want = expected_figures(spec, subtree(spec, i), c)
                row = got.get((department.pk, competency.pk))
                if want["n"] == 0:
                    assert row is None
                    continue
                n, mean, med, target, n_req, gap, pct, usage, *levels, priority = row[3:]
                assert (n, n_req, list(levels)) == (want["n"], want["n_required"], want["levels"])
                assert mean == approx(want["mean_level"])
                assert med == approx(want["median_level"])
                assert target == approx(want["mean_target"])
                assert gap == approx(want["mean_gap"])
                assert pct == approx(want["pct_meeting"])
                assert usage == approx(want["mean_usage"])
                assert priority == approx(want["priority"])
        transaction.set_rollback(True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=specs())
def test_shown_groups_carry_the_formulas_and_counts(db, spec):
    with transaction.atomic():
        built = build_campaign(spec)
        report = campaign_report(campaign=built.campaign)
        for i, department in enumerate(built.departments):
            members = subtree(spec, i)
            mine = [r for r in spec.respondents if r.department in members]
            responders = [r for r in mine if r.submitted]
            group = report.group(department.pk)
            assert group.invited == len(mine)
            if len(responders) < spec.threshold:
                assert group.suppressed
            if group.suppressed:
                assert group.competencies == [] and group.index is None
                continue
            assert group.responded == len(responders)
            indexes = [
                25 * fmean(lv for lv, _ in r.scores.values()) for r in responders if r.scores
            ]
            assert group.index == approx(fmean(indexes) if indexes else None)
            for c, competency in enumerate(built.competencies):
                figures = group.competency(competency.code)
                want = expected_figures(spec, members, c)
                if 0 < want["n"] < spec.threshold:
                    assert figures.suppressed and figures.mean_level is None
                if figures.suppressed:
                    continue  # too few, or the smaller part of a remainder (test_suppression)
                assert figures.n == want["n"]
                assert figures.median_level == approx(want["median_level"])
                if 0 < want["n_required"] < spec.threshold:
                    assert figures.required_suppressed and figures.pct_meeting is None
                if not figures.required_suppressed:
                    assert figures.n_required == want["n_required"]
                    assert figures.priority == approx(want["priority"])
                    assert figures.pct_meeting == approx(want["pct_meeting"])
                else:
                    assert (figures.n_required, figures.mean_gap, figures.priority) == (
                        None,
                        None,
                        None,
                    )
                if not figures.usage_suppressed:
                    assert figures.mean_usage == approx(want["mean_usage"])
            ranked = [c for c in group.ranked if not c.suppressed and c.priority is not None]
            assert ranked == sorted(ranked, key=lambda c: (-c.priority, c.code))
            assert group.ranked[: len(ranked)] == ranked  # those without a priority come last
        transaction.set_rollback(True)


def test_figures_from_real_answers_follow_the_scoring(tree, general_role):
    campaign = CampaignFactory(anonymity_threshold=3)
    campaign.departments.add(tree["CITY"])
    competency = CompetencyFactory(framework=campaign.framework, area__framework=campaign.framework)
    self_q = QuestionFactory(competency=competency)
    knowledge = knowledge_question(competency)
    RoleTargetFactory(competency=competency, job_role=general_role, target_level=3, importance=2)
    levels = []
    for value, option in [(1, "a"), (2, "b"), (3, "a"), (4, "dk")]:
        response = ResponseFactory(
            invitation=InvitationFactory(
                campaign=campaign,
                employee__department=tree["ROADS"],
                employee__job_role=general_role,
            ),
            submitted_at="2026-01-01T10:00:00Z",
        )
        AnswerFactory(response=response, question=self_q, value=value)
        AnswerFactory(
            response=response,
            question=knowledge,
            value=None,
            option=knowledge.options.get(code=option),
        )
        score_response(response=response)
        levels.append(0.75 * value + (1.0 if option == "a" else 0.0))
    figures = campaign_report(campaign=campaign).group(tree["WORKS"].pk).competency(competency.code)
    assert figures.n == 4
    assert figures.mean_level == pytest.approx(fmean(levels))
    assert figures.median_level == pytest.approx(median(levels))
    assert figures.priority == pytest.approx(sum(2 * max(0, 3 - lv) for lv in levels))
    assert figures.pct_meeting == pytest.approx(100 * sum(lv >= 3 for lv in levels) / 4)


def test_a_department_without_invitations_still_appears_with_nothing_shown(tree):
    campaign = CampaignFactory()
    campaign.departments.add(tree["CITY"])
    InvitationFactory(campaign=campaign, employee__department=tree["ROADS"])
    report = campaign_report(campaign=campaign)
    welfare = report.group(tree["WELFARE"].pk)
    assert (welfare.invited, welfare.suppressed) == (0, True)
    assert report.group(tree["WORKS"].pk).invited == 1
    assert set(report.departments) == {d.pk for d in tree.values()}


def test_the_organisation_counts_everyone_invited(tree):
    campaign = CampaignFactory()
    campaign.departments.add(tree["CITY"])
    for department in ("ROADS", "WELFARE", "CITY"):
        InvitationFactory(campaign=campaign, employee__department=tree[department])
    assert campaign_report(campaign=campaign).organisation.invited == 3


def test_role_breakdown_splits_the_department(tree):
    campaign = CampaignFactory(anonymity_threshold=3)
    campaign.departments.add(tree["CITY"])
    a, b = JobRoleFactory(code="AAA"), JobRoleFactory(code="BBB")
    for role, count in ((a, 3), (b, 4)):
        respondents(campaign, tree["WORKS"], role, count, index=50)
    report = campaign_report(campaign=campaign, within=tree["WORKS"], depth=1, by_role=True)
    counts = {role.code: group.responded for role, group in report.role_groups(tree["WORKS"].pk)}
    assert counts == {"AAA": 3, "BBB": 4}
    assert report.group(tree["WORKS"].pk).index == 50


def test_a_group_of_exactly_k_is_shown(exactly_k, tree):
    report = campaign_report(campaign=exactly_k)
    works = report.group(tree["WORKS"].pk)
    assert not works.suppressed and works.responded == 3
    figures = works.competency("C1")
    assert not figures.suppressed and figures.n == 3 and figures.mean_level == pytest.approx(1.0)
    assert report.group(tree["ROADS"].pk).suppressed  # nobody there: under k


# --- the previous campaign, for the change since then ------------------------------------


def campaign_over(tree, code, population, *, days_ago, invited=(), launched=True):
    """A campaign of the `population` departments that opened `days_ago`, with one
    invitation in each of the `invited` departments."""
    opens = timezone.now() - dt.timedelta(days=days_ago)
    campaign = CampaignFactory(
        code=code,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=20),
        launched_at=opens if launched else None,
    )
    campaign.departments.add(*(tree[d] for d in population))
    for department in invited:
        InvitationFactory(campaign=campaign, employee__department=tree[department])
    return campaign


def test_an_earlier_campaign_of_a_disjoint_population_is_not_the_previous_one(tree, hr):
    now = campaign_over(tree, "now", ["WORKS"], days_ago=1)
    campaign_over(tree, "welfare", ["WELFARE"], days_ago=100)
    assert previous_campaign(campaign=now, user=hr) is None


@pytest.mark.parametrize("population", [["CITY"], ["WORKS"], ["POTHOLES"], ["WELFARE", "ROADS"]])
def test_an_earlier_campaign_whose_population_overlaps_is_the_previous_one(tree, hr, population):
    now = campaign_over(tree, "now", ["WORKS"], days_ago=1)
    before = campaign_over(tree, "before", population, days_ago=100)
    assert previous_campaign(campaign=now, user=hr) == before


def test_the_previous_campaign_is_the_latest_earlier_overlapping_one(tree, hr):
    now = campaign_over(tree, "now", ["ROADS"], days_ago=10)
    campaign_over(tree, "oldest", ["CITY"], days_ago=400)
    latest = campaign_over(tree, "latest", ["WORKS"], days_ago=200)
    campaign_over(tree, "disjoint", ["WELFARE"], days_ago=100)
    campaign_over(tree, "draft", ["CITY"], days_ago=50, launched=False)
    campaign_over(tree, "later", ["CITY"], days_ago=5)
    assert previous_campaign(campaign=now, user=hr) == latest


def test_the_previous_campaign_is_one_the_reader_may_see(client_as, tree, hr, manager):
    now = campaign_over(tree, "now", ["CITY"], days_ago=1, invited=["WORKS", "WELFARE"])
    # The latest earlier campaign invited nobody below WORKS: the manager cannot read it.
    hidden = campaign_over(tree, "welfare-only", ["CITY"], days_ago=100, invited=["WELFARE"])
    seen = campaign_over(tree, "with-roads", ["CITY"], days_ago=300, invited=["ROADS"])
    assert previous_campaign(campaign=now, user=hr) == hidden
    assert previous_campaign(campaign=now, user=manager) == seen
    make_release(now)
    make_release(seen)  # a manager compares with what they can read of it: its release
    page = client_as("manager").get(reverse("reports:department_report", args=["now", "WORKS"]))
    assert page.context["page"].previous == seen
