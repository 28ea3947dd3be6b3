import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_spanish_by_default(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert 'lang="es-MX"' in body
    assert "Iniciar sesión" in body


def test_language_switch_persists_across_requests(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body
    assert "Sign in" in body


def test_language_switch_is_remembered_on_the_account(client, employee):
    client.force_login(employee)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    employee.refresh_from_db()
    assert employee.language == "en"


def test_signing_in_restores_the_accounts_language(client, employee):
    employee.language = "en"
    employee.save()
    response = client.post(
        reverse("login"), {"username": employee.email, "password": "correct-horse-battery-staple"}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


def test_unknown_language_is_refused(client, employee):
    client.force_login(employee)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    employee.refresh_from_db()
    assert employee.language == "es-mx"
