"""HR's workspace in a browser, in Spanish and English: axe passes on the home, the roster,
the department tree, the audit log, the exports page, the live feed's tokens and the ARCO
pages; the header stays on one line at 1366 px."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import Employee

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}
PAGES = ["/hr/", "/hr/roster/", "/hr/departments/", "/hr/audit/", "/hr/exports/", "/hr/feed/"]
PAGES += ["/hr/arco/"]


@pytest.fixture
def city(db):
    call_command("seed_demo", employees=60)


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(ACCOUNTS["hr"].email)
    page.get_by_label("Contraseña").fill(ACCOUNTS["hr"].password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("language", ["es-MX", "en"])
def test_every_workspace_page_passes_axe(city, new_page, language):
    page = new_page(viewport={"width": 1366, "height": 900})
    sign_in(page)
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    nav = page.locator(".site-navbar .navbar-nav")
    heights = {item.bounding_box()["y"] for item in nav.locator(".nav-item").all()}
    assert len(heights) == 1, "the header wraps at 1366 px"
    for path in PAGES:
        page.goto(path)
        assert page.get_by_role("heading", level=1).is_visible()
        assert_accessible(page)
    page.goto("/hr/roster/?q=a&active=1")
    assert_accessible(page)


def test_hr_records_and_carries_out_an_opposition_in_spanish(city, new_page):
    person = Employee.objects.filter(active=True).order_by("employee_number").first()
    page = new_page()
    sign_in(page)
    page.goto("/hr/")
    page.get_by_role("link", name="Solicitudes ARCO").click()
    page.get_by_label("Número de empleado").fill(person.employee_number)
    page.get_by_label("Tipo de solicitud").select_option("opposition")
    page.get_by_role("button", name="Registrar").click()
    page.wait_for_url("**/hr/arco/*/")
    assert_accessible(page)
    page.get_by_role("button", name="Detener las invitaciones").click()
    assert page.get_by_role("alert").inner_text() == "La solicitud fue atendida."
    assert page.get_by_test_id("arco-state").inner_text().startswith("Atendida el")
    assert_accessible(page)
    person.refresh_from_db()
    assert person.opted_out_at is not None


def test_hr_issues_a_feed_token_shown_once(city, new_page):
    page = new_page()
    sign_in(page)
    page.goto("/hr/feed/")
    page.get_by_label("Nombre del token").fill("Power BI")
    page.get_by_role("button", name="Emitir", exact=True).click()
    token = page.get_by_test_id("new-token").locator("code").inner_text()
    assert len(token) >= 40
    assert_accessible(page)
    page.reload()
    assert page.get_by_test_id("new-token").count() == 0
