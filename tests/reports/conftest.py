"""A campaign with results over the standing tree (tests/conftest.py):

CITY (1 direct) ── WORKS (4) ── ROADS (3) ── POTHOLES (3)
               └── WELFARE (4)
with k = 3, three competencies, and an earlier campaign to compare with. Managers read
releases: the earlier campaign has its closing release, the current one an interim release.
"""

import datetime as dt

import pytest
from django.utils import timezone

from diagnostic.models import CompetencyScore
from reports.models import Release
from reports.releases import release_build, release_request
from tests.factories import (
    AreaFactory,
    CampaignFactory,
    CompetencyFactory,
    FrameworkFactory,
    ResponseFactory,
    RoleTargetFactory,
)

COUNTS = {"CITY": 1, "WORKS": 4, "ROADS": 3, "POTHOLES": 3, "WELFARE": 4}


def respond(campaign, department, role, levels: dict, *, submitted=True):
    """A respondent whose stored scores follow the formula (target from role targets)."""
    now = timezone.now()
    response = ResponseFactory(
        invitation__campaign=campaign,
        invitation__employee__department=department,
        invitation__employee__job_role=role,
        submitted_at=now if submitted else None,
        scored_at=now if submitted else None,
        index=25 * sum(levels.values()) / len(levels) if submitted else None,
    )
    if submitted:
        targets = {t.competency_id: t for t in role.targets.all()}
        for competency, level in levels.items():
            t = targets.get(competency.pk)
            target, importance = (t.target_level, t.importance) if t else (0, 1)
            CompetencyScore.objects.create(
                response=response,
                campaign=campaign,
                department=department,
                job_role=role,
                competency=competency,
                self_level=level,
                level=level,
                target=target,
                importance=importance,
                gap=max(0, target - level),
                required=target > 0,
                meets=level >= target,
                usage=2.0,
            )
    return response


def make_release(campaign, kind=Release.Kind.INTERIM, made_by=None) -> Release:
    """A release requested and built at once (the task would run after commit)."""
    closing_of = (
        (campaign.closed_at or campaign.closes_at) if kind == Release.Kind.CLOSING else None
    )
    release = release_request(campaign=campaign, kind=kind, made_by=made_by, closing_of=closing_of)
    return release_build(release_id=release.pk)


def respondents(campaign, department, role, count: int, *, index: float = 40) -> None:
    """`count` submitted responses without scores, for the counts and the index alone."""
    for _ in range(count):
        ResponseFactory(
            invitation__campaign=campaign,
            invitation__employee__department=department,
            invitation__employee__job_role=role,
            submitted_at="2026-01-01T10:00:00Z",
            scored_at="2026-01-01T10:00:00Z",
            index=index,
        )


def populate(campaign, competencies, tree, role, *, scale=1, shift=0.0):
    campaign.departments.add(tree["CITY"])
    for code, count in COUNTS.items():
        for i in range(count * scale):
            levels = {c: min(4.0, (i + j + shift) % 5) for j, c in enumerate(competencies)}
            respond(campaign, tree[code], role, levels)
    respond(campaign, tree["WORKS"], role, {}, submitted=False)


@pytest.fixture
def framework(db):
    framework = FrameworkFactory(code="datos")
    area = AreaFactory(framework=framework, code="A1")
    return framework, [
        CompetencyFactory(framework=framework, area=area, code=f"C{i}", descriptors=False)
        for i in range(1, 4)
    ]


@pytest.fixture
def results(tree, general_role, framework):
    """The current campaign (with an earlier one) and its competencies."""
    framework, competencies = framework
    RoleTargetFactory(
        competency=competencies[0], job_role=general_role, target_level=3, importance=3
    )
    RoleTargetFactory(competency=competencies[1], job_role=general_role, target_level=2)
    earlier = CampaignFactory(
        code="diag-2025",
        framework=framework,
        anonymity_threshold=3,
        opens_at=timezone.now() - dt.timedelta(days=400),
        closes_at=timezone.now() - dt.timedelta(days=370),
    )
    populate(earlier, competencies, tree, general_role, shift=1.0)
    campaign = CampaignFactory(code="diag-2026", framework=framework, anonymity_threshold=3)
    populate(campaign, competencies, tree, general_role)
    make_release(earlier, Release.Kind.CLOSING)
    make_release(campaign)
    return campaign


@pytest.fixture
def k5_released(tree, general_role, framework):
    """k = 5 with a release: WORKS has 10 respondents, 4 direct and 6 in ROADS, so ROADS is
    hidden (showing it would leave WORKS's own 4 < 5)."""
    framework, competencies = framework
    campaign = CampaignFactory(code="k5", framework=framework, anonymity_threshold=5)
    populate(campaign, competencies, tree, general_role)
    make_release(campaign)
    return campaign


@pytest.fixture
def exactly_k(tree, general_role, framework):
    """k = 3: WORKS and WELFARE have exactly three respondents each, nobody else responds."""
    framework, competencies = framework
    campaign = CampaignFactory(code="exact", framework=framework, anonymity_threshold=3)
    campaign.departments.add(tree["CITY"])
    for department in ("WORKS", "WELFARE"):
        for i in range(3):
            respond(campaign, tree[department], general_role, {competencies[0]: float(i)})
    return campaign
