"""The roster's import and export format (see DESIGN.md, "Data exchange")."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from lib.spreadsheets import escape_formula

from .models import Department, Employee, JobRole
from .roster import sync_account_status


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks a related row up by code and says which code was not found."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("a code is required"))
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(
                _("no %(model)s with code “%(code)s”")
                % {"model": self.model._meta.verbose_name, "code": value}
            ) from exc


class EmployeeResource(resources.ModelResource):
    department_code = fields.Field(
        attribute="department",
        column_name="department_code",
        widget=CodeForeignKeyWidget(Department, field="code"),
    )
    role_code = fields.Field(
        attribute="job_role",
        column_name="role_code",
        widget=CodeForeignKeyWidget(JobRole, field="code"),
    )
    active = fields.Field(
        attribute="active", column_name="active", widget=widgets.BooleanWidget(), default=True
    )

    class Meta:
        model = Employee
        import_id_fields = ["employee_number"]
        fields = [
            "employee_number",
            "full_name",
            "email",
            "phone",
            "department_code",
            "role_code",
            "position",
            "active",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False
        use_transactions = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Name each error by the column of the file, which is what the person importing sees.
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            columns = {field.attribute: field.column_name for field in self.get_import_fields()}
            raise ValidationError(
                {columns.get(name, name): errors for name, errors in exc.error_dict.items()}
            ) from exc

    def after_export(self, queryset, dataset, **kwargs):
        # Names, positions and e-mails are typed by people: the same formula escaping as every
        # other export of the site, in every format the admin offers.
        for index, row in enumerate(dataset):
            dataset[index] = [escape_formula(v) if isinstance(v, str) else v for v in row]

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            sync_account_status(employee=instance)
