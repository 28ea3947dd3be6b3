"""A new results code through the site: the employee, proven by their account or by the
session that may read the results, gets one (the old one stops working, shown once, e-mailed,
audited); the link alone, or anyone else, gets nothing and changes nothing."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from diagnostic.assessment import codes
from diagnostic.models import Response
from tests.conftest import ROLES

from .data import make_assessment, open_as_submitter, open_link, started

pytestmark = pytest.mark.django_db

CODE_SHOWN = re.compile(r'data-testid="results-code">([0-9A-Z]{4}-[0-9A-Z]{4})<')
OLD = "7KQM3XTB"


def submitted(assessment, *, code: str = OLD) -> Response:
    response = started(assessment)
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now(), results_code=codes.hashed(code) if code else ""
    )
    response.refresh_from_db()
    return response


def issued() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_CODE_ISSUED))


def new_code_through_the_site(client, assessment) -> str:
    reply = client.post(assessment.url("new_code"), follow=True)
    assert reply.redirect_chain == [(assessment.url("results"), 302)]
    return CODE_SHOWN.search(reply.content.decode()).group(1)


def test_the_employee_signed_in_gets_a_new_code_shown_once_and_the_old_one_stops(
    client, employee, django_capture_on_commit_callbacks
):
    assessment = make_assessment(employee=employee.employee)
    response = submitted(assessment)
    client.force_login(employee)
    page = client.get(assessment.url("new_code"))
    assert page.status_code == 200 and "Su código anterior deja de funcionar" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        code = new_code_through_the_site(client, assessment)
    response.refresh_from_db()
    assert codes.matches(response=response, typed=code)
    assert not codes.matches(response=response, typed=OLD)
    assert CODE_SHOWN.search(client.get(assessment.url("results")).text) is None  # once
    [event] = issued()
    assert (event.user, event.detail["by_hr"]) == (employee, False)
    [message] = mail.outbox
    assert message.to == [employee.email] and code in message.body
    # on another device, the old code is refused and the new one opens the results
    other = Client()
    open_link(other, assessment)
    assert other.post(assessment.url("code"), {"code": OLD}).status_code == 400
    assert other.post(assessment.url("code"), {"code": code}).status_code == 302
    assert other.get(assessment.url("results")).status_code == 200


def test_the_submitting_session_gets_a_new_code_without_an_account(client):
    assessment = make_assessment()
    response = submitted(assessment)
    open_as_submitter(client, assessment)
    code = new_code_through_the_site(client, assessment)
    response.refresh_from_db()
    assert codes.matches(response=response, typed=code)
    [event] = issued()
    assert event.user is None


def test_a_submission_without_a_code_gets_one_through_the_same_action(client, employee):
    assessment = make_assessment(employee=employee.employee)
    response = submitted(assessment, code="")
    client.force_login(employee)
    results = client.get(assessment.url("results")).text
    assert assessment.url("new_code") in results and "no tienen un código" in results
    assert "aún no tienen un código" in client.get(assessment.url("new_code")).text
    code = new_code_through_the_site(client, assessment)
    response.refresh_from_db()
    assert codes.matches(response=response, typed=code)
    assert issued()[0].detail["first"] is True


def test_the_link_alone_gets_the_code_form_and_no_new_code(client):
    assessment = make_assessment()
    response = submitted(assessment)
    open_link(client, assessment)
    for method in ("get", "post"):
        reply = getattr(client, method)(assessment.url("new_code"))
        assert reply.status_code == 403 and 'name="code"' in reply.text
    response.refresh_from_db()
    assert codes.matches(response=response, typed=OLD)
    assert issued() == [] and mail.outbox == []


def test_before_submission_there_is_no_new_code(client, employee):
    assessment = make_assessment(employee=employee.employee)
    started(assessment)
    client.force_login(employee)
    reply = client.post(assessment.url("new_code"))
    assert reply.status_code == 302 and reply["Location"] == assessment.url("start")
    assert issued() == []


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("anonymous", "employee")])
def test_nobody_else_gets_a_new_code(role, client_as, employee):
    assessment = make_assessment(employee=employee.employee)
    response = submitted(assessment)
    reply = client_as(role).post(assessment.url("new_code"))
    assert reply.status_code == 404
    response.refresh_from_db()
    assert codes.matches(response=response, typed=OLD)
    assert issued() == [] and mail.outbox == []


def test_new_codes_past_the_hourly_limit_answer_429_and_send_nothing(
    client, employee, settings, django_capture_on_commit_callbacks
):
    settings.RESULTS_CODE_ATTEMPTS_PER_HOUR = 2
    assessment = make_assessment(employee=employee.employee)
    response = submitted(assessment)
    client.force_login(employee)
    with django_capture_on_commit_callbacks(execute=True):
        codes_made = [new_code_through_the_site(client, assessment) for _ in range(2)]
        refused = client.post(assessment.url("new_code"))
        client.post(assessment.url("new_code"))
    assert refused.status_code == 429
    response.refresh_from_db()
    assert codes.matches(response=response, typed=codes_made[-1])  # the last one made stands
    assert len(mail.outbox) == 2 and len(issued()) == 2
    limited = AuditEvent.objects.filter(action=AuditEvent.Action.RATE_LIMITED)
    assert [e.detail["what"] for e in limited] == ["new results code"]  # once
