"""The current privacy notice is open to everyone, signed in or not, and shows the latest
version; reading it writes nothing."""

import pytest
from django.urls import reverse

from diagnostic.campaigns.notices import notice_create
from diagnostic.models import PrivacyNotice
from tests.conftest import ROLES

COVERED_URLS = {"privacy"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_current_privacy_notice(role, client_as):
    for version in ("v1", "v2"):
        notice_create(
            short_text_es_mx="corto",
            short_text_en="short",
            full_text_es_mx=f"Aviso completo {version}",
            full_text_en=f"Full notice {version}",
        )
    before = PrivacyNotice.objects.count()
    response = client_as(role).get(reverse("privacy"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aviso completo v2" in body
    assert "Aviso completo v1" not in body
    assert PrivacyNotice.objects.count() == before


@pytest.mark.django_db
def test_every_page_links_to_the_privacy_notice(client):
    assert f'href="{reverse("privacy")}"' in client.get(reverse("login")).content.decode()
