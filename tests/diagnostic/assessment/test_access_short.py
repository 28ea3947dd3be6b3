"""The short address of QR cards (/c/ and /c/<code>/), with the answer each role gets.

A card's short code opens what its long link opens, under the same rule: nobody signed in,
or the employee's own account; anyone else signed in gets 404, audited, and nothing written.
Unknown codes are counted as failed link look-ups, so guessing codes is limited per address.
"""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from diagnostic.assessment.access import SESSION_KEY
from diagnostic.campaigns.invitations import shown_short_code
from diagnostic.models import Invitation, Response
from tests.conftest import ROLES

from .data import make_assessment

COVERED_URLS = {"short:entry", "short:open"}
OWNER_OR_LINK = ["anonymous", "employee"]


def state() -> tuple:
    return (
        sorted(Invitation.objects.values_list("pk", "declined_at", "sent_at")),
        sorted(Response.objects.values_list("pk", "privacy_accepted_at")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_short_address_asks_for_the_code(role, client_as):
    reply = client_as(role).get(reverse("short:entry"))
    assert reply.status_code == 200
    assert 'name="code"' in reply.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_short_code_opens_the_long_link_for_whom_the_link_opens(role, client_as, employee):
    assessment = make_assessment(employee=employee.employee)
    invitation = assessment.invitation
    client = client_as(role)
    before = state()
    reply = client.get(reverse("short:open", args=[invitation.short_code]))
    if role in OWNER_OR_LINK:
        assert reply.status_code == 302
        assert reply["Location"] == reverse("assessment:start", args=[invitation.token])
        followed = client.get(reply["Location"])
        assert followed.status_code == 302  # on to the privacy notice, as the long link does
        assert client.session[SESSION_KEY] == [invitation.pk]
    else:
        assert reply.status_code == 404
        assert invitation.token not in reply.content.decode()
        assert state() == before
        refused = AuditEvent.objects.get(action=AuditEvent.Action.LINK_REFUSED)
        assert refused.detail == {"token_start": invitation.short_code[:6]}


@pytest.mark.django_db
def test_the_code_is_typed_as_printed_or_carelessly(client, employee):
    invitation = make_assessment(employee=employee.employee).invitation
    typed = " " + shown_short_code(invitation).lower() + " "
    reply = client.get(reverse("short:entry"), {"code": typed})
    assert reply["Location"] == reverse("short:open", args=[invitation.short_code])
    reply = client.get(reply["Location"])
    assert reply["Location"] == reverse("assessment:start", args=[invitation.token])


@pytest.mark.django_db
def test_guessing_codes_is_limited_per_address(client, employee, settings):
    settings.ASSESSMENT_ATTEMPTS_PER_HOUR = 3
    invitation = make_assessment(employee=employee.employee).invitation
    for guess in ["AAAAAAAA", "BBBBBBBB", "CCCCCCCC"]:
        assert client.get(reverse("short:open", args=[guess])).status_code == 404
    # Once the limit is reached even the right code waits: nothing is looked up.
    assert client.get(reverse("short:open", args=[invitation.short_code])).status_code == 429
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LINK_REFUSED).count() == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.RATE_LIMITED).count() == 1


@pytest.mark.django_db
def test_short_codes_are_unambiguous_and_distinct(employee):
    from diagnostic.assessment.codes import ALPHABET
    from diagnostic.campaigns.invitations import new_short_code

    codes = {new_short_code() for _ in range(5000)}
    assert len(codes) == 5000
    assert all(len(code) == 8 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("01IOL") & set(ALPHABET)
