"""The plan's tables. Declared here and imported by reports/models.py, so the app label stays
`reports`.

Immutability is enforced in the models as well as in the functions of plans.py and
catalogue.py: an approved plan, its frozen lines and any offering such a line points to refuse
to change whoever saves them (the admin, a shell, a later feature)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from accounts.roles import is_hr
from diagnostic.models import Campaign

from ..querysets import campaigns_visible_to, may_export_identified
from .exceptions import OfferingFrozenError, PlanFrozenError

MONEY = {"max_digits": 14, "decimal_places": 2}
BANDS = range(4)  # a need's band floor(L) with L < T <= 4


class OfferingQuerySet(models.QuerySet):
    def current(self) -> "OfferingQuerySet":
        """The version of each offering that new and draft plans use."""
        return self.filter(current=True)

    def visible_to(self, user) -> "OfferingQuerySet":
        """The catalogue is no secret: anyone signed in reads the current offerings; HR every
        version, those frozen in approved plans included."""
        if is_hr(user):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.current()

    def in_approved_plans(self) -> "OfferingQuerySet":
        return self.filter(plan_lines__plan__status__in=Plan.FROZEN).distinct()


class Offering(models.Model):
    """One version of a catalogue offering. A version used by an approved plan never changes:
    a new price is a new version (catalogue.offering_save)."""

    class Format(models.TextChoices):
        COURSE = "course", _("course")
        WORKSHOP = "workshop", _("workshop")
        MENTORING = "mentoring", _("mentoring")
        SELF_STUDY = "self_study", _("self-study")
        COMMUNITY = "community", _("community of practice")

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    current = models.BooleanField(_("current version"), default=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10, default="es")
    hours = models.DecimalField(_("hours per participant"), max_digits=7, decimal_places=2)
    cost_per_person = models.DecimalField(_("cost per person (MXN)"), **MONEY)
    cost_per_cohort = models.DecimalField(_("cost per cohort (MXN)"), **MONEY)
    capacity = models.PositiveIntegerField(_("participants per cohort"))
    link = models.URLField(_("link"), blank=True)
    competency_code = models.CharField(_("competency code"), max_length=20)
    level_from = models.PositiveSmallIntegerField(_("from level"))
    level_to = models.PositiveSmallIntegerField(_("to level"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="offering_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(current=True), name="offering_one_current_version"
            ),
            models.CheckConstraint(
                condition=Q(level_to__lte=4) & Q(level_from__lt=F("level_to")),
                name="offering_level_step",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="offering_capacity_1"),
            models.CheckConstraint(
                condition=Q(cost_per_person__gte=0) & Q(cost_per_cohort__gte=0) & Q(hours__gt=0),
                name="offering_amounts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk and self.is_frozen() and not _only_fields(kwargs, {"current"}):
            raise OfferingFrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen():
            raise OfferingFrozenError()
        return super().delete(*args, **kwargs)

    @property
    def title(self) -> str:
        language = (translation.get_language() or "es").lower()
        return self.title_en if language.startswith("en") else self.title_es

    def is_frozen(self) -> bool:
        return PlanLine.objects.filter(offering_id=self.pk, plan__status__in=Plan.FROZEN).exists()


def _only_fields(kwargs: dict, allowed: set[str]) -> bool:
    fields = kwargs.get("update_fields")
    return fields is not None and set(fields) <= allowed


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanQuerySet":
        """HR builds and reads every plan. Managers read approved plans only, through their
        own page (reports/plan/manager.py), never this queryset."""
        if not is_hr(user):
            return self.none()
        return self.select_related("campaign", "scope")

    def readable_by(self, user) -> "PlanQuerySet":
        """Approved plans of the campaigns a report reader (HR or a manager) may read: what
        the managers' plan page starts from. Drafts stay HR's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return (
            self.approved()
            .filter(campaign__in=campaigns_visible_to(user))
            .select_related("campaign", "scope")
        )

    def approved(self) -> "PlanQuerySet":
        return self.filter(status__in=Plan.FROZEN)


