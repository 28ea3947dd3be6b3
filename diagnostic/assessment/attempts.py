"""What guessing costs on the respondent's pages (DESIGN.md "Links are not keys to results").

A link that opens nothing (an unknown token, or someone else's while signed in) and a wrong
results code are failures: each is counted per client address, a code also per invitation,
and each is recorded in the audit log. Once a count reaches its hourly limit
(`ASSESSMENT_ATTEMPTS_PER_HOUR` per address, `RESULTS_CODE_ATTEMPTS_PER_HOUR` per invitation)
the pages answer 429 before looking anything up; the moment a limit is reached is recorded
once, not every refused request after it, so a flood does not fill the log.

Many staff may share one office address: the per-address limit is set well above what a
person mistyping makes, and a shared cache (`CACHE_URL`) is needed with several web processes.
"""

from django.conf import settings

from accounts.audit import record
from accounts.models import AuditEvent
from lib.ratelimit import add_attempt, client_address, is_limited

from ..models import Invitation

LINKS = "assessment-link-address"
CODES = "results-code-address"
CODES_OF_INVITATION = "results-code-invitation"
NEW_CODES = "results-code-new"


def _address(request) -> str:
    return client_address(request) or "unknown"


def links_limited(*, request) -> bool:
    """True while this address may not look up links."""
    limit = settings.ASSESSMENT_ATTEMPTS_PER_HOUR
    return is_limited(scope=LINKS, key=_address(request), limit=limit)


def link_refused(*, request, token: str) -> None:
    """Count and record a link that opened nothing. Only the token's first characters are
    kept: the audit log must not become a list of working links."""
    count = add_attempt(scope=LINKS, key=_address(request))
    detail = {"token_start": token[:6]}
    record(action=AuditEvent.Action.LINK_REFUSED, request=request, user=request.user, **detail)
    if count == settings.ASSESSMENT_ATTEMPTS_PER_HOUR:
        _limit_reached(request=request, what="assessment link", **detail)


def codes_limited(*, request, invitation: Invitation) -> bool:
    """True while this address, or anyone for this invitation, may not try a code."""
    return is_limited(
        scope=CODES, key=_address(request), limit=settings.ASSESSMENT_ATTEMPTS_PER_HOUR
    ) or is_limited(
        scope=CODES_OF_INVITATION,
        key=str(invitation.pk),
        limit=settings.RESULTS_CODE_ATTEMPTS_PER_HOUR,
    )


def code_refused(*, request, invitation: Invitation) -> None:
    """Count and record a wrong results code, against the address and the invitation."""
    by_address = add_attempt(scope=CODES, key=_address(request))
    by_invitation = add_attempt(scope=CODES_OF_INVITATION, key=str(invitation.pk))
    detail = {"invitation": invitation.pk}
    record(
        action=AuditEvent.Action.RESULTS_CODE_FAILED,
        request=request,
        user=request.user,
        **detail,
    )
    if (
        by_address == settings.ASSESSMENT_ATTEMPTS_PER_HOUR
        or by_invitation == settings.RESULTS_CODE_ATTEMPTS_PER_HOUR
    ):
        _limit_reached(request=request, what="results code", **detail)


def new_code_allowed(*, request, invitation: Invitation) -> bool:
    """Count one request for a new results code; False past `RESULTS_CODE_ATTEMPTS_PER_HOUR`
    for this invitation. Each new code sends an e-mail, so even the proven employee may not
    ask without end; the moment the limit is reached is audited once."""
    count = add_attempt(scope=NEW_CODES, key=str(invitation.pk))
    limit = settings.RESULTS_CODE_ATTEMPTS_PER_HOUR
    if count == limit + 1:
        _limit_reached(request=request, what="new results code", invitation=invitation.pk)
    return count <= limit


def _limit_reached(*, request, what: str, **detail) -> None:
    record(
        action=AuditEvent.Action.RATE_LIMITED,
        request=request,
        user=request.user,
        what=what,
        **detail,
    )
