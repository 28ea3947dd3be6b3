import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_hr
from diagnostic.models import Campaign

from .querysets import campaigns_visible_to, quality_campaigns_visible_to


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
        """Built and not yet expired: what may be downloaded."""
        return self.filter(status=ExportJob.Status.DONE, expired_at__isnull=True)


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
    # Claims of the job by a worker; the latest claim alone may finish it (packages.py).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The heartbeat: a running job not touched for a while lost its worker.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Set when the retention period removed the file (reports/retention.py).
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)

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
    def expires_at(self):
        """When the file will be removed: EXPORT_RETENTION_HOURS after it was built."""
        if self.finished_at is None:
            return None
        return self.finished_at + dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)

    @property
    def stalled(self) -> bool:
        """Waiting or building with no sign of life for `STALLED_JOB_MINUTES`."""
        limit = timezone.now() - dt.timedelta(minutes=settings.STALLED_JOB_MINUTES)
        return self.status in (self.Status.PENDING, self.Status.RUNNING) and (
            self.updated_at is not None and self.updated_at < limit
        )

    @property
    def retryable(self) -> bool:
        return self.status == self.Status.FAILED or self.stalled

    @property
    def export_name(self) -> str:
        """What the audit log calls this package."""
        return "package-open-data" if self.open_data else "package"


class ReleaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReleaseQuerySet":
        """HR sees the releases of the campaigns visible to them, with what each held back;
        managers read a release only through their report pages, never this list."""
        if not is_hr(user):
            return self.none()
        return self.filter(campaign__in=campaigns_visible_to(user)).select_related("campaign")

    def done(self) -> "ReleaseQuerySet":
        return self.filter(status=Release.Status.DONE)

    def current(self, campaign: Campaign) -> "Release | None":
        """The campaign's latest built release: what managers read."""
        return self.done().filter(campaign=campaign).order_by("-number").first()


class Release(models.Model):
    """A frozen copy of a campaign's suppressed figures, the only thing managers read
    (DESIGN.md "Releases (no differencing over time)")."""

    class Kind(models.TextChoices):
        CLOSING = "closing", _("closing")
        INTERIM = "interim", _("interim")

    Status = ExportJob.Status

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportJob.Status.choices, default="pending"
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)
    # A closing release: the close it was made for (HR's close, `closes_at`, or the end of an
    # extension), so the periodic catch-up makes one per close whatever the clock says.
    closing_of = models.DateTimeField(null=True, blank=True)
    # What the disclosure audit of this release found and cost (reports/secondary.py).
    audit = models.JSONField(default=dict, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="release_number_per_campaign"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="release_progress_0_100"),
            models.CheckConstraint(condition=Q(number__gte=1), name="release_number_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.code} #{self.number}"


class ReleaseFigure(models.Model):
    """One row of release.csv: a group (department subtree, optionally one job role) with
    its own counts and index (no competency), or one competency cell of that group.

    Codes are copied so that a release reads the same after the organisation changes."""

    class State(models.TextChoices):
        SHOWN = "shown", _("new figures")
        KEPT = "kept", _("kept from an earlier release")
        HIDDEN = "hidden", _("hidden")

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="figures")
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    job_role = models.ForeignKey(
        "accounts.JobRole", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    competency = models.ForeignKey(
        "diagnostic.Competency", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_code = models.CharField(max_length=40)
    role_code = models.CharField(max_length=40, blank=True)
    competency_code = models.CharField(max_length=40, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    origin = models.PositiveIntegerField(null=True)  # the release whose figures these are
    # The live figures could have been shown, but the release rule (or complementary
    # suppression on the figures as shown) kept earlier ones or hid them: what HR reviews.
    held_back = models.BooleanField(default=False)
    invited = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(null=True)
    n = models.PositiveIntegerField(null=True)
    mean_level = models.FloatField(null=True)
    median_level = models.FloatField(null=True)
    mean_target = models.FloatField(null=True)
    n_required = models.PositiveIntegerField(null=True)
    mean_gap = models.FloatField(null=True)
    pct_meeting = models.FloatField(null=True)
    mean_usage = models.FloatField(null=True)
    level_0 = models.PositiveIntegerField(null=True)
    level_1 = models.PositiveIntegerField(null=True)
    level_2 = models.PositiveIntegerField(null=True)
    level_3 = models.PositiveIntegerField(null=True)
    level_4 = models.PositiveIntegerField(null=True)
    priority = models.FloatField(null=True)
    index = models.FloatField(null=True)
    # The true count of the key when the release was made (`responded` for a group, `n` for a
    # cell), hidden or not: what the audit of later releases needs. Never shown to a reader.
    true_count = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["release", "department_code", "role_code", "competency_code"]
        indexes = [models.Index(fields=["release", "department"], name="releasefigure_dept")]

    def __str__(self) -> str:
        return " ".join(filter(None, [self.department_code, self.role_code, self.competency_code]))

    @property
    def suppressed(self) -> bool:
        return self.state == self.State.HIDDEN


class FeedTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FeedTokenQuerySet":
        """Each HR person sees and revokes their own tokens only."""
        if not is_hr(user):
            return self.none()
        return self.filter(user=user)

    def usable(self) -> "FeedTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class FeedToken(models.Model):
    """A personal token for the live feed (reports/feed.py). Only its SHA-256 is stored: the
    token itself is shown once, when it is issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("feed token")
        verbose_name_plural = _("feed tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class QualitySnapshotQuerySet(models.QuerySet):
    def visible_to(self, user) -> "QualitySnapshotQuerySet":
        """HR and framework editors read the instrument quality of every launched campaign;
        nobody else any (the figures are about the questions, not about people, but they are
        not for managers or employees)."""
        return self.filter(campaign__in=quality_campaigns_visible_to(user))

    def latest_done(self, campaign: Campaign) -> "QualitySnapshot | None":
        return (
            self.filter(campaign=campaign, status=QualitySnapshot.Status.DONE)
            .order_by("-computed_at", "-pk")
            .first()
        )


class QualitySnapshot(models.Model):
    """The instrument quality of a campaign as computed at one moment, by a task
    (reports/quality/snapshots.py): what the quality page and its files read."""

    Status = ExportJob.Status

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="quality_snapshots"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportJob.Status.choices, default="pending"
    )
    responses = models.PositiveIntegerField(_("submitted responses"), default=0)
    data = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    objects = QualitySnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrument quality")
        verbose_name_plural = _("instrument quality")
        ordering = ["campaign", "-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign.code} {self.created_at:%Y-%m-%d %H:%M}"


# The workforce plan's tables live in reports/plan/models.py; imported here so that Django
# finds them under the `reports` app label.
from .plan.models import (  # noqa: E402, F401
    Enrolment,
    Offering,
    Plan,
    PlanChange,
    PlanChoice,
    PlanLine,
)
