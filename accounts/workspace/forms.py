"""The filters of HR's roster and audit log pages: GET forms, every field optional."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import AuditEvent, Department, JobRole

ACTIVE_CHOICES = [("", _("Everyone")), ("1", _("Active")), ("0", _("Inactive"))]


class RosterFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, employee number or e-mail address"),
    )
    department = forms.ModelChoiceField(
        label=_("Department (and everything below it)"),
        queryset=Department.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All departments"),
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"),
        queryset=JobRole.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All job roles"),
    )
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user).order_by("path")


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Every kind")), *AuditEvent.Action.choices], required=False
    )
    user = forms.CharField(label=_("User"), required=False, max_length=254)
    campaign = forms.CharField(label=_("Campaign code"), required=False, max_length=40)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of `day` in the site's time zone: the dates HR types are local dates."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
