"""Competencies, questions and role targets as CSV/XLSX rows (django-import-export).

Every row names its framework version by `framework_code` and `framework_version`; a row for a
published version is refused before anything is written, so the preview shows the refusal and
there is nothing to confirm."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from accounts.models import JobRole
from accounts.resources import CodeForeignKeyWidget

from ..models import Area, Competency, Framework, Question, RoleTarget


def row_framework(row) -> Framework:
    """The framework version a row names; ValueError saying which when there is none."""
    code = (row.get("framework_code") or "").strip()
    try:
        version = int(float(str(row.get("framework_version") or "").strip()))
    except ValueError:
        version = None
    framework = Framework.objects.filter(code=code, version=version).first() if version else None
    if framework is None:
        raise ValueError(
            _("no framework “%(code)s” version %(version)s")
            % {"code": code, "version": row.get("framework_version")}
        )
    return framework


class FrameworkWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Framework, field="code")

    def clean(self, value, row=None, **kwargs):
        return row_framework(row)


class InFrameworkWidget(widgets.ForeignKeyWidget):
    """A row of the row's framework version, looked up by code."""

    def clean(self, value, row=None, **kwargs):
        framework = row_framework(row)
        found = self.model.objects.filter(framework=framework, code=value).first()
        if found is None:
            raise ValueError(
                _("no %(model)s with code “%(code)s” in %(framework)s")
                % {"model": self.model._meta.verbose_name, "code": value, "framework": framework}
            )
        return found


class FrameworkRowResource(resources.ModelResource):
    framework = fields.Field(
        attribute="framework", column_name="framework_code", widget=FrameworkWidget()
    )
    framework_version = fields.Field(
        attribute="framework__version", column_name="framework_version", readonly=True
    )

    def before_import_row(self, row, **kwargs):
        try:
            framework = row_framework(row)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if framework.is_locked:
            raise ValidationError(
                _("%(framework)s is published and cannot change; make a new draft from it.")
                % {"framework": framework}
            )

    def get_export_queryset(self, request=None):
        return super().get_export_queryset(request).select_related("framework")


class CompetencyResource(FrameworkRowResource):
    area = fields.Field(
        attribute="area", column_name="area_code", widget=InFrameworkWidget(Area, field="code")
    )

    class Meta:
        model = Competency
        import_id_fields = ["framework", "code"]
        fields = [
            "framework",
            "framework_version",
            "area",
            "code",
            "name_es_mx",
            "name_en",
            "description_es_mx",
            "description_en",
            "position",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class QuestionResource(FrameworkRowResource):
    competency = fields.Field(
        attribute="competency",
        column_name="competency_code",
        widget=InFrameworkWidget(Competency, field="code"),
    )

    class Meta:
        model = Question
        import_id_fields = ["framework", "code"]
        fields = [
            "framework",
            "framework_version",
            "competency",
            "code",
            "kind",
            "text_es_mx",
            "text_en",
            "position",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class RoleTargetResource(FrameworkRowResource):
    job_role = fields.Field(
        attribute="job_role",
        column_name="role_code",
        widget=CodeForeignKeyWidget(JobRole, field="code"),
    )
    competency = fields.Field(
        attribute="competency",
        column_name="competency_code",
        widget=InFrameworkWidget(Competency, field="code"),
    )

    class Meta:
        model = RoleTarget
        import_id_fields = ["competency", "job_role"]
        fields = [
            "framework",
            "framework_version",
            "job_role",
            "competency",
            "target_level",
            "importance",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
