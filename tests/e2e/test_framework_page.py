"""An employee reads the skills framework in Spanish and in English, on a desktop and on a
360 px phone, with the keyboard; every state of the page passes axe."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS
from diagnostic.models import Competency, Framework

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

EMPLOYEE = next(account for account in DEMO_ACCOUNTS if account.role == "employee")


@pytest.fixture
def demo(db):
    call_command("seed_demo", employees=5)
    return Framework.objects.get(code="ciudad-datos", version=2)


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(EMPLOYEE.email)
    page.get_by_label("Contraseña").fill(EMPLOYEE.password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/")


def test_an_employee_reads_the_framework_in_spanish_and_english(demo, new_page):
    first = Competency.objects.filter(framework=demo).order_by("area__position", "position")[0]
    page = new_page()
    sign_in(page)
    page.get_by_test_id("navigation").get_by_role("link", name="Marco de competencias").click()
    page.wait_for_url("**/framework/")
    assert page.get_by_role("heading", level=1).inner_text() == demo.name_es_mx
    assert page.get_by_test_id("competency").count() == 25
    summary = page.get_by_text(f"{first.code} · {first.name_es_mx}")
    summary.click()
    expert = first.descriptors.get(level=4)
    assert page.get_by_text(expert.text_es_mx).is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == demo.name_en
    assert page.get_by_role("heading", name="Proficiency levels").is_visible()
    page.get_by_text(f"{first.code} · {first.name_en}").click()
    assert page.get_by_text(expert.text_en).is_visible()
    assert_accessible(page)


def test_the_framework_works_on_a_phone_with_the_keyboard(demo, new_page):
    first = Competency.objects.filter(framework=demo).order_by("area__position", "position")[0]
    page = new_page(viewport=PHONE)
    sign_in(page)
    page.goto("/framework/")
    summary = page.locator("summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.get_by_text(first.descriptors.get(level=2).text_es_mx).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
