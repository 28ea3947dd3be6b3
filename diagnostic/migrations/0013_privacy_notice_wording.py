"""Version 2 of the shipped privacy notice: es-MX wording where version 1 said "área" for an
organisational unit ("área de Recursos Humanos", "reportes por área"); in this site "área" names
only a competency area, and an organisational unit is a "dependencia".

A notice is never edited in place: people accepted version 1's text, and each launched campaign
keeps the notice it launched with. So this adds version 2, and only where the site still has
the shipped version 1 untouched and nothing newer: a notice HR wrote is the organisation's own.
"""

import importlib

from django.db import migrations

SHIPPED = importlib.import_module("diagnostic.migrations.0003_default_privacy_notice")

WORDING = [
    ("a través de su área de Recursos Humanos", "a través de su unidad de Recursos Humanos"),
    ("por conducto de su área de Recursos Humanos", "por conducto de su unidad de Recursos Humanos"),
    ("reportes por área y por rol", "reportes por dependencia y por rol"),
    ("reportes por área", "reportes por dependencia"),
    ("teléfono, área, puesto y rol", "teléfono, dependencia, puesto y rol"),
]
WORDING_EN = [("through its Human Resources area", "through its Human Resources department")]


def reworded(text: str, wording) -> str:
    for old, new in wording:
        text = text.replace(old, new)
    return text


SHORT_ES = reworded(SHIPPED.SHORT_ES, WORDING)
FULL_ES = reworded(SHIPPED.FULL_ES, WORDING)
SHORT_EN = reworded(SHIPPED.SHORT_EN, WORDING_EN)
FULL_EN = reworded(SHIPPED.FULL_EN, WORDING_EN)


def add_reworded_notice(apps, schema_editor):
    PrivacyNotice = apps.get_model("diagnostic", "PrivacyNotice")
    notices = list(PrivacyNotice.objects.all()[:2])
    if len(notices) != 1:
        return
    (shipped,) = notices
    untouched = (shipped.version, shipped.short_text_es_mx, shipped.full_text_es_mx) == (
        1,
        SHIPPED.SHORT_ES,
        SHIPPED.FULL_ES,
    )
    if not untouched:
        return
    PrivacyNotice.objects.create(
        version=2,
        short_text=SHORT_ES,
        short_text_es_mx=SHORT_ES,
        short_text_en=SHORT_EN,
        full_text=FULL_ES,
        full_text_es_mx=FULL_ES,
        full_text_en=FULL_EN,
    )


class Migration(migrations.Migration):
    dependencies = [("diagnostic", "0012_campaign_contact_email")]

    operations = [migrations.RunPython(add_reworded_notice, migrations.RunPython.noop)]
