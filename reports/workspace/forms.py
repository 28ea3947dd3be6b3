from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ArcoRequest, Employee

from ..arco import RECTIFIABLE


class FeedTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("Where it will be used, for example “Power BI, planning team”."),
    )


class ArcoRequestForm(forms.Form):
    employee_number = forms.CharField(label=_("Employee number"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind of request"), choices=ArcoRequest.Kind.choices)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["received_on"].initial = timezone.localdate()

    def clean_employee_number(self):
        number = self.cleaned_data["employee_number"].strip()
        employee = Employee.objects.visible_to(self.user).filter(employee_number=number).first()
        if employee is None:
            raise forms.ValidationError(_("No one on the roster has this employee number."))
        self.cleaned_data["employee"] = employee
        return number


class RectificationForm(forms.ModelForm):
    class Meta:
        model = Employee
        fields = RECTIFIABLE
