"""The catalogue template HR downloads from the catalogue page, with the same care as the
roster's (accounts/imports/workbook.py): the import's columns on the first sheet, code columns
formatted as text so Excel keeps leading zeros, and what each column takes on the second, in
the reader's language."""

from django.utils.translation import gettext as _

from lib.spreadsheets import template_workbook

from .catalogue import COLUMNS, REQUIRED
from .models import Offering

TEXT_COLUMNS = {"offering_code", "competency_code"}


def column_help() -> dict[str, str]:
    formats = ", ".join(Offering.Format.values)
    return {
        "offering_code": _("The offering's code, unique in the catalogue; written as text."),
        "title_es": _("The title in Spanish."),
        "title_en": _("The title in English."),
        "provider": _("Who gives it."),
        "format": _("One of: %(formats)s.") % {"formats": formats},
        "language": _("The language it is given in, e.g. es or en; empty means es."),
        "hours": _("Hours per participant, more than zero."),
        "cost_per_person": _("Cost per participant in MXN, zero or more, two decimals at most."),
        "cost_per_cohort": _("Cost per cohort in MXN, zero or more, two decimals at most."),
        "capacity": _("Participants per cohort, a whole number, 1 or more."),
        "link": _("A web address (http or https)."),
        "competency_code": _("The code of the one competency it develops; written as text."),
        "level_from": _("The level it starts from, 0 to 3."),
        "level_to": _("The level it reaches, above level_from, at most 4."),
    }


def catalogue_template() -> bytes:
    texts = column_help()
    return template_workbook(
        title="catalogue",
        columns=COLUMNS,
        text_columns=TEXT_COLUMNS,
        notes_title=_("Instructions"),
        notes_header=[_("Column"), _("What it takes")],
        notes=[
            [
                column,
                f"{_('Required.') if column in REQUIRED else _('May be empty.')} {texts[column]}",
            ]
            for column in COLUMNS
        ],
    )
