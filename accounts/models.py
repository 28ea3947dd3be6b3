from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from .querysets import ArcoRequestQuerySet, DepartmentQuerySet, EmployeeQuerySet

PATH_SEPARATOR = "/"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in with an e-mail address and a password."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Department(models.Model):
    """A unit of the organisation. Departments form a tree.

    `path` is the materialized path of codes from the root ("/CITY/WORKS/ROADS/"), so that a
    whole subtree is one indexed prefix query whatever the depth of the tree.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=False)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=1000, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_departments",
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="department_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        # The path is derived data, kept in step here so no caller can store a wrong one;
        # moving a department moves its whole subtree in one UPDATE.
        old_path = self.path
        self.path = self.computed_path()
        self.depth = self.path.count(PATH_SEPARATOR) - 2
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            Department.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1)),
                depth=models.F("depth") + (self.depth - old_path.count(PATH_SEPARATOR) + 2),
            )

    def computed_path(self) -> str:
        prefix = self.parent.path if self.parent_id else PATH_SEPARATOR
        return f"{prefix}{self.code}{PATH_SEPARATOR}"

    def clean(self) -> None:
        if not (self.parent_id and self.pk):
            return
        if self.parent_id == self.pk or (self.path and self.parent.path.startswith(self.path)):
            raise ValidationError(
                {
                    "parent": _(
                        "A department cannot be placed under itself or its own sub-department."
                    )
                }
            )


class JobRole(models.Model):
    """A job role, the key to the target level of each competency."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Employee(models.Model):
    """A person on the roster, with or without a user account."""

    employee_number = models.CharField(_("employee number"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    job_role = models.ForeignKey(
        JobRole,
        verbose_name=_("job role"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # ARCO opposition: launches and reminders leave this person out from then on.
    opted_out_at = models.DateTimeField(_("opted out of invitations at"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"


class AuditEvent(models.Model):
    """A record of something that must be accountable: sign-ins, exports, imports."""

    class Action(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_failed", _("failed sign-in")
        LOCKED_OUT = "locked_out", _("locked out")
        LOGOUT = "logout", _("signed out")
        EMPLOYEE_DEACTIVATED = "employee_deactivated", _("employee deactivated")
        IMPORT = "import", _("import")
        EXPORT = "export", _("export")
        THRESHOLD_CHANGED = "threshold_changed", _("anonymity threshold changed")
        LINK_REFUSED = "link_refused", _("assessment link refused")
        RESULTS_CODE_FAILED = "results_code_failed", _("wrong results code")
        RATE_LIMITED = "rate_limited", _("too many attempts")
        ARCO = "arco", _("ARCO request")
        FEED = "feed", _("live feed read")
        FEED_TOKEN = "feed_token", _("feed token issued or revoked")
        PURGE = "purge", _("individual data purged")
        RESULTS_CODE_ISSUED = "results_code_issued", _("new results code")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    username = models.CharField(_("user name given"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.username}"

    # Detail keys that the audit log page shows in columns of their own.
    COLUMNS = ("campaign", "what", "file", "filename", "rows", "format")

    @property
    def file_name(self) -> str:
        return str(self.detail.get("file") or self.detail.get("filename") or "")

    @property
    def other_details(self) -> list[tuple[str, str]]:
        """The rest of the detail as (key, value) pairs, for the page (never raw JSON)."""
        return [(k, str(v)) for k, v in sorted(self.detail.items()) if k not in self.COLUMNS]


class ArcoRequest(models.Model):
    """A request under the personal data law (access, rectification, cancellation,
    opposition) that HR records for an employee and then carries out."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("access")
        RECTIFICATION = "rectification", _("rectification")
        CANCELLATION = "cancellation", _("cancellation")
        OPPOSITION = "opposition", _("opposition")

    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="arco_requests",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What carrying it out did, in counts and names (never the person's answers).
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)

    objects = ArcoRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("ARCO request")
        verbose_name_plural = _("ARCO requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.employee.employee_number}"

    @property
    def is_done(self) -> bool:
        return self.carried_out_at is not None


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """Imports are HR's alone: HR sees every import job, nobody else any."""
        from .roles import is_hr

        return self.all() if is_hr(user) else self.none()

    def unfinished(self) -> "ImportJobQuerySet":
        return self.filter(status__in=[ImportJob.Status.PENDING, ImportJob.Status.APPLYING])


class ImportJob(models.Model):
    """A roster or department file on its way in: read and previewed in the background, then
    applied when HR confirms. The state lives here, so a page reload, a worker restart or a
    broker outage loses nothing; the file itself is kept in the default storage."""

    class Kind(models.TextChoices):
        ROSTER = "roster", _("roster")
        DEPARTMENTS = "departments", _("departments")

    class Status(models.TextChoices):
        PENDING = "pending", _("reading the file")
        PREVIEWED = "previewed", _("ready to import")
        REFUSED = "refused", _("refused")
        APPLYING = "applying", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to="imports/", max_length=300)
    file_name = models.CharField(_("file name"), max_length=255)
    create_departments = models.BooleanField(_("create missing departments"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    samples = models.JSONField(_("samples"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    unknown_departments = models.JSONField(_("unknown departments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="importjob_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.APPLYING)
