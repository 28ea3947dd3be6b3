"""The results code on its own: short, typable, never stored in clear."""

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent
from diagnostic.assessment import codes
from diagnostic.exceptions import (
    NotSubmittedError,
    ResultsCodeEmployeeNotFoundError,
    ResultsCodeNotSubmittedError,
)
from diagnostic.models import Invitation, Response
from tests.factories import CampaignFactory, ResponseFactory


def test_a_new_code_has_eight_characters_without_look_alikes():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    assert all(len(code) == 8 and set(code) <= set(codes.ALPHABET) for code in made)
    assert not set("01ILO") & set(codes.ALPHABET)


def test_the_code_is_shown_in_two_groups_and_read_back_however_it_is_typed():
    assert codes.shown("7KQM3XTB") == "7KQM-3XTB"
    assert codes.normalized(" 7kqm-3xtb ") == codes.normalized("7KQM 3XTB") == "7KQM3XTB"


@pytest.mark.django_db
def test_a_code_matches_only_its_own_hash():
    response = ResponseFactory(results_code=codes.hashed("7KQM3XTB"))
    assert "7KQM3XTB" not in response.results_code
    assert codes.matches(response=response, typed="7kqm-3xtb")
    assert not codes.matches(response=response, typed="7KQM-3XTC")
    assert not codes.matches(response=response, typed="7KQM3XTB7KQM3XTB")
    assert not codes.matches(response=Response(results_code=""), typed="")


# --- replacing a code -----------------------------------------------------------------------


def submitted_response(**fields) -> Response:
    response = ResponseFactory(**fields)
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    response.refresh_from_db()
    return response


@pytest.mark.django_db
def test_replacing_a_code_makes_the_old_one_stop_working_and_audits_it(
    django_capture_on_commit_callbacks,
):
    response = submitted_response(results_code=codes.hashed("7KQM3XTB"))
    with django_capture_on_commit_callbacks(execute=True):
        code = codes.replace_code(response=response)
    response.refresh_from_db()
    assert not codes.matches(response=response, typed="7KQM3XTB")
    assert codes.matches(response=response, typed=code)
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.RESULTS_CODE_ISSUED)
    invitation = response.invitation
    assert event.detail == {
        "invitation": invitation.pk,
        "campaign": invitation.campaign.code,
        "employee_number": invitation.employee.employee_number,
        "by_hr": False,
        "first": False,
    }
    assert code not in str(event.detail) and codes.shown(code) not in str(event.detail)
    [message] = mail.outbox
    assert message.to == [invitation.employee.email]
    assert codes.shown(code) in message.body


@pytest.mark.django_db
def test_the_new_code_is_e_mailed_in_the_invitations_language(
    django_capture_on_commit_callbacks,
):
    response = submitted_response(results_code=codes.hashed("7KQM3XTB"))
    Invitation.objects.filter(pk=response.invitation_id).update(language="en")
    response.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        codes.replace_code(response=response)
    [message] = mail.outbox
    assert message.subject.startswith("Your new results code")
    assert "The previous code no longer works" in message.body
    Invitation.objects.filter(pk=response.invitation_id).update(language="es-mx")
    response.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        codes.replace_code(response=response)
    assert "ya no funciona" in mail.outbox[1].body


@pytest.mark.django_db
def test_a_submission_without_a_code_gets_its_first_one():
    response = submitted_response(results_code="")
    code = codes.replace_code(response=response)
    response.refresh_from_db()
    assert codes.matches(response=response, typed=code)
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESULTS_CODE_ISSUED)
    assert event.detail["first"] is True


@pytest.mark.django_db
def test_no_code_before_submission():
    response = ResponseFactory(results_code="")
    with pytest.raises(NotSubmittedError):
        codes.replace_code(response=response)
    response.refresh_from_db()
    assert response.results_code == ""
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_hr_replaces_the_code_of_an_employee_number_of_the_campaign(hr):
    response = submitted_response(results_code=codes.hashed("7KQM3XTB"))
    invitation = response.invitation
    number = invitation.employee.employee_number
    found, code = codes.replace_code_for_hr(
        campaign=invitation.campaign, employee_number=f" {number} ", by=hr
    )
    assert found == invitation
    response.refresh_from_db()
    assert codes.matches(response=response, typed=code)
    assert not codes.matches(response=response, typed="7KQM3XTB")
    event = AuditEvent.objects.get(action=AuditEvent.Action.RESULTS_CODE_ISSUED)
    assert (event.user, event.detail["by_hr"]) == (hr, True)


@pytest.mark.django_db
def test_hr_is_told_which_number_was_not_invited_or_has_not_submitted(hr):
    response = ResponseFactory(results_code="")
    campaign = response.invitation.campaign
    with pytest.raises(ResultsCodeEmployeeNotFoundError, match="X999"):
        codes.replace_code_for_hr(campaign=campaign, employee_number="X999", by=hr)
    number = response.invitation.employee.employee_number
    with pytest.raises(ResultsCodeNotSubmittedError, match=number):
        codes.replace_code_for_hr(campaign=campaign, employee_number=number, by=hr)
    other = CampaignFactory()  # invited to another campaign only
    with pytest.raises(ResultsCodeEmployeeNotFoundError):
        codes.replace_code_for_hr(campaign=other, employee_number=number, by=hr)
    assert not AuditEvent.objects.exists()
    response.refresh_from_db()
    assert response.results_code == ""
