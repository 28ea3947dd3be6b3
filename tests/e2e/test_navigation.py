import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}
FRAMEWORK_ES, FRAMEWORK_EN = "Marco de competencias", "Skills framework"
EXPECTED_NAV = {
    ("employee", "es-MX"): ["Inicio", "Mi evaluación", FRAMEWORK_ES],
    ("manager", "es-MX"): ["Inicio", "Reportes", FRAMEWORK_ES],
    ("hr", "es-MX"): ["Inicio", "Campañas", "Reportes", "Recursos humanos", FRAMEWORK_ES],
    ("admin", "es-MX"): [
        "Inicio",
        "Campañas",
        "Reportes",
        "Recursos humanos",
        FRAMEWORK_ES,
        "Calidad del instrumento",
        "Edición del marco",
        "Administración",
    ],
    ("employee", "en"): ["Home", "My assessment", FRAMEWORK_EN],
    ("manager", "en"): ["Home", "Reports", FRAMEWORK_EN],
    ("hr", "en"): ["Home", "Campaigns", "Reports", "HR workspace", FRAMEWORK_EN],
    ("admin", "en"): [
        "Home",
        "Campaigns",
        "Reports",
        "HR workspace",
        FRAMEWORK_EN,
        "Instrument quality",
        "Framework editing",
        "Administration",
    ],
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", employees=5)


def sign_in(page, role: str) -> None:
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Correo electrónico").fill(ACCOUNTS[role].email)
    page.get_by_label("Contraseña").fill(ACCOUNTS[role].password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize(("role", "language"), list(EXPECTED_NAV))
def test_each_demo_role_sees_its_navigation(demo, new_page, role, language):
    page = new_page()
    sign_in(page, role)
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    more = page.get_by_test_id("navigation-more")
    if more.count():
        # A long navigation keeps its last entries in the "More" menu (one row at 1366 px).
        more.click()
    nav = page.get_by_test_id("navigation").get_by_role("link")
    assert nav.all_inner_texts() == EXPECTED_NAV[(role, language)]
    assert page.locator("html").get_attribute("lang") == ("es-MX" if language == "es-MX" else "en")
    assert_accessible(page)


def test_language_choice_survives_signing_out_and_in(demo, new_page):
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("E-mail address").fill(ACCOUNTS["employee"].email)
    page.get_by_label("Password").fill(ACCOUNTS["employee"].password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


def test_menu_works_on_a_phone_with_the_keyboard(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in(page, "hr")
    menu = page.get_by_role("button", name="Mostrar u ocultar el menú")
    assert page.get_by_test_id("navigation").is_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("navigation").get_by_role("link", name="Recursos humanos").wait_for(
        state="visible"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(demo, new_page):
    page = new_page()
    sign_in(page, "employee")
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido principal")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"
