from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from .querysets import DepartmentQuerySet, EmployeeQuerySet

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
