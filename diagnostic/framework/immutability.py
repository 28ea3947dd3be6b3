"""The published-framework immutability rule, in one place: which statuses lock a version,
which field of a locked version may still change, how a row finds its version, and the check.

Every write path asks this module: the models' `save`/`delete` (models.py), the querysets'
bulk paths (`update`, `delete`, `bulk_create`, `bulk_update`, below), the admin (read-only
rows, drafts-only choices) and the spreadsheet imports (resources.py). Below the ORM, the
PostgreSQL triggers of migrations 0004 and 0006 say the same for raw SQL; a migration must
keep its own frozen copy of the tables and columns, so
tests/diagnostic/framework/test_trigger_coverage.py compares that copy with the models.
"""

from django.apps import apps
from django.db import models

from ..exceptions import PublishedFrameworkError

# Statuses whose content never changes. A retired version was published once.
LOCKED_STATUSES = ("published", "retired")
# The only field of a locked framework row that may still change (published <-> retired).
MUTABLE_FIELDS = frozenset({"status"})


def framework_model() -> type[models.Model]:
    # models.py imports this module, so the models are looked up when first needed.
    return apps.get_model("diagnostic", "Framework")


def is_locked_status(status: str) -> bool:
    return status in LOCKED_STATUSES


def framework_of(obj):
    """The framework version `obj` belongs to (itself for a framework), following the model's
    `FRAMEWORK_PATH` ("framework", "competency__framework"); None for no object."""
    if obj is None or isinstance(obj, framework_model()):
        return obj
    for name in type(obj).FRAMEWORK_PATH.split("__"):
        obj = getattr(obj, name)
    return obj


def is_locked(obj) -> bool:
    """Whether `obj` (a framework or a row of one, as loaded) may no longer change."""
    framework = framework_of(obj)
    return framework is not None and is_locked_status(framework.status)


def refuse_if_locked(frameworks: models.QuerySet) -> None:
    """Raise PublishedFrameworkError when any framework of `frameworks` is published/retired."""
    locked = frameworks.filter(status__in=LOCKED_STATUSES).first()
    if locked is not None:
        raise PublishedFrameworkError(str(locked))


def refuse_framework_change(*, framework) -> None:
    """The guard of `Framework.save`: a stored locked version may change its status between
    the locked ones, nothing else."""
    # modeltranslation's queryset would rename the translated columns; a plain one does not.
    stored = models.QuerySet(model=type(framework)).filter(pk=framework.pk).values().first()
    if stored is None or not is_locked_status(stored["status"]):
        return
    if changed_fields(framework, stored) - MUTABLE_FIELDS or not is_locked(framework):
        raise PublishedFrameworkError(str(framework))


def changed_fields(framework, stored: dict) -> set[str]:
    """The columns whose value in memory differs from the stored row."""
    from modeltranslation.translator import translator

    # The untranslated originals of translated fields are skipped: their descriptors read the
    # active language's column, which is compared on its own.
    originals = set(translator.get_options_for_model(type(framework)).all_fields)
    return {
        field.attname
        for field in framework._meta.concrete_fields
        if field.attname not in originals
        and field.to_python(stored[field.attname])
        != field.to_python(getattr(framework, field.attname))
    }


def refuse_content_write(*, row) -> None:
    """The guard of a content row's `save` and `delete`: neither the version it points at
    nor the one it is stored under may be locked (moving a row out of a published version is
    a change of that version)."""
    frameworks = frameworks_of([row])
    if row.pk is not None:
        stored = type(row)._base_manager.filter(pk=row.pk).values(row.FRAMEWORK_PATH)
        frameworks |= framework_model().objects.filter(pk__in=stored)
    refuse_if_locked(frameworks)


def frameworks_of(objs) -> models.QuerySet:
    """The frameworks that these (possibly unsaved) framework-content rows point at, following
    each model's `FRAMEWORK_PATH` from its first foreign key."""
    Framework = framework_model()
    frameworks = Framework.objects.none()
    by_model: dict[type, set] = {}
    for obj in objs:
        first, _, _ = type(obj).FRAMEWORK_PATH.partition("__")
        by_model.setdefault(type(obj), set()).add(getattr(obj, f"{first}_id"))
    for model, ids in by_model.items():
        first, _, rest = model.FRAMEWORK_PATH.partition("__")
        if not rest:
            frameworks |= Framework.objects.filter(pk__in=ids)
        else:
            parent = model._meta.get_field(first).related_model
            parent_frameworks = parent._base_manager.filter(pk__in=ids).values(rest)
            frameworks |= Framework.objects.filter(pk__in=parent_frameworks)
    return frameworks


class FrameworkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FrameworkQuerySet":
        """Every signed-in user sees published and retired versions; framework editors (and
        administrators) also see drafts."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("diagnostic.change_framework"):
            return self.all()
        return self.filter(status__in=LOCKED_STATUSES)

    def editable(self) -> "FrameworkQuerySet":
        """The versions whose content may still change: the drafts."""
        return self.exclude(status__in=LOCKED_STATUSES)

    def published(self) -> "FrameworkQuerySet":
        """The versions campaigns may use (retired ones are locked but no longer offered)."""
        return self.filter(status="published")

    def current(self):
        """The published version most recently published, or None."""
        return self.published().order_by("-published_at", "-version", "code").first()

    def update(self, **kwargs):
        changes_content = set(kwargs) - MUTABLE_FIELDS
        unlocks = "status" in kwargs and not is_locked_status(kwargs["status"])
        if changes_content or unlocks:
            refuse_if_locked(self)
        return super().update(**kwargs)

    def delete(self):
        refuse_if_locked(self)
        return super().delete()


class FrameworkContentQuerySet(models.QuerySet):
    """The queryset of every model that belongs to one framework version. The model names the
    path from itself to its framework in `FRAMEWORK_PATH` ("framework", "competency__framework")."""

    def editable(self) -> "FrameworkContentQuerySet":
        """The rows of versions whose content may still change, with their version loaded."""
        path = self.model.FRAMEWORK_PATH
        return self.exclude(**{f"{path}__status__in": LOCKED_STATUSES}).select_related(path)

    def _frameworks(self) -> models.QuerySet:
        path = self.model.FRAMEWORK_PATH
        return framework_model().objects.filter(pk__in=self.order_by().values(path))

    def update(self, **kwargs):
        refuse_if_locked(self._frameworks())
        return super().update(**kwargs)

    def delete(self):
        refuse_if_locked(self._frameworks())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_if_locked(frameworks_of(objs))
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        refuse_if_locked(
            frameworks_of(objs) | self.filter(pk__in=[o.pk for o in objs])._frameworks()
        )
        return super().bulk_update(objs, fields, *args, **kwargs)


FrameworkManager = models.Manager.from_queryset(FrameworkQuerySet)
FrameworkContentManager = models.Manager.from_queryset(FrameworkContentQuerySet)
