"""The privacy notice: HR writes new versions; a campaign takes the latest at launch."""

from django.db import transaction
from django.db.models import Max

from ..models import PrivacyNotice


def latest_notice() -> PrivacyNotice | None:
    return PrivacyNotice.objects.order_by("-version").first()


@transaction.atomic
def notice_create(
    *, short_text_es_mx: str, short_text_en: str, full_text_es_mx: str, full_text_en: str
) -> PrivacyNotice:
    """Add a new version; earlier versions stay, as campaigns and responses point at them."""
    # Locking the table's rows keeps two HR users from taking the same version number.
    list(PrivacyNotice.objects.select_for_update().values_list("pk", flat=True))
    current = PrivacyNotice.objects.aggregate(latest=Max("version"))["latest"] or 0
    return PrivacyNotice.objects.create(
        version=current + 1,
        short_text_es_mx=short_text_es_mx,
        short_text_en=short_text_en,
        full_text_es_mx=full_text_es_mx,
        full_text_en=full_text_en,
    )
