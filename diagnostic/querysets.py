"""Access starts from the queryset: campaign and questionnaire views fetch through these."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.roles import is_hr


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CampaignQuerySet":
        """Campaigns are run by HR; nobody else reads them through the HR pages."""
        if is_hr(user):
            return self.all()
        return self.none()

    def open(self, *, now=None) -> "CampaignQuerySet":
        """Launched (its invitations all made), not closed, and inside the answering period."""
        now = now or timezone.now()
        return self.filter(
            launched_at__isnull=False,
            launch_completed_at__isnull=False,
            closed_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
        )


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InvitationQuerySet":
        """The invitations of the campaigns the user may run: for HR's link sheets and lists."""
        from .models import Campaign

        return self.filter(campaign__in=Campaign.objects.visible_to(user))

    def for_user(self, user) -> "InvitationQuerySet":
        """The invitations of the signed-in person's own roster record."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(employee__user=user, employee__active=True)

    def for_token(self, token: str, *, user) -> "InvitationQuerySet":
        """The invitation of a link (DESIGN.md "Links are not keys to results"): the link
        works with nobody signed in, and signed in only for the account linked to its
        employee: a manager or HR who opens the link of someone without an account (most
        staff) gets nothing, since nothing shows they are that person."""
        rows = self.filter(token=token)
        if user is not None and user.is_authenticated:
            rows = rows.filter(employee__user=user)
        return rows

    def unreached(self) -> "InvitationQuerySet":
        """Invitations no e-mail reaches: no address on the roster, or the server refused it.
        HR prints QR cards for these."""
        return self.filter(Q(employee__email="") | Q(bounced_at__isnull=False))

    def for_short_code(self, code: str, *, user) -> "InvitationQuerySet":
        """The invitation of a QR card's short code, under the same rule as `for_token`."""
        rows = self.filter(short_code=code)
        if user is not None and user.is_authenticated:
            rows = rows.filter(employee__user=user)
        return rows


class ResponseQuerySet(models.QuerySet):
    def submitted(self) -> "ResponseQuerySet":
        return self.filter(submitted_at__isnull=False)

    def pending_scoring(self) -> "ResponseQuerySet":
        """Submitted but not scored since their submission (e.g. the broker was down)."""
        return self.submitted().filter(
            models.Q(scored_at__isnull=True) | models.Q(scored_at__lt=models.F("submitted_at"))
        )
