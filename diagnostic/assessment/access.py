"""Who may open a respondent's page: the invitation link, checked against the session.

The link names one employee in one campaign (`Invitation.objects.for_token`: nobody signed
in, or the employee's own account); the session remembers which invitations it was opened
with. The session alone never grants anything: a page is reached with a valid link, in a
session that is not bound to someone else's.

Results and own-data downloads need more (DESIGN.md "Links are not keys to results"): the
link, and proof of being its employee: the employee's account, or a session that submitted
or entered the results code (`grant_results`), for `RESULTS_SESSION_SECONDS` from then and
only while that session lives. The link alone, on a second device, or years later, is not
proof: QR cards are handed out on paper.
"""

import time

from django.conf import settings
from django.db import connections

from accounts.models import Employee

from ..exceptions import EmployeeInactiveError, InvitationNotFoundError
from ..models import Campaign, Framework, Invitation, Response

SESSION_KEY = "assessment_invitations"
# invitation pk (as text: sessions are JSON) -> when this session proved it was the employee
RESULTS_KEY = "assessment_results"
# The results code just made, until the results page has shown it once.
NEW_CODE_KEY = "assessment_new_code"


def respondent_invitation(*, token: str, user, session, entry: bool = False) -> Invitation:
    """The invitation a page's link opens, bound to `session` or checked against it.

    The entry link (/a/<token>/) always binds, with a new session key. Later pages bind only
    an unbound session (so an expired session loses nothing) and refuse one bound to other
    invitations. Raises InvitationNotFoundError or EmployeeInactiveError.
    """
    if user is not None and user.is_authenticated:
        found = list(_link_invitation(token, user=user))
    else:
        found = _anonymous_link_invitation(token)
    if not found:
        raise InvitationNotFoundError
    invitation = found[0]
    if not invitation.employee.active:
        raise EmployeeInactiveError
    bound = session.get(SESSION_KEY, [])
    if entry or not bound:
        bind_session(session=session, invitation=invitation, keep=bound if entry else [])
    elif invitation.pk not in bound:
        raise InvitationNotFoundError
    return invitation


def _link_invitation(token: str, *, user):
    """The look-up of every respondent page: the invitation with what the pages read of it.
    The privacy page alone reads the campaign's notice (its long texts): loaded there. One
    row per token, so no sort (`first()` would add an ORDER BY on the primary key)."""
    related = ("campaign__framework", "employee", "response")
    return Invitation.objects.for_token(token, user=user).select_related(*related).order_by()[:1]


_PLACEHOLDER = "\x00token\x00"
_LINK_MODELS = (Invitation, Campaign, Framework, Employee, Response)
_link_sql: dict[str, tuple[str, list, int, list] | None] = {}


def _anonymous_link_invitation(token: str) -> list[Invitation]:
    """`_link_invitation` for nobody signed in, the case of every respondent without an
    account, at a sixth of its cost: the ORM writes the query once per process and database
    (`_anonymous_link_sql`), and its row gives the five objects as select_related would,
    related to each other. Signed in, or if the query is not as expected, the ORM as such."""
    alias = Invitation.objects.db
    if alias not in _link_sql:
        _link_sql[alias] = _anonymous_link_sql(alias)
    if _link_sql[alias] is None:
        return list(_link_invitation(token, user=None))
    sql, params, at, converters = _link_sql[alias]
    params = [*params[:at], token, *params[at + 1 :]]
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return []
    row = list(row)
    for position, (functions, expression) in converters:
        for convert in functions:
            row[position] = convert(row[position], expression, connection)
    objects, start = [], 0
    for model in _LINK_MODELS:
        names = [f.attname for f in model._meta.concrete_fields]
        values = row[start : start + len(names)]
        start += len(names)
        objects.append(None if values[0] is None else model.from_db(alias, names, values))
    invitation, campaign, framework, employee, response = objects
    Campaign.framework.field.set_cached_value(campaign, framework)
    Invitation.campaign.field.set_cached_value(invitation, campaign)
    Invitation.employee.field.set_cached_value(invitation, employee)
    Invitation.response.related.set_cached_value(invitation, response)  # None: not started
    if response is not None:
        Response.invitation.field.set_cached_value(response, invitation)
    return [invitation]


