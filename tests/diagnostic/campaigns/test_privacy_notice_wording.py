"""The shipped notice's second version: es-MX wording, added beside version 1, never over it,
and never over a notice HR wrote."""

import importlib
import re

import pytest
from django.apps import apps as django_apps

from diagnostic.models import PrivacyNotice

SHIPPED = importlib.import_module("diagnostic.migrations.0003_default_privacy_notice")
REWORDED = importlib.import_module("diagnostic.migrations.0013_privacy_notice_wording")


def ship_version_1():
    PrivacyNotice.objects.all().delete()
    SHIPPED.create_default_notice(django_apps, None)


def notices():
    return list(
        PrivacyNotice.objects.order_by("version").values_list("version", "short_text_es_mx")
    )


def test_a_site_with_the_untouched_shipped_notice_gets_version_2_beside_it(db):
    ship_version_1()
    REWORDED.add_reworded_notice(django_apps, None)
    first, second = PrivacyNotice.objects.order_by("version")
    assert (first.version, first.short_text_es_mx) == (1, SHIPPED.SHORT_ES)
    assert second.version == 2
    assert "unidad de Recursos Humanos" in second.short_text_es_mx
    assert "reportes por dependencia y por rol" in second.full_text_es_mx
    assert "teléfono, dependencia, puesto y rol" in second.full_text_es_mx
    assert "Human Resources department" in second.short_text_en
    # The law's parts are all still there.
    for words in ["Responsable", "Finalidades necesarias", "Finalidades opcionales", "ARCO"]:
        assert words in second.full_text_es_mx


@pytest.mark.parametrize("field", ["short_text_es_mx", "full_text_es_mx"])
def test_version_2_says_area_only_of_nothing_organisational(db, field):
    ship_version_1()
    REWORDED.add_reworded_notice(django_apps, None)
    text = getattr(PrivacyNotice.objects.get(version=2), field)
    assert not re.search(r"\báreas?\b", text, re.IGNORECASE)


def test_a_notice_hr_rewrote_is_left_alone(db):
    ship_version_1()
    PrivacyNotice.objects.filter(version=1).update(short_text_es_mx="Aviso propio de la ciudad")
    before = notices()
    REWORDED.add_reworded_notice(django_apps, None)
    assert notices() == before


def test_a_site_with_a_newer_notice_of_its_own_gets_nothing(db):
    ship_version_1()
    PrivacyNotice.objects.create(
        version=2,
        short_text_es_mx="Aviso v2 de la ciudad",
        short_text_en="City notice v2",
        full_text_es_mx="Integral",
        full_text_en="Full",
    )
    before = notices()
    REWORDED.add_reworded_notice(django_apps, None)
    assert notices() == before
