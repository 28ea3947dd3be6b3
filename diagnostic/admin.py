"""Admin for the skills framework, in both languages. Published (and retired) versions are
read-only here: every change, add and delete permission answers no for their rows, and the
models refuse the write anyway. The rule itself is framework/immutability.py's."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .exceptions import FrameworkError, error_lines
from .framework.immutability import is_locked
from .framework.resources import CompetencyResource, QuestionResource, RoleTargetResource
from .framework.store import framework_new_draft, framework_publish
from .models import (
    Area,
    Competency,
    Framework,
    LevelDescriptor,
    Option,
    ProficiencyLevel,
    Question,
    RoleTarget,
)


class LockedWhenPublished:
    """Read-only for rows of published versions; new rows only in drafts. Importing needs
    the add and change permissions of the model, exporting its view permission
    (django-import-export lets any staff member do both unless told otherwise)."""

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("framework", "area", "competency"):
            kwargs["queryset"] = db_field.related_model.objects.editable()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LockedInline:
    """An inline of a row of a published version (or of the version itself) is read-only."""

    def has_add_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_delete_permission(request, obj)


class ProficiencyLevelInline(LockedInline, TranslationTabularInline):
    model = ProficiencyLevel
    extra = 0
    max_num = 5


@admin.register(Framework)
class FrameworkAdmin(TranslationAdmin):
    list_display = ["code", "version", "name", "status", "published_at"]
    list_filter = ["status", "code"]
    search_fields = ["code", "name"]
    readonly_fields = ["status", "published_at", "created_at"]
    inlines = [ProficiencyLevelInline]
    actions = ["new_draft", "publish"]

    def has_change_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_locked(obj) and super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("diagnostic.publish_framework")

    @admin.action(description=_("New draft from this version"), permissions=["add"])
    def new_draft(self, request, queryset):
        for framework in queryset:
            draft = framework_new_draft(framework=framework)
            self.message_user(
                request, _("Draft %(framework)s created.") % {"framework": draft}, messages.SUCCESS
            )

    @admin.action(description=_("Publish the selected drafts"), permissions=["publish"])
    def publish(self, request, queryset):
        for framework in queryset:
            try:
                framework_publish(framework=framework)
            except FrameworkError as exc:
                for line in error_lines(exc):
                    self.message_user(request, f"{framework}: {line}", messages.ERROR)
            else:
                self.message_user(request, _("%(framework)s published.") % {"framework": framework})


@admin.register(Area)
class AreaAdmin(LockedWhenPublished, TranslationAdmin):
    list_display = ["code", "name", "framework", "position"]
    list_filter = ["framework"]
    search_fields = ["code", "name"]
    list_select_related = ["framework"]


class LevelDescriptorInline(LockedInline, TranslationTabularInline):
    model = LevelDescriptor
    extra = 0
    max_num = 5


class OptionInline(LockedInline, TranslationTabularInline):
    model = Option
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(LockedWhenPublished, ImportExportMixin, TranslationAdmin):
    resource_classes = [CompetencyResource]
    list_display = ["code", "name", "area", "framework"]
    list_filter = ["framework", "area__code"]
    search_fields = ["code", "name"]
    list_select_related = ["framework", "area"]
    inlines = [LevelDescriptorInline]


@admin.register(Question)
class QuestionAdmin(LockedWhenPublished, ImportExportMixin, TranslationAdmin):
    resource_classes = [QuestionResource]
    list_display = ["code", "kind", "competency", "framework"]
    list_filter = ["framework", "kind"]
    search_fields = ["code", "text"]
    list_select_related = ["framework", "competency"]
    inlines = [OptionInline]


@admin.register(RoleTarget)
class RoleTargetAdmin(LockedWhenPublished, ImportExportMixin, admin.ModelAdmin):
    resource_classes = [RoleTargetResource]
    list_display = ["job_role", "competency", "target_level", "importance", "framework"]
    list_filter = ["framework", "job_role"]
    list_select_related = ["framework", "job_role", "competency"]
