from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_hr
from diagnostic.models import Campaign

from .querysets import campaigns_visible_to


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExportJobQuerySet":
        """HR sees the data packages of the campaigns visible to them; nobody else any.

        Identified packages stay in the list for HR without the permission: the views refuse
        to open them (403), as they refuse to build them, rather than pretend they are not
        there."""
        if not is_hr(user):
            return self.none()
        return self.filter(campaign__in=campaigns_visible_to(user)).select_related("campaign")

    def ready(self) -> "ExportJobQuerySet":
        return self.filter(status=ExportJob.Status.DONE)


class ExportJob(models.Model):
    """A campaign data package built in the background, with its progress for the page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("building")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    open_data = models.BooleanField(_("open data"), default=False)
    identified = models.BooleanField(_("identified"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("data package")
        verbose_name_plural = _("data packages")
        ordering = ["-created_at"]
        permissions = [
            ("export_identified", _("Can export individual data with employee numbers")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="exportjob_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def export_name(self) -> str:
        """What the audit log calls this package."""
        return "package-open-data" if self.open_data else "package"
