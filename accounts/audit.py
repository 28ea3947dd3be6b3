"""The audit log of authentication events and other accountable actions."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from lib.ratelimit import client_address

from .models import AuditEvent


def record(*, action: str, request=None, user=None, username: str = "", **detail) -> AuditEvent:
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        action=action,
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=client_address(request),
        detail=detail,
    )


def on_login(sender, request, user, **kwargs) -> None:
    record(action=AuditEvent.Action.LOGIN, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:254],
    )


def on_logout(sender, request, user, **kwargs) -> None:
    record(action=AuditEvent.Action.LOGOUT, request=request, user=user)


def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(action=AuditEvent.Action.LOCKED_OUT, request=request, username=username or "")


def connect_signals() -> None:
    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="audit.logout")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit.locked_out")


def login_username(request, credentials) -> str | None:
    """The name that login throttling counts failures against: the e-mail, case-folded, so
    that typing it in capitals does not reset the count."""
    value = (credentials or {}).get("username") or request.POST.get("username")
    return value.strip().lower() if value else None
