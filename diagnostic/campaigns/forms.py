from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department

from ..models import Campaign, Framework
from .lifecycle import MIN_THRESHOLD
from .links import EVERYONE, ONLY_WITHOUT_EMAIL, UNREACHED

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def department_label(department: Department) -> str:
    return f"{'— ' * department.depth}{department.name} ({department.code})"


class DepartmentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return department_label(obj)


class CampaignForm(forms.ModelForm):
    """Create a campaign, or edit it; once launched only the names and threshold change."""

    framework = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=Framework.objects.none(),
        help_text=_("Only published versions can be used. It cannot be changed after launch."),
    )
    departments = DepartmentChoices(
        label=_("Population"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone active in these departments and the ones below them is invited."),
    )
    anonymity_threshold = forms.IntegerField(
        label=_("Anonymity threshold"),
        min_value=MIN_THRESHOLD,
        initial=5,
        help_text=_(
            "Groups with fewer responses than this show no figures. At least 3; once anyone "
            "has started answering it can be raised but no longer lowered."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "code",
            "name_es_mx",
            "name_en",
            "framework",
            "departments",
            "opens_at",
            "closes_at",
            "anonymity_threshold",
            "contact_email",
        ]
        widgets = {"opens_at": DATETIME_WIDGET, "closes_at": DATETIME_WIDGET}
        labels = {"name_es_mx": _("Name in Spanish"), "name_en": _("Name in English")}
        help_texts = {
            "code": _("Short identifier used in exports, e.g. 2026-1."),
            "contact_email": _(
                "Invitations and reminders tell people to write here with questions. "
                "Left empty, they give the site's contact address."
            ),
            "name_en": _(
                "Shown to people who read the site in English. "
                "Left empty, they see the Spanish name."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_es_mx"].required = True
        self.fields["name_en"].required = False
        self.fields["framework"].queryset = Framework.objects.visible_to(user).published()
        self.fields["departments"].queryset = Department.objects.visible_to(user).order_by("path")
        zone = _("Time in %(zone)s.") % {"zone": timezone.get_current_timezone_name()}
        self.fields["opens_at"].help_text = zone
        self.fields["closes_at"].help_text = zone
        if self.instance.pk and self.instance.launched_at is not None:
            for name in ("code", "framework", "departments", "opens_at", "closes_at"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The closing date must be after the opening date."))
        elif closes_at and "closes_at" in self.changed_data and closes_at <= timezone.now():
            self.add_error("closes_at", _("The closing date must be in the future."))
        return data


class ExtendForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("New closing date"), widget=DATETIME_WIDGET)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= self.campaign.closes_at or closes_at <= timezone.now():
            raise forms.ValidationError(
                _("The new closing date must be later than the current one and in the future.")
            )
        return closes_at


SPANISH_TEXT = forms.Textarea(attrs={"lang": "es-MX", "rows": 8})
ENGLISH_TEXT = forms.Textarea(attrs={"lang": "en", "rows": 8})


class PrivacyNoticeForm(forms.Form):
    short_text_es_mx = forms.CharField(label=_("Short notice (Spanish)"), widget=SPANISH_TEXT)
    full_text_es_mx = forms.CharField(label=_("Full notice (Spanish)"), widget=SPANISH_TEXT)
    short_text_en = forms.CharField(label=_("Short notice (English)"), widget=ENGLISH_TEXT)
    full_text_en = forms.CharField(label=_("Full notice (English)"), widget=ENGLISH_TEXT)


class LinksForm(forms.Form):
    """Which invitations a QR sheet or a links file covers."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        help_text=_("Includes the departments below it."),
    )
    who = forms.ChoiceField(
        label=_("People"),
        choices=[
            (ONLY_WITHOUT_EMAIL, _("Only people without an e-mail address")),
            (UNREACHED, _("People the e-mail did not reach (no address, or refused)")),
            (EVERYONE, _("Everyone")),
        ],
        initial=ONLY_WITHOUT_EMAIL,
    )

    def __init__(self, *args, departments, department_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.queryset = departments
        field.label_from_instance = department_label
        field.to_field_name = "code"
        field.required = department_required
        if not department_required:
            field.empty_label = _("All departments")


class ResultsCodeForm(forms.Form):
    """Whose results code HR replaces: an employee number of the campaign's roster."""

    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=40,
        help_text=_(
            "The employee must have submitted. Their previous code stops working; the new "
            "one is shown here once and e-mailed to them if they have an e-mail address."
        ),
    )
