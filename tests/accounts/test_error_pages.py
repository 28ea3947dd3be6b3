"""The 400, 403, 404 and 500 pages are the site's own, in both languages, with DEBUG off; the
500 page shows nothing of the request that failed."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import override_settings
from django.urls import include, path

from lib.contrast import contrast

ES, EN = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}, {"HTTP_ACCEPT_LANGUAGE": "en"}


def explode(request):
    raise RuntimeError("boom")


def refuse(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("explode/", explode),
    path("refuse/", refuse),
    path("suspicious/", suspicious),
    path("", include("config.urls")),
]
handler400 = "accounts.error_pages.bad_request"
handler500 = "accounts.error_pages.server_error"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.accounts.test_error_pages"),
]


def assert_site_layout(response, *texts):
    body = response.content.decode()
    assert 'data-layout="site"' in body
    assert "Ciudad de Ejemplo" in body
    assert "datos@ciudad-de-ejemplo.example" in body
    for text in texts:
        assert text in body, text
    return body


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("headers", "heading"), [(ES, "Página no encontrada"), (EN, "Page not found")]
)
def test_404_is_the_sites_page_in_the_readers_language(client, headers, heading):
    response = client.get("/no-such-page/", **headers)
    assert response.status_code == 404
    assert_site_layout(response, heading)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(("headers", "heading"), [(ES, "Acceso denegado"), (EN, "Access refused")])
def test_403_from_permission_denied_is_the_sites_page(client, headers, heading):
    response = client.get("/refuse/", **headers)
    assert response.status_code == 403
    assert_site_layout(response, heading)


@override_settings(DEBUG=False)
def test_403_for_a_role_refusal_uses_the_sites_page(client_as):
    client = client_as("employee")
    response = client.get("/hr/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert_site_layout(response, "Access refused")


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("headers", "heading"),
    [(ES, "Algo salió mal de nuestro lado"), (EN, "Something went wrong on our side")],
)
def test_500_is_the_sites_page_and_shows_nothing_of_the_request(client_as, headers, heading):
    client = client_as("hr")
    client.raise_request_exception = False
    response = client.get("/explode/?secret-query=sabotage", **headers)
    assert response.status_code == 500
    body = assert_site_layout(response, heading)
    user = response.wsgi_request.user
    for leaked in ("explode", "secret-query", "sabotage", user.email, "boom"):
        assert leaked not in body


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("headers", "heading"), [(ES, "Solicitud no comprendida"), (EN, "Request not understood")]
)
def test_400_is_the_sites_page(client, headers, heading):
    response = client.get("/suspicious/", **headers)
    assert response.status_code == 400
    assert_site_layout(response, heading)


@override_settings(DEBUG=False)
def test_a_refused_form_gets_the_sites_page_and_writes_nothing(client_as):
    from django.test import Client

    client = client_as("employee")
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    strict.cookies = client.cookies
    user = client.get("/").wsgi_request.user
    before = user.language
    response = strict.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert_site_layout(response, "The form could not be sent")
    user.refresh_from_db()
    assert user.language == before


@pytest.mark.parametrize("colour", ["#ffe14d", "#0b1f3a", "#777777"])
def test_the_organisations_colour_gives_readable_shades(client, settings, colour):
    settings.ORGANIZATION_COLOR = colour
    from accounts.context_processors import organization_context

    colours = organization_context()["organization"]["colors"]
    assert contrast(colours["on_brand"], colours["brand"]) >= 4.5
    assert contrast(colours["on_brand"], colours["brand_pressed"]) >= 4.5
    assert contrast(colours["link"], "#ffffff") >= 4.5
    assert contrast(colours["on_link"], colours["link"]) >= 4.5
    assert contrast(colours["link_hover"], "#ffffff") >= 4.5
    body = client.get("/accounts/login/").content.decode()
    assert f"--site-brand: {colours['brand']}" in body


def test_an_invalid_colour_falls_back_with_a_warning(settings):
    from django.core.checks import run_checks

    settings.ORGANIZATION_COLOR = "blue"
    from accounts.context_processors import organization_context

    assert organization_context()["organization"]["colors"]["brand"] == "#123f6d"
    assert "accounts.W001" in [problem.id for problem in run_checks()]
