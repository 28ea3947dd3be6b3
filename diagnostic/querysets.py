"""Access starts from the queryset: the questionnaire fetches through these methods."""

from django.db import models
from django.utils import timezone


class CampaignQuerySet(models.QuerySet):
    def open(self, *, now=None) -> "CampaignQuerySet":
        """Launched, not closed, and inside its opening window."""
        now = now or timezone.now()
        return self.filter(
            launched_at__isnull=False, closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now
        )


class InvitationQuerySet(models.QuerySet):
    def for_user(self, user) -> "InvitationQuerySet":
        """The invitations of the signed-in person's own roster record."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(employee__user=user, employee__active=True)


class ResponseQuerySet(models.QuerySet):
    def submitted(self) -> "ResponseQuerySet":
        return self.filter(submitted_at__isnull=False)

    def pending_scoring(self) -> "ResponseQuerySet":
        """Submitted but not scored since their submission (e.g. the broker was down)."""
        return self.submitted().filter(
            models.Q(scored_at__isnull=True) | models.Q(scored_at__lt=models.F("submitted_at"))
        )
