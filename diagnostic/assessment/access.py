"""Who may open a respondent's page: the invitation link, checked against the session.

The link names one employee in one campaign (`Invitation.objects.for_token`); the session
remembers which invitations it was opened with. The session alone never grants anything:
a page is reached with a valid link, in a session that is not bound to someone else's.
Results and own-data downloads are reached the same way. DESIGN.md ("Links are not keys to
results") asks for more after submission: the submitting session, the employee's account or
a results code, never the link alone; until the results code exists, a link opened in an
unbound session still binds it and reads them.
"""

from ..exceptions import EmployeeInactiveError, InvitationNotFoundError
from ..models import Invitation, Response

SESSION_KEY = "assessment_invitations"


def respondent_invitation(*, token: str, user, session, entry: bool = False) -> Invitation:
    """The invitation a page's link opens, bound to `session` or checked against it.

    The entry link (/a/<token>/) always binds, with a new session key. Later pages bind only
    an unbound session (so an expired session loses nothing) and refuse one bound to other
    invitations. Raises InvitationNotFoundError or EmployeeInactiveError.
    """
    invitation = (
        Invitation.objects.for_token(token, user=user)
        .select_related("campaign__framework", "campaign__privacy_notice", "employee")
        .first()
    )
    if invitation is None:
        raise InvitationNotFoundError
    if not invitation.employee.active:
        raise EmployeeInactiveError
    bound = session.get(SESSION_KEY, [])
    if entry or not bound:
        bind_session(session=session, invitation=invitation, keep=bound if entry else [])
    elif invitation.pk not in bound:
        raise InvitationNotFoundError
    return invitation


def bind_session(*, session, invitation: Invitation, keep: list[int]) -> None:
    """Bind `session`, under a new key, to this invitation and to those of `keep` that are
    the same person's (two campaigns in two tabs); on a shared computer the next person's
    link forgets the previous person's."""
    others = [pk for pk in keep if pk != invitation.pk]
    kept = (
        Invitation.objects.filter(pk__in=others, employee_id=invitation.employee_id).values_list(
            "pk", flat=True
        )
        if others
        else []
    )
    session.cycle_key()
    session[SESSION_KEY] = [invitation.pk, *kept]


def response_of(*, invitation: Invitation) -> Response | None:
    """The response of an invitation the page already holds, None before it is started; it
    keeps that invitation, so nothing reached through it is loaded again."""
    response = Response.objects.filter(invitation=invitation).first()
    if response is not None:
        response.invitation = invitation
    return response
