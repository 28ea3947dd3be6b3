from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin

from . import audit
from .models import AuditEvent, Department, Employee, JobRole, User
from .resources import EmployeeResource
from .roles import is_hr
from .roster import employee_set_active

# django-import-export's own Spanish is Spain's ("Fichero", "estás") and leaves some strings of
# the export page untranslated or wrong ("Este importador importará"). Named here so that
# `make messages` keeps them in the site's catalogue, which Django reads before the library's.
LIBRARY_STRINGS = (
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Select all"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", "len"),
    gettext_noop("File to import"),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, "
        "click 'Confirm import'"
    ),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct "
        "format for the file."
    ),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
)


class HROnlyImportExport:
    """The roster's import and export are HR's alone.

    django-import-export lets any staff member who reaches the admin import and export
    (its permission settings default to none), so a framework editor, who is staff but may
    not even list the roster, could download every employee's name, e-mail and phone and
    import changes to them. The rule is the site's own (`accounts.roles`), not a model
    permission, so that it holds whatever permissions a staff account collects."""

    def has_import_permission(self, request):
        return is_hr(request.user)

    def has_export_permission(self, request):
        return is_hr(request.user)

    # The admin's import button leads to HR's import page, so there is one import (preview,
    # Excel row numbers, all or nothing) and not a second one with the library's messages.
    def import_action(self, request, *args, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return redirect("imports:start")

    def process_import(self, request, *args, **kwargs):
        return self.import_action(request)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "language")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "depth"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "managers"]
    readonly_fields = ["path", "depth"]


@admin.register(JobRole)
class JobRoleAdmin(TranslationAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Employee)
class EmployeeAdmin(HROnlyImportExport, ImportExportModelAdmin):
    resource_classes = [EmployeeResource]
    list_display = ["employee_number", "full_name", "department", "job_role", "active"]
    list_filter = ["active", "job_role"]
    search_fields = ["employee_number", "full_name", "email"]
    list_select_related = ["department", "job_role"]
    autocomplete_fields = ["department", "user"]
    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        if change and "active" in form.changed_data:
            super().save_model(request, obj, form, change)
            employee_set_active(employee=obj, active=obj.active, by=request.user)
        else:
            super().save_model(request, obj, form, change)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        audit.record(
            action=AuditEvent.Action.EXPORT,
            request=request,
            user=request.user,
            what="roster",
            format=file_format.get_title(),
            rows=queryset.count(),
        )
        return data

    @admin.action(description=_("Deactivate the selected employees"))
    def deactivate(self, request, queryset):
        for employee in queryset.select_related("user"):
            employee_set_active(employee=employee, active=False, by=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "username", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
