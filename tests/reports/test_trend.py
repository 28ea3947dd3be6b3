"""The trend compares releases (issue 9): against the previous campaign a manager reads that
campaign's latest release; within the campaign the page shows the change since the previous
release, from the stored figures of both, only where both show a figure."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Release, ReleaseFigure
from tests.factories import CampaignFactory

from .conftest import make_release, populate, respond

pytestmark = pytest.mark.django_db


def department_page(client, code="diag-2026", department="WORKS"):
    return client.get(reverse("reports:department_report", args=[code, department]))


def stored(release, competency, department="WORKS"):
    return ReleaseFigure.objects.get(
        release=release, department_code=department, role_code="", competency_code=competency
    )


def set_stored(release, competency, **fields):
    ReleaseFigure.objects.filter(pk=stored(release, competency).pk).update(**fields)


def more_answers(campaign, tree, role, count=3, level=4.0):
    competencies = list(campaign.framework.competencies.all())
    for _ in range(count):
        respond(campaign, tree["WORKS"], role, dict.fromkeys(competencies, level))


# --- against the previous campaign ---------------------------------------------------------


def test_a_manager_compares_with_the_previous_campaigns_latest_release(
    client_as, results, tree, general_role
):
    earlier = CampaignFactory._meta.model.objects.get(code="diag-2025")
    first = Release.objects.current(earlier)
    latest = make_release(earlier)
    set_stored(first, "C1", mean_level=1.11)
    set_stored(latest, "C1", mean_level=3.21)
    page = department_page(client_as("manager")).context["page"]
    assert page.previous == earlier
    change = next(c for c in page.changes if c.code == "C1")
    assert change.before == pytest.approx(3.21)
    assert change.delta == pytest.approx(change.now - 3.21)


def test_a_manager_compares_with_the_latest_earlier_campaign_that_has_a_release(
    client_as, results, tree, general_role, framework
):
    framework, competencies = framework
    unreleased = CampaignFactory(
        code="diag-2025b",
        framework=framework,
        anonymity_threshold=3,
        opens_at=timezone.now() - dt.timedelta(days=200),
        closes_at=timezone.now() - dt.timedelta(days=180),
    )
    populate(unreleased, competencies, tree, general_role, shift=2.0)
    manager = department_page(client_as("manager")).context["page"]
    assert manager.previous.code == "diag-2025"  # the latest one managers can read
    earlier = Release.objects.current(manager.previous)
    c1 = next(c for c in manager.changes if c.code == "C1")
    assert c1.before == pytest.approx(stored(earlier, "C1").mean_level)
    hr = department_page(client_as("hr")).context["page"]
    assert hr.previous == unreleased  # HR reads live figures, released or not


def test_without_any_released_earlier_campaign_a_manager_has_nothing_to_compare(client_as, results):
    Release.objects.filter(campaign__code="diag-2025").delete()
    reply = department_page(client_as("manager"))
    assert reply.context["page"].previous is None
    assert "No hay un diagnóstico anterior para comparar" in reply.content.decode()


# --- within the campaign: since its previous release ---------------------------------------


def test_before_a_second_release_there_is_no_change_since_the_previous_release(client_as, results):
    page = department_page(client_as("manager")).context["page"]
    assert page.since_release is None


def test_the_change_since_the_previous_release_reads_both_releases_stored_figures(
    client_as, results, tree, general_role
):
    first = Release.objects.current(results)
    more_answers(results, tree, general_role)
    second = make_release(results)
    assert second.number == 2
    reply = department_page(client_as("manager"))
    since = reply.context["page"].since_release
    assert (since.before, since.after) == (first, second)
    by_code = {change.code: change for change in since.changes}
    assert set(by_code) == {"C1", "C2", "C3"}
    for code, change in by_code.items():
        assert change.before == pytest.approx(stored(first, code).mean_level)
        assert change.now == pytest.approx(stored(second, code).mean_level)
    assert by_code["C1"].delta > 0  # three people at level 4 joined WORKS
    assert 'data-testid="release-change"' in reply.content.decode()
    # Stored figures, not live ones: a figure edited in the stored release is what shows.
    set_stored(first, "C1", mean_level=0.5)
    since = department_page(client_as("manager")).context["page"].since_release
    assert next(c for c in since.changes if c.code == "C1").before == pytest.approx(0.5)


def test_a_figure_hidden_in_either_release_is_not_compared(client_as, results, tree, general_role):
    first = Release.objects.current(results)
    more_answers(results, tree, general_role)
    second = make_release(results)
    set_stored(first, "C2", state=ReleaseFigure.State.HIDDEN)
    set_stored(second, "C3", state=ReleaseFigure.State.HIDDEN)
    since = department_page(client_as("manager")).context["page"].since_release
    by_code = {change.code: change for change in since.changes}
    assert by_code["C2"].before is None and by_code["C2"].delta is None
    assert by_code["C3"].now is None and by_code["C3"].delta is None
    assert by_code["C1"].delta is not None


def test_hr_sees_the_same_comparison_between_the_two_latest_releases(
    client_as, results, tree, general_role
):
    more_answers(results, tree, general_role)
    make_release(results)
    manager = department_page(client_as("manager")).context["page"].since_release
    hr = department_page(client_as("hr")).context["page"].since_release
    assert [(c.code, c.before, c.now) for c in hr.changes] == [
        (c.code, c.before, c.now) for c in manager.changes
    ]


def test_hrs_release_page_shows_the_change_since_the_release_before_it(
    client_as, results, tree, general_role
):
    first = Release.objects.current(results)
    more_answers(results, tree, general_role)
    second = make_release(results)
    client = client_as("hr")
    page = client.get(reverse("reports:release_detail", args=[second.pk]))
    since = page.context["since"]
    assert (since.before, since.after) == (first, second)
    by_code = {(c.department, c.code): c for c in since.changes}
    assert set(by_code) == {("CITY", "C1"), ("CITY", "C2"), ("CITY", "C3")}
    for (department, code), change in by_code.items():
        assert change.before == pytest.approx(stored(first, code, department).mean_level)
        assert change.now == pytest.approx(stored(second, code, department).mean_level)
    assert 'data-testid="release-change"' in page.content.decode()
    first_page = client.get(reverse("reports:release_detail", args=[first.pk]))
    assert first_page.context["since"] is None
