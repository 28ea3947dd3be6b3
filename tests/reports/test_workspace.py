"""HR's home and exports page (reports/workspace/)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import audit
from accounts.models import AuditEvent
from diagnostic.models import Invitation
from reports.models import Release

from .conftest import respondents

pytestmark = pytest.mark.django_db


def test_hr_home_shows_open_campaigns_rates_reminders_import_and_release(
    client_as, results, hr, settings
):
    audit.record(action=AuditEvent.Action.IMPORT, user=hr, what="roster", file="padron.csv")
    # Two invitations were e-mailed long ago and never answered: they are due a reminder.
    unanswered = Invitation.objects.filter(campaign=results, response__isnull=True)
    unanswered.update(sent_at=timezone.now() - dt.timedelta(days=30))
    due = unanswered.count()
    response = client_as("hr").get(reverse("hr:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert [c.code for c in summary.open_campaigns] == [results.code]
    assert summary.selected == results
    campaign = summary.open_campaigns[0]
    assert campaign.invited == 16 and campaign.submitted == 15
    assert round(campaign.response_pct) == 94
    by_code = {row.department.code: row for row in summary.participation.rows}
    assert by_code["WORKS"].invited == 11 and by_code["WORKS"].submitted == 10
    assert summary.due_reminders == due
    assert summary.last_import.detail["file"] == "padron.csv"
    assert summary.last_release == Release.objects.current(results)
    page = response.content.decode()
    assert "padron.csv" in page and reverse("campaigns:detail", args=[results.pk]) in page


def test_hr_home_queries_do_not_grow_with_the_data(client_as, results, tree, general_role):
    client = client_as("hr")
    client.get(reverse("hr:home"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("hr:home"))
        return len(captured)

    few = queries()
    respondents(results, tree["POTHOLES"], general_role, 20)
    assert queries() == few


def test_exports_page_is_pseudonymous_unless_hr_may_identify(client_as, results):
    page = client_as("hr").get(reverse("hr:exports")).content.decode()
    answers = reverse("reports:export_individual", args=[results.code, "answers", "csv"])
    assert answers in page and f"{answers}?identified=1" not in page
    page = client_as("identified_exporter").get(reverse("hr:exports")).content.decode()
    assert f"{answers}?identified=1" in page


def test_exports_page_lists_every_export_of_the_design(client_as, results):
    page = client_as("hr").get(reverse("hr:exports"), {"campaign": results.code})
    body = page.content.decode()
    for what in ("answers", "scores"):
        for fmt in ("csv", "xlsx", "json"):
            assert reverse("reports:export_individual", args=[results.code, what, fmt]) in body
    assert reverse("reports:export_department_report", args=[results.code, "csv"]) in body
    assert body.count(reverse("reports:package_create", args=[results.code])) == 2
    assert 'name="open_data" value="1"' in body
