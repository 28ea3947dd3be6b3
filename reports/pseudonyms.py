"""Stable, keyed pseudonyms: the same respondent has the same pseudonym in every export of a
campaign, a different one in every other campaign, and nobody without the site's secret key
can link a pseudonym back to an invitation."""

from collections.abc import Callable

from django.utils.crypto import salted_hmac

KEY_SALT = "reports.pseudonyms"


def pseudonymiser(campaign_code: str) -> Callable[[int], str]:
    """The pseudonym of each invitation of a campaign: the keyed HMAC of "code:invitation",
    keyed once (salted_hmac) and copied per invitation, for exports of many rows."""
    keyed = salted_hmac(KEY_SALT, f"{campaign_code}:", algorithm="sha256")

    def of(invitation_id: int) -> str:
        digest = keyed.copy()
        digest.update(str(invitation_id).encode())
        return "R-" + digest.hexdigest()[:16]

    return of


def pseudonym(*, campaign_code: str, invitation_id: int) -> str:
    return pseudonymiser(campaign_code)(invitation_id)
