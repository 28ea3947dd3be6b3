"""The respondent access rule on its own, without HTTP: `Invitation.objects.for_token`,
`access.respondent_invitation` and who may read results (`access.may_read_results`), with a
real session store."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from diagnostic.assessment.access import (
    NEW_CODE_KEY,
    SESSION_KEY,
    grant_results,
    keep_new_code,
    may_read_results,
    pop_new_code,
    respondent_invitation,
)
from diagnostic.exceptions import EmployeeInactiveError, InvitationNotFoundError
from diagnostic.models import Invitation
from tests.factories import EmployeeFactory, InvitationFactory, UserFactory, hr_user

pytestmark = pytest.mark.django_db


def new_session():
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.create()
    return session


def open_with(invitation, *, user=None, session=None, entry=False):
    return respondent_invitation(
        token=invitation.token, user=user or AnonymousUser(), session=session, entry=entry
    )


def test_for_token_gives_the_link_to_nobody_signed_in_and_to_its_owner_only(
    employee, other_employee
):
    invitation = InvitationFactory(employee=employee.employee)
    for_token = Invitation.objects.for_token
    assert list(for_token(invitation.token, user=AnonymousUser())) == [invitation]
    assert list(for_token(invitation.token, user=None)) == [invitation]
    assert list(for_token(invitation.token, user=employee)) == [invitation]
    assert not for_token(invitation.token, user=other_employee).exists()
    assert not for_token(invitation.token, user=hr_user()).exists()
    assert not for_token("no-such-token", user=AnonymousUser()).exists()


def test_for_token_gives_the_link_of_a_record_without_an_account_to_nobody_signed_in(manager, hr):
    """Most staff have no account: a manager or HR who opens their link is not them."""
    invitation = InvitationFactory(employee=EmployeeFactory(user=None))
    for_token = Invitation.objects.for_token
    assert list(for_token(invitation.token, user=AnonymousUser())) == [invitation]
    for someone in (manager, hr, UserFactory()):
        assert not for_token(invitation.token, user=someone).exists()


def test_the_entry_link_binds_the_session_under_a_new_key():
    invitation = InvitationFactory()
    session = new_session()
    key = session.session_key
    assert open_with(invitation, session=session, entry=True) == invitation
    assert session[SESSION_KEY] == [invitation.pk]
    assert session.session_key != key


def test_someone_signed_in_as_another_person_gets_nothing_and_binds_nothing(
    employee, other_employee
):
    invitation = InvitationFactory(employee=employee.employee)
    session = new_session()
    with pytest.raises(InvitationNotFoundError):
        open_with(invitation, user=other_employee, session=session, entry=True)
    assert SESSION_KEY not in session
    assert open_with(invitation, user=employee, session=session, entry=True) == invitation


def test_an_inactive_employees_link_is_refused_and_binds_nothing():
    invitation = InvitationFactory(employee=EmployeeFactory(active=False))
    session = new_session()
    with pytest.raises(EmployeeInactiveError):
        open_with(invitation, session=session, entry=True)
    assert SESSION_KEY not in session


def test_an_inner_page_binds_an_unbound_session_and_refuses_one_bound_to_someone_else():
    mine, theirs = InvitationFactory(), InvitationFactory()
    session = new_session()
    assert open_with(mine, session=session) == mine  # an expired session loses nothing
    assert session[SESSION_KEY] == [mine.pk]
    with pytest.raises(InvitationNotFoundError):
        open_with(theirs, session=session)
    assert session[SESSION_KEY] == [mine.pk]


def test_a_new_link_keeps_the_same_persons_invitations_and_forgets_another_persons():
    person = EmployeeFactory()
    first, second = InvitationFactory(employee=person), InvitationFactory(employee=person)
    stranger = InvitationFactory()
    session = new_session()
    open_with(first, session=session, entry=True)
    open_with(second, session=session, entry=True)
    assert session[SESSION_KEY] == [second.pk, first.pk]
    open_with(stranger, session=session, entry=True)
    assert session[SESSION_KEY] == [stranger.pk]


# --- who may read results: `may_read_results` and the grants -----------------------------


def test_results_need_the_employees_account_or_a_fresh_grant_never_the_link_alone(
    employee, other_employee, settings
):
    settings.RESULTS_SESSION_SECONDS = 100
    invitation = InvitationFactory(employee=employee.employee)
    session = new_session()
    open_with(invitation, session=session, entry=True)

    def may(user=None, now=None):
        return may_read_results(
            invitation=invitation, user=user or AnonymousUser(), session=session, now=now
        )

    assert not may()  # bound by the link, nothing more
    assert may(user=employee)
    assert not may(user=other_employee)
    grant_results(session=session, invitation=invitation, now=1000.0)
    assert may(now=1000.0) and may(now=1099.0)
    assert not may(now=1100.0)  # RESULTS_SESSION_SECONDS later
    assert not may(now=999.0)  # a grant from the future is no grant


def test_a_grant_is_for_one_invitation_and_gives_the_session_a_new_key():
    mine, theirs = InvitationFactory(), InvitationFactory()
    session = new_session()
    key = session.session_key
    grant_results(session=session, invitation=mine)
    assert session.session_key != key
    assert may_read_results(invitation=mine, user=AnonymousUser(), session=session)
    assert not may_read_results(invitation=theirs, user=AnonymousUser(), session=session)


def test_another_persons_link_drops_the_grants_and_the_same_persons_keeps_them():
    person = EmployeeFactory()
    first, second = InvitationFactory(employee=person), InvitationFactory(employee=person)
    stranger = InvitationFactory()
    session = new_session()
    open_with(first, session=session, entry=True)
    grant_results(session=session, invitation=first)
    open_with(second, session=session, entry=True)
    assert may_read_results(invitation=first, user=AnonymousUser(), session=session)
    open_with(stranger, session=session, entry=True)
    open_with(first, session=session, entry=True)
    assert not may_read_results(invitation=first, user=AnonymousUser(), session=session)


def test_the_new_code_is_given_once_and_only_to_its_invitations_page():
    mine, theirs = InvitationFactory(), InvitationFactory()
    session = new_session()
    keep_new_code(session=session, invitation=mine, code="7KQM-3XTB")
    assert pop_new_code(session=session, invitation=theirs) is None
    assert pop_new_code(session=session, invitation=mine) == "7KQM-3XTB"
    assert pop_new_code(session=session, invitation=mine) is None
    assert NEW_CODE_KEY not in session


def model_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize("started", [False, True])
def test_a_link_gives_the_invitation_as_the_orm_would_with_its_related_objects_loaded(
    started, django_assert_num_queries
):
    from diagnostic.assessment.access import _link_invitation
    from tests.factories import ResponseFactory

    invitation = InvitationFactory()
    InvitationFactory(employee=EmployeeFactory())  # another link, not to be found
    if started:
        ResponseFactory(invitation=invitation)
    (expected,) = _link_invitation(invitation.token, user=None)
    with django_assert_num_queries(1):
        found = respondent_invitation(
            token=invitation.token, user=AnonymousUser(), session={SESSION_KEY: [invitation.pk]}
        )
        campaign, framework = found.campaign, found.campaign.framework
        response = getattr(found, "response", None)
        assert found.employee.active
    assert model_values(found) == model_values(expected)
    assert model_values(campaign) == model_values(expected.campaign)
    assert model_values(framework) == model_values(expected.campaign.framework)
    assert model_values(found.employee) == model_values(expected.employee)
    if started:
        assert model_values(response) == model_values(expected.response)
        assert response.invitation is found
    else:
        assert response is None and not hasattr(expected, "response")
    assert not found._state.adding and found._state.db == expected._state.db


def test_an_unknown_link_finds_nothing_for_nobody_signed_in():
    InvitationFactory()
    with pytest.raises(InvitationNotFoundError):
        respondent_invitation(token="not-a-token", user=AnonymousUser(), session={})