# Path segments of reports/plan/urls.py that a plan's code would shadow.
RESERVED_PLAN_CODES = frozenset({"new", "catalogue"})


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        CLOSED = "closed", _("closed")

    FROZEN = (Status.APPROVED, Status.CLOSED)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="plans")
    # None: the whole organisation (the campaign's population).
    scope = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget = models.DecimalField(_("budget (MXN)"), default=0, **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Frozen at approval: the scope's counts and the campaign's k the lines were built with.
    scope_code = models.CharField(max_length=40, blank=True)
    invited = models.PositiveIntegerField(null=True, blank=True)
    responded = models.PositiveIntegerField(null=True, blank=True)
    threshold = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("workforce plan")
        verbose_name_plural = _("workforce plans")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="plan_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        if self.pk and not _only_fields(kwargs, {"status"}):
            stored = Plan.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in self.FROZEN:
                raise PlanFrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.is_draft:
            raise PlanFrozenError()
        return super().delete(*args, **kwargs)

    def competency_names(self) -> dict[str, str]:
        """Competency code -> name in the reader's language, from the campaign's framework;
        a frozen line's stored name (the language of whoever approved) only for a code the
        framework no longer has."""
        names = dict(self.campaign.framework.competencies.values_list("code", "name"))
        for code, name in self.lines.values_list("competency_code", "competency_name"):
            names.setdefault(code, name)
        return names

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Choice(models.TextChoices):
    MUST_FUND = "must_fund", _("must fund")
    EXCLUDED = "excluded", _("excluded")


class LineStatus(models.TextChoices):
    FUNDED = "funded", _("funded")
    OVER_BUDGET = "over_budget", _("over budget")
    EXCLUDED = "excluded", _("excluded")
    UNCOVERED = "uncovered", _("uncovered")


class PlanChoice(models.Model):
    """HR's mark on a draft's line (competency, band): must fund or excluded."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="choices")
    competency_code = models.CharField(max_length=20)
    band = models.PositiveSmallIntegerField()
    choice = models.CharField(max_length=10, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "competency_code", "band"], name="planchoice_one_per_line"
            ),
            models.CheckConstraint(condition=Q(band__lte=3), name="planchoice_band_0_3"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.competency_code}/{self.band}: {self.choice}"


class PlanLine(models.Model):
    """A line of an approved plan as it was approved: the need, the offering with the prices
    it had, the computed figures, the choice and the funding status. Uncovered needs are lines
    without an offering."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    competency_code = models.CharField(max_length=20)
    competency_name = models.CharField(max_length=200, blank=True)
    band = models.PositiveSmallIntegerField()
    offering = models.ForeignKey(
        Offering, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_lines"
    )
    offering_code = models.CharField(max_length=40, blank=True)
    level_from = models.PositiveSmallIntegerField(null=True)
    level_to = models.PositiveSmallIntegerField(null=True)
    unit_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    cost_per_person = models.DecimalField(null=True, **MONEY)
    cost_per_cohort = models.DecimalField(null=True, **MONEY)
    capacity = models.PositiveIntegerField(null=True)
    participants = models.PositiveIntegerField()
    headcount = models.FloatField()
    cohorts = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    cost = models.DecimalField(default=0, **MONEY)
    priority = models.FloatField()
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)
    status = models.CharField(max_length=12, choices=LineStatus.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "competency_code", "band"], name="planline_one_per_need"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.competency_code}/{self.band}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise PlanFrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PlanFrozenError()


class PlanChange(models.Model):
    """Every change to a draft (and its approval), who made it and what it was."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        BUDGET = "budget", _("budget changed")
        SCOPE = "scope", _("scope changed")
        CHOICE = "choice", _("line marked")
        APPROVED = "approved", _("approved")
        CLOSED = "closed", _("closed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["plan", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action}"


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnrolmentQuerySet":
        """Named lists: HR holding the identified permission only; never managers."""
        if user is None or not may_export_identified(user):
            return self.none()
        return self.select_related("employee", "line")


class Enrolment(models.Model):
    """One person of a funded line's named list, and how their training went. Made when the
    plan is approved (state planned), for the people the line counted."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        ENROLLED = "enrolled", _("enrolled")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    line = models.ForeignKey(PlanLine, on_delete=models.CASCADE, related_name="enrolments")
    employee = models.ForeignKey(
        "accounts.Employee", on_delete=models.PROTECT, related_name="enrolments"
    )
    department_code = models.CharField(max_length=40)  # the invitation's snapshot
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["line", "department_code", "employee__employee_number"]
        constraints = [
            models.UniqueConstraint(fields=["line", "employee"], name="enrolment_once_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.employee_id}: {self.state}"
