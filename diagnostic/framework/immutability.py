"""Querysets of the skills framework models: who may see a version, and the guard that keeps a
published version from changing through bulk paths (`update`, `delete`, `bulk_create`,
`bulk_update`). Model `save`/`delete` call the same guard (see `FrameworkContent` in models)."""

from django.db import models

from ..exceptions import PublishedFrameworkError

# Statuses whose content never changes. A retired version was published once.
LOCKED_STATUSES = ("published", "retired")
# The only field of a locked framework row that may still change (published <-> retired).
STATUS_FIELDS = {"status"}


def framework_model():
    from ..models import Framework

    return Framework


def refuse_if_locked(frameworks: models.QuerySet) -> None:
    """Raise PublishedFrameworkError when any framework of `frameworks` is published/retired."""
    locked = frameworks.filter(status__in=LOCKED_STATUSES).first()
    if locked is not None:
        raise PublishedFrameworkError(str(locked))


class FrameworkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FrameworkQuerySet":
        """Every signed-in user sees published and retired versions; framework editors (and
        administrators) also see drafts."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("diagnostic.change_framework"):
            return self.all()
        return self.filter(status__in=LOCKED_STATUSES)

    def current(self):
        """The published version most recently published, or None."""
        return self.filter(status="published").order_by("-published_at", "-version", "code").first()

    def update(self, **kwargs):
        changes_content = set(kwargs) - STATUS_FIELDS or kwargs.get("status") == "draft"
        if changes_content:
            refuse_if_locked(self)
        return super().update(**kwargs)

    def delete(self):
        refuse_if_locked(self)
        return super().delete()


class FrameworkContentQuerySet(models.QuerySet):
    """The queryset of every model that belongs to one framework version. The model names the
    path from itself to its framework in `FRAMEWORK_PATH` ("framework", "competency__framework")."""

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


def frameworks_of(objs) -> models.QuerySet:
    """The frameworks that these (possibly unsaved) framework-content rows point at, following
    each model's `FRAMEWORK_PATH` from its first foreign key."""
    frameworks = framework_model().objects.none()
    by_model: dict[type, set] = {}
    for obj in objs:
        first, _, _ = type(obj).FRAMEWORK_PATH.partition("__")
        by_model.setdefault(type(obj), set()).add(getattr(obj, f"{first}_id"))
    for model, ids in by_model.items():
        first, _, rest = model.FRAMEWORK_PATH.partition("__")
        if not rest:
            frameworks |= framework_model().objects.filter(pk__in=ids)
        else:
            parent = model._meta.get_field(first).related_model
            parent_frameworks = parent._base_manager.filter(pk__in=ids).values(rest)
            frameworks |= framework_model().objects.filter(pk__in=parent_frameworks)
    return frameworks


FrameworkManager = models.Manager.from_queryset(FrameworkQuerySet)
FrameworkContentManager = models.Manager.from_queryset(FrameworkContentQuerySet)
