from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Department

from ..querysets import campaigns_visible_to
from .catalogue import FIELDS
from .models import BANDS, RESERVED_PLAN_CODES, Choice, Enrolment, Offering, Plan
from .plans import reserved_code_message


class ScopeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class PlanForm(forms.ModelForm):
    scope = ScopeChoice(
        label=_("Scope"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("Whole organisation"),
        help_text=_("The organisation, or one department and everything below it."),
    )
    budget = forms.DecimalField(label=_("Budget (MXN)"), min_value=0, decimal_places=2)

    class Meta:
        model = Plan
        fields = ["code", "name", "campaign", "scope", "budget"]
        help_texts = {"code": _("Short identifier used in exports, e.g. plan-2026.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns_visible_to(user).order_by("-opens_at")
        self.fields["scope"].queryset = Department.objects.visible_to(user).order_by("path")

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code.lower() in RESERVED_PLAN_CODES:
            raise forms.ValidationError(reserved_code_message(code))
        return code


class BudgetForm(forms.Form):
    budget = forms.DecimalField(label=_("Budget (MXN)"), min_value=0, decimal_places=2)


class ChoiceForm(forms.Form):
    competency_code = forms.CharField(max_length=20)
    band = forms.TypedChoiceField(choices=[(b, b) for b in BANDS], coerce=int)
    choice = forms.ChoiceField(choices=[("", "")] + Choice.choices, required=False)


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file (CSV or XLSX)"),
        help_text=_("Columns as in the template; the first row holds the column names."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class EnrolmentForm(forms.Form):
    enrolment = forms.IntegerField()
    state = forms.ChoiceField(choices=Enrolment.State.choices)


class OfferingForm(forms.Form):
    """One offering's values as text: catalogue.clean_values checks them (the same rules as a
    file's rows), so the rules have one home. Saving an offering an approved plan uses makes a
    new version (catalogue.offering_save)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            model_field = Offering._meta.get_field(name)
            if name == "format":
                field = forms.ChoiceField(choices=Offering.Format.choices)
            elif name == "link":
                field = forms.CharField(required=False, max_length=200)
            else:
                field = forms.CharField(required=not model_field.blank and name != "language")
            field.label = model_field.verbose_name
            self.fields[name] = field

    @classmethod
    def initial_of(cls, offering: Offering) -> dict:
        return {name: getattr(offering, name) for name in FIELDS}
