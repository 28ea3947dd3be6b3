"""DESIGN.md "Links are not keys to results", attack by attack, through HTTP.

A link travels: QR cards on paper, a supervisor who knows it, a phone left on a desk. It opens
the assessment for the person it names while the campaign is open; it never opens that
person's results or raw answers on its own.
"""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from diagnostic.models import Campaign, Response
from tests.factories import EmployeeFactory

from .data import make_assessment, open_link, started

pytestmark = pytest.mark.django_db

CODE_SHOWN = re.compile(r'data-testid="results-code">([0-9A-Z]{4}-[0-9A-Z]{4})<')


def submit_through_the_site(client, assessment) -> str:
    """Open the link, submit, and return the results code the results page shows."""
    started(assessment)
    open_link(client, assessment)
    reply = client.post(assessment.url("submit"), follow=True)
    return CODE_SHOWN.search(reply.content.decode()).group(1)


def asks_for_the_code(reply) -> bool:
    body = reply.content.decode()
    return (
        reply.status_code == 403
        and 'name="code"' in body
        and "Content-Disposition" not in reply
        and "respondent-index" not in body
    )


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


# --- the assessment only for the person named -------------------------------------------


@pytest.mark.parametrize("someone", ["manager", "hr", "other_employee"])
def test_someone_signed_in_who_opens_the_link_of_an_employee_without_account_gets_nothing(
    someone, client_as
):
    assessment = make_assessment(employee=EmployeeFactory(user=None))
    client = client_as(someone)
    for name in ("start", "privacy", "review"):
        assert client.get(assessment.url(name)).status_code == 404
    assert not Response.objects.exists()  # not even a draft was made
    assert len(events(AuditEvent.Action.LINK_REFUSED)) == 3


@pytest.mark.parametrize("someone", ["manager", "hr"])
def test_someone_signed_in_reads_no_results_or_data_through_an_employees_link(someone, client_as):
    assessment = make_assessment(employee=EmployeeFactory(user=None))
    submit_through_the_site(Client(), assessment)
    client = client_as(someone)
    assert client.get(assessment.url("results")).status_code == 404
    assert client.get(assessment.url("download", what="data.json")).status_code == 404
    assert client.post(assessment.url("code"), {"code": "AAAA-AAAA"}).status_code == 404


def test_a_closed_campaigns_link_does_not_open_the_assessment(client):
    assessment = make_assessment(closed_at=timezone.now())
    assert client.get(assessment.url("start")).status_code == 403
    assert not Response.objects.exists()


# --- results only with proof of being the employee --------------------------------------


def test_the_session_that_submitted_reads_its_results_and_data(client):
    assessment = make_assessment()
    submit_through_the_site(client, assessment)
    assert client.get(assessment.url("results")).status_code == 200
    reply = client.get(assessment.url("download", what="data.json"))
    assert reply.status_code == 200 and reply.json()["campaign"] == assessment.campaign.code


def test_a_second_device_with_only_the_link_gets_the_code_form_not_the_results(client):
    assessment = make_assessment()
    submit_through_the_site(client, assessment)
    second = Client()
    assert open_link(second, assessment)["Location"] == assessment.url("results")
    assert asks_for_the_code(second.get(assessment.url("results")))
    for what in ("data.json", "answers.csv", "results.csv"):
        assert asks_for_the_code(second.get(assessment.url("download", what=what)))


def test_last_years_closed_campaign_link_opens_no_results_without_the_code(client):
    a_year_ago = timezone.now() - dt.timedelta(days=365)
    assessment = make_assessment()
    code = submit_through_the_site(Client(), assessment)
    Campaign.objects.update(
        opens_at=a_year_ago - dt.timedelta(days=30), closes_at=a_year_ago, closed_at=a_year_ago
    )
    open_link(client, assessment)
    assert asks_for_the_code(client.get(assessment.url("results")))
    assert asks_for_the_code(client.get(assessment.url("download", what="data.json")))
    assert client.post(assessment.url("code"), {"code": code}).status_code == 302
    assert client.get(assessment.url("results")).status_code == 200


def test_the_results_code_opens_the_results_and_binds_this_session_only(client):
    assessment = make_assessment()
    code = submit_through_the_site(Client(), assessment)
    assert client.get(assessment.url("code")).status_code == 200
    typed = code.lower().replace("-", " ")  # as typed on a phone
    reply = client.post(assessment.url("code"), {"code": typed})
    assert reply["Location"] == assessment.url("results")
    assert client.get(assessment.url("results")).status_code == 200
    assert client.get(assessment.url("download", what="data.json")).status_code == 200
    assert asks_for_the_code(Client().get(assessment.url("results")))


def test_after_results_session_seconds_the_submitting_session_needs_the_code(client, settings):
    settings.RESULTS_SESSION_SECONDS = 60
    assessment = make_assessment()
    submit_through_the_site(client, assessment)
    later = time.time() + 61
    with mock.patch("diagnostic.assessment.access.time.time", return_value=later):
        assert asks_for_the_code(client.get(assessment.url("results")))
        assert asks_for_the_code(client.get(assessment.url("download", what="data.json")))


def test_the_employees_own_account_reads_the_results_without_a_code(client, employee):
    assessment = make_assessment(employee=employee.employee)
    submit_through_the_site(Client(), assessment)
    client.force_login(employee)
    assert client.get(assessment.url("results")).status_code == 200
    assert client.get(assessment.url("download", what="data.json")).status_code == 200


