"""Invitation tokens and links, and the snapshot an invitation keeps of its employee."""

import secrets

from django.conf import settings

from accounts.models import Employee

from ..models import Campaign, Invitation

TOKEN_BYTES = 32


def new_token() -> str:
    """43 URL-safe characters from 256 random bits: not guessable, not enumerable."""
    return secrets.token_urlsafe(TOKEN_BYTES)


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
    )


def invitation_url(invitation: Invitation) -> str:
    """The employee's own entry link (the `assessment:start` page)."""
    return f"{settings.SITE_URL}/a/{invitation.token}/"
