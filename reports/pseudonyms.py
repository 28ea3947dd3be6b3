"""Stable, keyed pseudonyms: the same respondent has the same pseudonym in every export of a
campaign, a different one in every other campaign, and nobody without the site's secret key
can link a pseudonym back to an invitation."""

from django.utils.crypto import salted_hmac

KEY_SALT = "reports.pseudonyms"


def pseudonym(*, campaign_code: str, invitation_id: int) -> str:
    digest = salted_hmac(KEY_SALT, f"{campaign_code}:{invitation_id}", algorithm="sha256")
    return "R-" + digest.hexdigest()[:16]