def _anonymous_link_sql(alias: str) -> tuple[str, list, int, list] | None:
    """The SQL and parameters of `_link_invitation` for nobody signed in, the position of the
    token among them and the database's converters of its columns (as the ORM applies them);
    None unless its columns are the five models' fields in order."""
    query = _link_invitation(_PLACEHOLDER, user=None).query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    columns = [(col.target.model, col.target.attname) for col, _sql, _alias in compiler.select]
    expected = [(m, f.attname) for m in _LINK_MODELS for f in m._meta.concrete_fields]
    if columns != expected or list(params).count(_PLACEHOLDER) != 1:
        return None
    converters = compiler.get_converters([col for col, _sql, _alias in compiler.select])
    return sql, list(params), list(params).index(_PLACEHOLDER), list(converters.items())


def token_of_short_code(*, code: str, user) -> str:
    """The token of the invitation a QR card's short code names, under the rule of its link
    (`Invitation.objects.for_short_code`). Raises InvitationNotFoundError."""
    from ..campaigns.invitations import typed_short_code

    token = (
        Invitation.objects.for_short_code(typed_short_code(code), user=user)
        .values_list("token", flat=True)
        .first()
    )
    if token is None:
        raise InvitationNotFoundError
    return token


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
    # The next person's link also forgets the previous person's right to read results.
    allowed = {str(pk) for pk in session[SESSION_KEY]}
    grants = session.get(RESULTS_KEY, {})
    session[RESULTS_KEY] = {pk: at for pk, at in grants.items() if pk in allowed}


def grant_results(*, session, invitation: Invitation, now: float | None = None) -> None:
    """This session proved to be the invitation's employee (it submitted, or it entered the
    results code): it may read the results for `RESULTS_SESSION_SECONDS` from `now`."""
    session.cycle_key()
    session[RESULTS_KEY] = {
        **session.get(RESULTS_KEY, {}),
        str(invitation.pk): time.time() if now is None else now,
    }


def may_read_results(*, invitation: Invitation, user, session, now: float | None = None) -> bool:
    """Whether the page that holds this invitation may show its results and data: the
    employee's own account, or a session granted less than `RESULTS_SESSION_SECONDS` ago."""
    if user is not None and user.is_authenticated and invitation.employee.user_id == user.pk:
        return True
    granted = session.get(RESULTS_KEY, {}).get(str(invitation.pk))
    now = time.time() if now is None else now
    return granted is not None and 0 <= now - granted < settings.RESULTS_SESSION_SECONDS


def response_of(*, invitation: Invitation) -> Response | None:
    """The response of an invitation the page already holds, None before it is started; it
    keeps that invitation, so nothing reached through it is loaded again. The page's own
    look-up (`respondent_invitation`) loaded it in the same query."""
    if Invitation.response.is_cached(invitation):
        response = getattr(invitation, "response", None)  # None: not started
    else:
        response = Response.objects.filter(invitation=invitation).first()
    if response is not None:
        response.invitation = invitation
    return response


def keep_new_code(*, session, invitation: Invitation, code: str) -> None:
    """Carry the code made at submission to the results page that follows, which shows it."""
    session[NEW_CODE_KEY] = {"invitation": invitation.pk, "code": code}


def pop_new_code(*, session, invitation: Invitation) -> str | None:
    """The code to show once, then forgotten: the session keeps no code in clear."""
    new = session.get(NEW_CODE_KEY)
    if not new or new.get("invitation") != invitation.pk:
        return None
    del session[NEW_CODE_KEY]
    return new["code"]
