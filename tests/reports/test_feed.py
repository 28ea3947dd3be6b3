"""The live feed (reports/feed.py): personal tokens HR issues and revokes, the current
release's figures only, every use in the audit log, failed checks limited."""

import csv
import io
import json

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from reports.feed import digest, issue_token, revoke_token
from reports.models import FeedToken, Release, ReleaseFigure
from reports.releases import RELEASE_HEADERS
from tests.factories import UserFactory

from .conftest import make_release, respondents

pytestmark = pytest.mark.django_db


def feed_url(campaign, file_format="csv"):
    return reverse("reports:feed", args=[campaign.code, file_format])


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_hr_issues_a_token_shown_once_and_stored_hashed(client_as, hr):
    client = client_as("hr")
    response = client.post(reverse("hr:feed_token_create"), {"name": "Power BI"}, follow=True)
    shown = response.context["new_token"]
    token = FeedToken.objects.get()
    assert token.user == hr and token.name == "Power BI"
    assert token.digest == digest(shown) and shown not in token.digest
    assert token.prefix == shown[:8]
    assert shown in response.content.decode()
    # Shown once: the next visit no longer has it.
    assert shown not in client.get(reverse("hr:feed_tokens")).content.decode()
    assert AuditEvent.objects.filter(action="feed_token", detail__step="issued").count() == 1


def test_feed_serves_the_current_release_only_with_a_group_under_k_empty(
    client, results, tree, general_role, hr
):
    _token, raw = issue_token(user=hr, name="Excel")
    current = Release.objects.current(results)
    response = client.get(feed_url(results), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    rows = read_csv(response)
    assert list(rows[0]) == RELEASE_HEADERS
    assert {r["release"] for r in rows} == {str(current.number)}
    assert len(rows) == ReleaseFigure.objects.filter(release=current).count()
    # CITY has one direct member (k = 3): its own-members figures never appear; every hidden
    # group has its count and figures empty, whatever the live data says.
    hidden = ReleaseFigure.objects.filter(release=current, state="hidden", competency_code="")
    assert hidden.exists()
    for row in rows:
        if row["suppressed"] == "1":
            assert row["responded"] == "" and row["mean_level"] == "" and row["index"] == ""
        else:
            assert int(row["responded"]) >= results.anonymity_threshold
    # Answers submitted after the release are not in the feed until the next one.
    respondents(results, tree["WELFARE"], general_role, 3)
    again = read_csv(client.get(feed_url(results), HTTP_AUTHORIZATION=f"Bearer {raw}"))
    assert again == rows


def test_feed_reads_a_token_in_the_address_and_answers_json(client, results, hr):
    _token, raw = issue_token(user=hr, name="Excel")
    response = client.get(feed_url(results, "json"), {"token": raw})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data and set(data[0]) == set(RELEASE_HEADERS)
    assert "no-store" in response["Cache-Control"]


def test_each_use_of_the_feed_is_audited(client, results, hr):
    token, raw = issue_token(user=hr, name="Excel")
    for _ in range(2):
        client.get(feed_url(results), HTTP_AUTHORIZATION=f"Bearer {raw}")
    uses = AuditEvent.objects.filter(action=AuditEvent.Action.FEED)
    assert uses.count() == 2
    event = uses.first()
    assert event.user == hr
    assert event.detail["campaign"] == results.code
    assert event.detail["release"] == Release.objects.current(results).number
    assert event.detail["rows"] > 0 and event.detail["token"] == token.prefix
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_opens_nothing(client, results, hr):
    token, raw = issue_token(user=hr, name="Excel")
    assert revoke_token(token=token, by=hr) is True
    assert revoke_token(token=token, by=hr) is False
    response = client.get(feed_url(results), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.FEED).exists()


def test_revoking_from_the_page(client_as, hr):
    token, _raw = issue_token(user=hr, name="Excel")
    response = client_as("hr").post(reverse("hr:feed_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="feed_token", detail__step="revoked").count() == 1


def test_a_token_stops_working_when_its_owner_leaves_hr(client, results, hr):
    _token, raw = issue_token(user=hr, name="Excel")
    hr.groups.clear()
    assert client.get(feed_url(results), {"token": raw}).status_code == 401


def test_a_token_of_someone_who_never_was_hr_opens_nothing(client, results, manager):
    _token, raw = issue_token(user=manager, name="sneaky")
    assert client.get(feed_url(results), {"token": raw}).status_code == 401


def test_a_campaign_without_a_release_answers_404(client, hr, framework, tree):
    from django.utils import timezone

    from tests.factories import CampaignFactory

    campaign = CampaignFactory(code="none-yet", framework=framework[0], launched_at=timezone.now())
    _token, raw = issue_token(user=hr, name="Excel")
    assert client.get(feed_url(campaign), {"token": raw}).status_code == 404


def test_failed_checks_are_limited_per_address_and_audited_once(client, results, hr, settings):
    settings.FEED_FAILURES_PER_HOUR = 3
    _token, raw = issue_token(user=hr, name="Excel")
    answers = [client.get(feed_url(results), {"token": "wrong"}).status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    # Past the limit even the right token waits for the window to pass.
    assert client.get(feed_url(results), {"token": raw}).status_code == 429
    limited = AuditEvent.objects.filter(action=AuditEvent.Action.RATE_LIMITED)
    assert limited.count() == 1 and limited.get().detail["what"] == "feed"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.FEED).exists()


def test_a_new_release_changes_what_the_feed_serves(client, results, tree, general_role, hr):
    _token, raw = issue_token(user=hr, name="Excel")
    respondents(results, tree["WELFARE"], general_role, 3)
    release = make_release(results, made_by=UserFactory())
    rows = read_csv(client.get(feed_url(results), {"token": raw}))
    assert {r["release"] for r in rows} == {str(release.number)}
