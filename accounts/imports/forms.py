from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import ImportJob


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            (ImportJob.Kind.ROSTER, _("Roster (employees)")),
            (ImportJob.Kind.DEPARTMENTS, _("Department tree")),
        ],
        initial=ImportJob.Kind.ROSTER,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (comma, semicolon or tab) or Excel .xlsx, the first row holding the column names."
        ),
    )

    def clean_file(self):
        # Checked before the file is read: its size is known from the upload.
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the largest file accepted is %(limit)s MB.")
                % {"size": round(upload.size / 1_000_000, 1), "limit": round(limit / 1_000_000, 1)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class RecheckForm(forms.Form):
    create_departments = forms.BooleanField(
        label=_("Create the departments that are missing, at the top of the tree"),
        required=False,
    )