def test_on_a_shared_computer_the_next_persons_link_forgets_the_previous_results(client):
    first, second = make_assessment(), make_assessment()
    submit_through_the_site(client, first)
    started(second)
    open_link(client, second)  # the next person at the same browser
    open_link(client, first)  # ...who then types the first person's link
    assert asks_for_the_code(client.get(first.url("results")))


# --- the code: shown once, e-mailed, stored as a hash -----------------------------------


def test_the_code_is_shown_once_and_stored_only_as_a_hash(client):
    assessment = make_assessment()
    code = submit_through_the_site(client, assessment)
    stored = assessment.response().results_code
    assert code.replace("-", "") not in stored
    assert check_password(code.replace("-", ""), stored)
    assert "results-code" not in client.get(assessment.url("results")).content.decode()
    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert not [s for s in sessions if code in str(s) or code.replace("-", "") in str(s)]


def test_the_code_is_emailed_in_the_invitations_language(
    client, django_capture_on_commit_callbacks
):
    assessment = make_assessment()
    assessment.invitation.language = "en"
    assessment.invitation.save()
    with django_capture_on_commit_callbacks(execute=True):
        code = submit_through_the_site(client, assessment)
    [message] = mail.outbox
    assert message.to == [assessment.invitation.employee.email]
    assert message.subject.startswith("Your results code")
    assert code in message.body and assessment.url("code") in message.body


def test_no_email_is_sent_to_an_employee_without_an_address(
    client, django_capture_on_commit_callbacks
):
    assessment = make_assessment(employee=EmployeeFactory(email=""))
    with django_capture_on_commit_callbacks(execute=True):
        assert submit_through_the_site(client, assessment)
    assert mail.outbox == []


# --- guessing is limited and recorded ---------------------------------------------------


def test_a_wrong_code_is_refused_counted_and_audited(client):
    assessment = make_assessment()
    submit_through_the_site(Client(), assessment)
    reply = client.post(assessment.url("code"), {"code": "2222-2222"}, REMOTE_ADDR="10.1.1.1")
    assert reply.status_code == 400
    assert "no es correcto" in reply.content.decode()
    [event] = events(AuditEvent.Action.RESULTS_CODE_FAILED)
    assert (event.ip_address, event.detail) == (
        "10.1.1.1",
        {"invitation": assessment.invitation.pk},
    )
    assert asks_for_the_code(client.get(assessment.url("results")))


def test_past_the_limit_of_an_invitation_even_the_right_code_gets_429(client, settings):
    settings.RESULTS_CODE_ATTEMPTS_PER_HOUR = 3
    assessment = make_assessment()
    code = submit_through_the_site(Client(), assessment)
    for address in ("10.1.1.1", "10.2.2.2", "10.3.3.3"):  # one invitation, many addresses
        client.post(assessment.url("code"), {"code": "2222-2222"}, REMOTE_ADDR=address)
    reply = client.post(assessment.url("code"), {"code": code}, REMOTE_ADDR="10.4.4.4")
    assert reply.status_code == 429
    assert "Demasiados intentos" in reply.content.decode()
    assert asks_for_the_code(client.get(assessment.url("results")))
    assert len(events(AuditEvent.Action.RESULTS_CODE_FAILED)) == 3
    assert len(events(AuditEvent.Action.RATE_LIMITED)) == 1


def test_past_the_limit_of_an_address_codes_of_any_invitation_get_429(client, settings):
    settings.ASSESSMENT_ATTEMPTS_PER_HOUR = 2
    first, second = make_assessment(), make_assessment()
    submit_through_the_site(Client(), first)
    code = submit_through_the_site(Client(), second)
    for _ in range(2):
        client.post(first.url("code"), {"code": "2222-2222"}, REMOTE_ADDR="10.1.1.1")
    open_link(client, second)
    assert (
        client.post(second.url("code"), {"code": code}, REMOTE_ADDR="10.1.1.1").status_code == 429
    )
    assert (
        client.post(second.url("code"), {"code": code}, REMOTE_ADDR="10.9.9.9").status_code == 302
    )


def test_bad_links_past_the_limit_get_429_in_the_sites_look_and_are_audited(client, settings):
    settings.ASSESSMENT_ATTEMPTS_PER_HOUR = 3
    assessment = make_assessment()
    for attempt in range(3):
        assert client.get(f"/a/guess-{attempt}/", REMOTE_ADDR="10.5.5.5").status_code == 404
    reply = client.get(assessment.url("start"), REMOTE_ADDR="10.5.5.5")  # even a real one
    assert reply.status_code == 429
    body = reply.content.decode()
    assert "Demasiados intentos" in body and "Too many attempts" in body
    assert '<html lang="es-MX"' in body or 'lang="es-MX"' in body  # the site's own page
    assert client.get("/a/guess-again/", REMOTE_ADDR="10.5.5.5").status_code == 429
    assert not Response.objects.exists()
    refused = events(AuditEvent.Action.LINK_REFUSED)
    assert sorted(e.detail["token_start"] for e in refused) == ["guess-"] * 3
    assert {e.ip_address for e in refused} == {"10.5.5.5"}
    assert len(events(AuditEvent.Action.RATE_LIMITED)) == 1  # once, not per refused request
    assert client.get(assessment.url("start"), REMOTE_ADDR="10.6.6.6").status_code == 302
