"""The live feed for Power BI and Excel: one stable URL per campaign, in CSV and JSON,
serving the figures of the campaign's current (latest) release, exactly as managers read
them (hidden figures empty, never an individual).

It is read by programs, not people, so it is authenticated by a personal token that HR
issues and revokes (`FeedToken`), sent as `Authorization: Bearer <token>` or `?token=`.
Only the token's SHA-256 is stored; it is shown once, when issued. A token works only while
its owner is active HR. Every use is in the audit log; failed checks are counted per client
address and refused for the rest of the hour past FEED_FAILURES_PER_HOUR.
"""

import hashlib
import io
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.audit import client_address
from accounts.models import AuditEvent
from accounts.roles import is_hr
from lib.ratelimit import add_attempt, is_limited

from .exports.responses import FORMATS
from .exports.writers import csv_chunks, write_json
from .models import FeedToken, Release
from .querysets import campaigns_visible_to
from .releases import RELEASE_HEADERS, release_csv_rows

TOKEN_BYTES = 32
FAILURES = "feed-failures-address"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, user, name: str) -> tuple[FeedToken, str]:
    """A new token for `user`: the stored row and the token itself, to show once."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    token = FeedToken.objects.create(user=user, name=name, digest=digest(raw), prefix=raw[:8])
    audit.record(action=AuditEvent.Action.FEED_TOKEN, user=user, step="issued", token=token.prefix)
    return token, raw


def revoke_token(*, token: FeedToken, by) -> bool:
    """Revoke `token`; False when it already was."""
    revoked = FeedToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(
            action=AuditEvent.Action.FEED_TOKEN, user=by, step="revoked", token=token.prefix
        )
    return bool(revoked)


def token_of(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.GET.get("token", "").strip()


def authenticate(raw: str) -> FeedToken | None:
    """The usable token `raw` is, whose owner is still HR; None otherwise."""
    if not raw:
        return None
    token = FeedToken.objects.usable().select_related("user").filter(digest=digest(raw)).first()
    if token is None or not is_hr(token.user):
        return None
    return token


def feed_rows(*, release: Release) -> list[list]:
    """release.csv's rows for one release: what managers read from it."""
    return list(release_csv_rows(campaign=release.campaign, release=release))


def _refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="feed"'
    return response


def _count_failure(request: HttpRequest) -> None:
    limit = settings.FEED_FAILURES_PER_HOUR
    if add_attempt(scope=FAILURES, key=client_address(request) or "unknown") == limit:
        audit.record(action=AuditEvent.Action.RATE_LIMITED, request=request, what="feed")


def serve_feed(*, request: HttpRequest, code: str, file_format: str) -> HttpResponse:
    """The feed's answer: 429 past the failure limit, 401 without a valid token, 404 for a
    campaign the token's owner may not read or that has no release yet, else the figures."""
    address = client_address(request) or "unknown"
    if is_limited(scope=FAILURES, key=address, limit=settings.FEED_FAILURES_PER_HOUR):
        return _refused(request, 429, _("Too many failed attempts. Try again in an hour."))
    token = authenticate(token_of(request))
    if token is None:
        _count_failure(request)
        return _refused(request, 401, _("A valid feed token is needed."))
    campaign = campaigns_visible_to(token.user).filter(code=code).first()
    release = Release.objects.current(campaign) if campaign else None
    if release is None:
        return _refused(request, 404, _("This campaign has no release yet."))
    rows = feed_rows(release=release)
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    audit.record(
        action=AuditEvent.Action.FEED,
        request=request,
        user=token.user,
        campaign=campaign.code,
        release=release.number,
        rows=len(rows),
        format=file_format,
        token=token.prefix,
    )
    return _figures_response(rows, file_format=file_format)


def _figures_response(rows: list[list], *, file_format: str) -> HttpResponse:
    if file_format == "csv":
        response = StreamingHttpResponse(
            csv_chunks(RELEASE_HEADERS, rows), content_type=FORMATS["csv"]
        )
    else:
        text = io.StringIO()
        write_json(RELEASE_HEADERS, rows, text)
        response = HttpResponse(text.getvalue(), content_type=FORMATS["json"])
    response["Cache-Control"] = "no-store"
    return response
