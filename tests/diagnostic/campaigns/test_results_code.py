"""HR's new results code for an employee who lost theirs: shown once to hand over, audited,
e-mailed; never the answers; refused to everyone else with nothing written."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from diagnostic.assessment import codes
from diagnostic.assessment.scoring import score_response
from diagnostic.models import Response
from tests.conftest import ROLES
from tests.diagnostic.assessment.data import make_assessment, started

pytestmark = pytest.mark.django_db

CODE_SHOWN = re.compile(r'data-testid="results-code">([0-9A-Z]{4}-[0-9A-Z]{4})<')
OLD = "7KQM3XTB"


@pytest.fixture
def lost(employee):
    """The employee's scored submission, with a code they lost."""
    assessment = make_assessment(employee=employee.employee)
    response = started(assessment)
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now(), results_code=codes.hashed(OLD)
    )
    score_response(response=response)
    response.refresh_from_db()
    return assessment, response


def url(assessment) -> str:
    return reverse("campaigns:results_code", kwargs={"pk": assessment.campaign.pk})


def test_hr_makes_a_new_code_shown_once_and_never_the_answers(
    client_as, hr, lost, django_capture_on_commit_callbacks
):
    assessment, response = lost
    client = client_as("hr")
    number = response.invitation.employee.employee_number
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(url(assessment), {"employee_number": number}, follow=True)
    assert reply.redirect_chain == [(url(assessment), 302)]
    body = reply.text
    code = CODE_SHOWN.search(body).group(1)
    assert response.invitation.employee.full_name in body
    assert "respondent-index" not in body and "Your level" not in body and "Su nivel" not in body
    response.refresh_from_db()
    assert codes.matches(response=response, typed=code)
    assert not codes.matches(response=response, typed=OLD)
    assert CODE_SHOWN.search(client.get(url(assessment)).text) is None  # shown once
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_CODE_ISSUED)
    assert (event.user, event.detail["by_hr"], event.detail["employee_number"]) == (
        hr,
        True,
        number,
    )
    [message] = mail.outbox
    assert message.to == [response.invitation.employee.email] and code in message.body


def test_an_unknown_number_is_named_in_the_error_and_nothing_changes(client_as, lost):
    assessment, response = lost
    reply = client_as("hr").post(url(assessment), {"employee_number": "X-404"})
    assert reply.status_code == 200
    assert "X-404" in reply.text and "nadie con este número fue invitado" in reply.text
    assert CODE_SHOWN.search(reply.text) is None
    response.refresh_from_db()
    assert codes.matches(response=response, typed=OLD)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_CODE_ISSUED).exists()


def test_a_code_shown_for_one_campaign_is_not_shown_on_anothers_page(client_as, lost, employee):
    assessment, response = lost
    client = client_as("hr")
    number = response.invitation.employee.employee_number
    client.post(url(assessment), {"employee_number": number})
    other = make_assessment(employee=employee.employee)
    assert CODE_SHOWN.search(client.get(url(other)).text) is None


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("hr", "admin_user")])
def test_nobody_but_hr_makes_a_code(role, client_as, lost):
    assessment, response = lost
    number = response.invitation.employee.employee_number
    reply = client_as(role).post(url(assessment), {"employee_number": number})
    assert reply.status_code in (302, 403)
    if role == "anonymous":
        assert reply["Location"].startswith(reverse("login"))
    response.refresh_from_db()
    assert codes.matches(response=response, typed=OLD)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_CODE_ISSUED).exists()
    assert mail.outbox == []
