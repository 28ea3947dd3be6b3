import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import User
from diagnostic.models import Campaign

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}


@pytest.fixture
def city(db):
    call_command("seed_demo", employees=200)
    return Campaign.objects.order_by("-opens_at").first()


def sign_in(page, role: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(ACCOUNTS[role].email)
    page.get_by_label("Contraseña").fill(ACCOUNTS[role].password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/")


def test_manager_reads_the_department_report_in_spanish(city, new_page):
    page = new_page()
    sign_in(page, "manager")
    page.get_by_role("link", name="Abrir los reportes de brechas").click()
    page.get_by_role("link", name=city.name_es_mx).click()
    page.get_by_role("link", name="Obras Públicas").first.click()
    page.wait_for_url(f"**/reports/{city.code}/departments/OBRAS/")
    assert page.get_by_role("heading", name="Perfil frente a las metas").is_visible()
    charts = page.locator(".report-chart")
    assert charts.count() >= 4
    for i in range(charts.count()):
        charts.nth(i).locator("svg.main-svg").first.wait_for()
    page.get_by_label("Mostrar", exact=True).select_option("gap")
    page.get_by_role("button", name="Actualizar").click()
    page.wait_for_url("**measure=gap")
    page.locator(".report-chart svg.main-svg").first.wait_for()
    assert page.get_by_text("Brecha promedio por unidad").first.is_visible()
    assert_accessible(page)


def test_department_report_works_on_a_phone(city, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "manager")
    page.goto(f"/reports/{city.code}/departments/OBRAS/")
    page.locator(".report-chart svg.main-svg").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert_accessible(page)


def test_hr_overview_renders_and_passes_axe(city, new_page):
    page = new_page()
    sign_in(page, "hr")
    page.goto(f"/reports/{city.code}/")
    page.locator(".report-chart svg.main-svg").first.wait_for()
    assert page.get_by_role("button", name="Preparar el paquete de datos").is_visible()
    assert_accessible(page)


SIGN_IN = {
    "es-MX": ("Correo electrónico", "Contraseña", "Iniciar sesión"),
    "en": ("E-mail address", "Password", "Sign in"),
}
RELEASE_TEXT = {
    "es-MX": ("Publicaciones", "Publicación 1", "Qué retuvo esta publicación", "Aprobada"),
    "en": ("Releases", "Release 1", "What this release held back", "Passed"),
}


@pytest.mark.parametrize("language", ["es-MX", "en"])
def test_hr_release_pages_pass_axe_in_both_languages(city, new_page, language):
    # A signed-in user reads the site in the language kept on their account.
    User.objects.filter(email=ACCOUNTS["hr"].email).update(language=language.lower())
    page = new_page(language=language)
    email, password, button = SIGN_IN[language]
    page.goto("/accounts/login/")
    page.get_by_label(email).fill(ACCOUNTS["hr"].email)
    page.get_by_label(password).fill(ACCOUNTS["hr"].password)
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/")
    listing, detail, held, passed = RELEASE_TEXT[language]
    page.goto(f"/reports/{city.code}/releases/")
    assert page.get_by_role("heading", name=listing, exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1", exact=True).click()
    page.get_by_role("heading", name=detail, exact=True).wait_for()
    assert page.get_by_role("heading", name=held).is_visible()
    assert page.get_by_test_id("audit").inner_text().count(passed) == 1
    assert_accessible(page)
