"""The department's first screen says in words what to act on, the strengths and the change,
from figures the page may show; the metric survives drill-down."""

import re

import pytest
from django.urls import reverse

from tests.factories import CampaignFactory

from .conftest import populate

pytestmark = pytest.mark.django_db


def department(client_as, code, **params):
    url = reverse("reports:department_report", args=[code, "WORKS"])
    return client_as("manager").get(url, params)


def test_first_screen_names_the_top_three_priorities_in_rank_order(client_as, results):
    response = department(client_as, results.code)
    page = response.context["page"]
    expected = [
        c
        for c in page.group.ranked
        if not c.suppressed and not c.required_suppressed and c.priority
    ][:3]
    assert expected and [c.code for c in page.act_on] == [c.code for c in expected]
    body = response.content.decode()
    start = body.index('data-testid="act-on"')
    block = body[start : body.index("</ol>", start)]
    positions = [block.index(c.name) for c in expected]
    assert positions == sorted(positions)
    for c in expected:
        assert f"{c.pct_meeting:.0f}%" in block
    # Said in words before any chart, and no raw priority score in it.
    assert body.index('data-testid="act-on"') < body.index('id="chart-heatmap"')
    assert not re.search(r"\d+\.\d\d", block.replace(",", ""))


def test_strengths_are_the_highest_share_meeting_target_outside_the_priorities(client_as, results):
    page = department(client_as, results.code).context["page"]
    acting = {c.code for c in page.act_on}
    shares = [c.pct_meeting for c in page.strengths]
    assert shares == sorted(shares, reverse=True)
    assert not acting & {c.code for c in page.strengths}
    others = [
        c.pct_meeting
        for c in page.group.competencies
        if c.pct_meeting is not None and not c.suppressed and c.code not in acting
    ]
    if page.strengths:
        assert min(shares) >= sorted(others, reverse=True)[len(shares) - 1]


def test_change_since_the_previous_campaign_is_said_in_words(client_as, results):
    response = department(client_as, results.code)
    page = response.context["page"]
    assert page.previous is not None
    rises, falls = page.rises_and_falls
    assert all(c.delta > 0 for c in rises) and all(c.delta < 0 for c in falls)
    body = response.content.decode()
    assert 'data-testid="change-in-words"' in body
    if rises:
        assert rises[0].name in body


def test_suppressed_department_has_no_first_screen(client_as, tree, general_role, framework):
    framework, competencies = framework
    campaign = CampaignFactory(code="tiny", framework=framework, anonymity_threshold=5)
    populate(campaign, competencies, tree, general_role)
    response = client_as("hr").get(reverse("reports:department_report", args=["tiny", "ROADS"]))
    assert 'data-testid="first-screen"' not in response.content.decode()


def test_the_metric_survives_drill_down(client_as, results):
    body = department(client_as, results.code, measure="gap").content.decode()
    child = reverse("reports:department_report", args=[results.code, "ROADS"])
    assert f'href="{child}?measure=gap"' in body
    body = department(client_as, results.code).content.decode()
    assert f'href="{child}"' in body and f"{child}?measure=gap" not in body


def test_breadcrumb_shows_every_ancestor_the_reader_may_see(client_as, results):
    url = reverse("reports:department_report", args=[results.code, "ROADS"])
    hr = client_as("hr").get(url).context["page"]
    assert [d.code for d in hr.ancestors] == ["CITY", "WORKS"]
    manager = client_as("manager").get(url).context["page"]
    assert [d.code for d in manager.ancestors] == ["WORKS"]  # the city is not theirs to see


def test_the_first_screen_links_the_approved_plans_for_the_readers_departments(
    client_as, results, tree, hr
):

    from diagnostic.campaigns.lifecycle import campaign_close
    from reports.plan.plans import plan_approve, plan_create

    assert 'data-testid="plan-link"' not in department(client_as, results.code).content.decode()
    campaign_close(campaign=results)
    plan_create(code="draft", name="Borrador", campaign=results)
    plan_approve(plan=plan_create(code="city", name="Plan ciudad", campaign=results), by=hr)
    elsewhere = plan_create(code="welfare", name="Otro", campaign=results, scope=tree["WELFARE"])
    plan_approve(plan=elsewhere, by=hr)
    body = department(client_as, results.code).content.decode()
    links = re.findall(r'data-testid="plan-link"><a href="([^"]+)"', body)
    assert links == [reverse("reports:plan_for_departments", args=["city"])]
    assert "Plan ciudad" in body and "Borrador" not in body and "Otro" not in body
