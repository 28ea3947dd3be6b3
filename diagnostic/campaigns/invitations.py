"""Invitation tokens and links, and the snapshot an invitation keeps of its employee."""

import secrets

from django.conf import settings

from accounts.models import Employee

from ..assessment.codes import normalized, shown
from ..models import SHORT_CODE_LENGTH, Campaign, Invitation, new_short_code

TOKEN_BYTES = 32


def new_token() -> str:
    """43 URL-safe characters from 256 random bits: not guessable, not enumerable."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def typed_short_code(typed: str) -> str:
    """What someone typed, as stored: case, spaces and dashes do not matter."""
    return normalized(typed)[: SHORT_CODE_LENGTH * 2]


def invitation_for(*, campaign: Campaign, employee: Employee) -> Invitation:
    """The (unsaved) invitation of `employee` to `campaign`, with a new token and the
    snapshots taken now: department, job role and language as the roster has them today.
    Scores and reports read the snapshots, so later roster changes leave them alone."""
    return Invitation(
        campaign=campaign,
        employee=employee,
        department_id=employee.department_id,
        job_role_id=employee.job_role_id,
        language=employee.language,
        token=new_token(),
        short_code=new_short_code(),
    )


def invitation_url(invitation: Invitation) -> str:
    """The employee's own entry link (the `assessment:start` page)."""
    return f"{settings.SITE_URL}/a/{invitation.token}/"


def short_address() -> str:
    """Where a short code is typed, as printed on the QR card."""
    return f"{settings.SITE_URL}/c/"


def short_url(invitation: Invitation) -> str:
    return f"{settings.SITE_URL}/c/{invitation.short_code}/"


def shown_short_code(invitation: Invitation) -> str:
    """The short code as people read it: "7KQM-3XTB"."""
    return shown(invitation.short_code)
