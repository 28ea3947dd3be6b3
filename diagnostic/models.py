"""The skills framework, campaigns, invitations, responses and stored scores.

The scale is 0..4 everywhere (see DESIGN.md, "The skills framework"). Text fields listed in
`translation.py` exist once per language (`name_es_mx`, `name_en`) through modeltranslation.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, Employee, JobRole
from lib.codes import random_code

from .framework import immutability
from .framework.immutability import FrameworkContentManager, FrameworkManager
from .querysets import CampaignQuerySet, InvitationQuerySet, ResponseQuerySet

LEVEL_RANGE = Q(level__gte=0) & Q(level__lte=4)
SHORT_CODE_LENGTH = 8


def new_short_code() -> str:
    """The short code of a QR card, typed at /c/: 31**8 (about 8.5 * 10**11) codes for tens
    of thousands of invitations, while guesses are limited per address as for tokens."""
    return random_code(SHORT_CODE_LENGTH)


class Level(models.IntegerChoices):
    NONE = 0, _("None")
    AWARENESS = 1, _("Awareness")
    WORKING = 2, _("Working")
    PRACTITIONER = 3, _("Practitioner")
    EXPERT = 4, _("Expert")


class Frequency(models.IntegerChoices):
    NEVER = 0, _("Never")
    YEARLY = 1, _("A few times a year")
    MONTHLY = 2, _("Monthly")
    WEEKLY = 3, _("Weekly")
    DAILY = 4, _("Daily")


class Framework(models.Model):
    """One version of a skills framework. A published version never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    knowledge_weight = models.DecimalField(
        _("knowledge weight"), max_digits=4, decimal_places=3, default=0.25
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = FrameworkManager()

    class Meta:
        verbose_name = _("skills framework")
        verbose_name_plural = _("skills frameworks")
        ordering = ["code", "-version"]
        permissions = [("publish_framework", _("Can publish a framework version"))]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version"),
            models.CheckConstraint(
                condition=Q(knowledge_weight__gte=0) & Q(knowledge_weight__lte=1),
                name="framework_knowledge_weight_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            immutability.refuse_framework_change(framework=self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        immutability.refuse_if_locked(type(self)._base_manager.filter(pk=self.pk))
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        """Published and retired versions never change."""
        return immutability.is_locked(self)


class FrameworkContent(models.Model):
    """A row that belongs to one framework version: it cannot be written or deleted while that
    version is published, whichever path the write takes (see framework/immutability.py)."""

    FRAMEWORK_PATH = "framework"

    objects = FrameworkContentManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        immutability.refuse_content_write(row=self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        immutability.refuse_content_write(row=self)
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        # An area or competency of another version would mix two versions in one.
        framework_id = getattr(self, "framework_id", None)
        for name in ("area", "competency"):
            if framework_id is None or getattr(self, f"{name}_id", None) is None:
                continue
            if getattr(self, name).framework_id != framework_id:
                raise ValidationError({name: _("must belong to the same framework version")})


class ProficiencyLevel(FrameworkContent):
    """The name and meaning of each level 0..4 in one framework version."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what it means"), blank=True)

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["framework", "level"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="level_per_framework"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="proficiency_level_0_4"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"


class Area(FrameworkContent):
    """A competency area (domain); one page of the questionnaire."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_per_framework"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Competency(FrameworkContent):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="competencies")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "area__position", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="competency_code_per_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LevelDescriptor(FrameworkContent):
    """What a person at this level of this competency can do; the options of its `self`
    question, written in the first person."""

    FRAMEWORK_PATH = "competency__framework"

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    text = models.TextField(_("descriptor"))

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="descriptor_per_level"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="descriptor_level_0_4"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level}"


class Question(FrameworkContent):
    class Kind(models.TextChoices):
        SELF = "self", _("self-assessment")
        KNOWLEDGE = "knowledge", _("knowledge check")
        FREQUENCY = "frequency", _("frequency of use")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=30)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["framework", "competency__area__position", "competency__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="question_code_per_framework"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Option(FrameworkContent):
    """An option of a `knowledge` question: exactly one is correct, one is "I don't know"."""

    FRAMEWORK_PATH = "question__framework"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("option"))
    is_correct = models.BooleanField(_("correct"), default=False)
    is_dont_know = models.BooleanField(_("“I don't know”"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="option_code_per_question"),
            models.CheckConstraint(
                condition=~(Q(is_correct=True) & Q(is_dont_know=True)),
                name="option_dont_know_not_correct",
            ),
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_correct=True),
                name="option_one_correct_per_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}/{self.code}"


