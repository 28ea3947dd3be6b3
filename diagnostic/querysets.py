"""Access starts from the queryset: campaign views fetch through these methods."""

from django.db import models
from django.utils import timezone

from accounts.querysets import is_hr


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CampaignQuerySet":
        """Campaigns are run by HR; nobody else reads them through the HR pages."""
        if is_hr(user):
            return self.all()
        return self.none()

    def open(self, *, now=None) -> "CampaignQuerySet":
        """Launched, not closed, and inside the answering period."""
        now = now or timezone.now()
        return self.filter(
            launched_at__isnull=False,
            launch_completed_at__isnull=False,
            closed_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
        )
