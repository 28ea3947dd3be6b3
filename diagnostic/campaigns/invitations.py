"""Invitation tokens and links, and the snapshot an invitation keeps of its employee."""

import secrets

from django.conf import settings

from ..models import Invitation

TOKEN_BYTES = 32


def new_token() -> str:
    """43 URL-safe characters from 256 random bits: not guessable, not enumerable."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def invitation_url(invitation: Invitation) -> str:
    """The employee's own entry link (the `assessment:start` page)."""
    return f"{settings.SITE_URL}/a/{invitation.token}/"