class RoleTarget(FrameworkContent):
    """The level a job role should reach in a competency, and how much it matters."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="role_targets")
    job_role = models.ForeignKey(
        JobRole, on_delete=models.PROTECT, related_name="targets", verbose_name=_("job role")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="role_targets"
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=Level.choices)
    importance = models.PositiveSmallIntegerField(_("importance"), default=1)

    class Meta:
        verbose_name = _("role target")
        verbose_name_plural = _("role targets")
        ordering = ["framework", "job_role__code", "competency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "job_role"], name="target_per_role_competency"
            ),
            models.CheckConstraint(
                condition=Q(target_level__gte=0) & Q(target_level__lte=4),
                name="target_level_0_4",
            ),
            models.CheckConstraint(
                condition=Q(importance__gte=1) & Q(importance__lte=3), name="importance_1_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_role.code} {self.competency.code} → {self.target_level}"


class PrivacyNotice(models.Model):
    """The privacy notice shown before the assessment, in a short and a full version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    short_text = models.TextField(_("short notice"))
    full_text = models.TextField(_("full notice"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("Privacy notice v%(version)s") % {"version": self.version}


class Campaign(models.Model):
    """One round of the assessment over a population of departments."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework version"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("population"), related_name="campaigns"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    anonymity_threshold = models.PositiveSmallIntegerField(_("anonymity threshold"), default=5)
    # Whom invitations and reminders tell people to ask; empty means the site's own contact.
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    privacy_notice = models.ForeignKey(
        PrivacyNotice,
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    # Invitations are made in batches by a task after `launched_at` is set; this marks the
    # end, so that a retried task finishes the job and a later one adds nobody.
    launch_completed_at = models.DateTimeField(_("invitations made at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-opens_at", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=3), name="campaign_threshold_at_least_3"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="campaign_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def contact(self) -> str:
        return (
            self.contact_email
            or getattr(settings, "ORGANIZATION_CONTACT", "")
            or settings.DEFAULT_FROM_EMAIL
        )

    def is_open(self, *, now=None) -> bool:
        """The same rule as `Campaign.objects.open()`, for a campaign already loaded."""
        now = now or timezone.now()
        return (
            self.launched_at is not None
            and self.launch_completed_at is not None
            and self.closed_at is None
            and self.opens_at <= now < self.closes_at
        )


class Invitation(models.Model):
    """One employee's place in one campaign, with the snapshots taken at launch."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="invitations")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="invitations")
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="invitations")
    token = models.CharField(_("token"), max_length=64, unique=True)
    # What a QR card asks people to type at /c/: eight characters (campaigns/invitations.py).
    short_code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_short_code
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    # Participation is voluntary: someone who said no gets no reminders.
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    # The mail server refused the address: HR prints a QR card for this person instead.
    bounced_at = models.DateTimeField(_("e-mail refused at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["campaign", "employee__employee_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employee"], name="invitation_per_employee_campaign"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "department"])]

    def __str__(self) -> str:
        return f"{self.campaign.code} / {self.employee.employee_number}"


class Response(models.Model):
    """The answers of one invitation. Submitted once; scores stored when it is."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"), null=True)
    privacy_notice = models.ForeignKey(
        PrivacyNotice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    index = models.FloatField(_("respondent index"), null=True, blank=True)
    # The hash of the results code shown at submission (`assessment.codes`): with the link it
    # opens the results on another device; the code itself is never stored.
    results_code = models.CharField(_("results code (hashed)"), max_length=128, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(index__isnull=True) | (Q(index__gte=0) & Q(index__lte=100)),
                name="response_index_0_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.invitation)


class Answer(models.Model):
    """One answer; unique per response and question, the later save wins."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_per_question"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | (Q(value__gte=0) & Q(value__lte=4)),
                name="answer_value_0_4",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(option__isnull=False),
                name="answer_has_value_or_option",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class CompetencyScore(models.Model):
    """One respondent's score in one competency, as DESIGN.md "Scoring (exact)" defines it.

    Campaign, department and job role are copied from the invitation so that aggregation is
    one grouped query over this table.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scores")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="scores")
    self_level = models.FloatField(_("self level"))
    knowledge_score = models.FloatField(_("knowledge score"), null=True, blank=True)
    level = models.FloatField(_("level"))
    target = models.PositiveSmallIntegerField(_("target"))
    importance = models.PositiveSmallIntegerField(_("importance"))
    gap = models.FloatField(_("gap"))
    required = models.BooleanField(_("required"))
    meets = models.BooleanField(_("meets"))
    usage = models.FloatField(_("usage"), null=True, blank=True)

    class Meta:
        verbose_name = _("competency score")
        verbose_name_plural = _("competency scores")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "competency"], name="score_per_response_competency"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0) & Q(level__lte=4), name="score_level_0_4"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "competency"])]

    def __str__(self) -> str:
        return f"{self.response_id} {self.competency_id} {self.level:.2f}"
