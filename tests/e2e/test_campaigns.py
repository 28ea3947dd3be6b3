"""HR runs a campaign through the browser, in Spanish: create, launch, follow participation."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import Department, Employee
from diagnostic.campaigns import lifecycle
from diagnostic.models import Campaign, PrivacyNotice
from tests.factories import FrameworkFactory

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

HR = next(account for account in DEMO_ACCOUNTS if account.role == "hr")
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def demo(db):
    call_command("seed_demo", employees=12)
    FrameworkFactory(code="datos", name_es_mx="Marco de habilidades de datos")
    PrivacyNotice.objects.get_or_create(
        version=1,
        defaults={
            "short_text_es_mx": "Aviso simplificado",
            "short_text_en": "Short notice",
            "full_text_es_mx": "Aviso integral",
            "full_text_en": "Full notice",
        },
    )


def sign_in_as_hr(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(HR.email)
    page.get_by_label("Contraseña").fill(HR.password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/")


def test_hr_creates_and_launches_a_campaign_in_spanish(demo, new_page):
    page = new_page()
    sign_in_as_hr(page)
    page.get_by_test_id("navigation").get_by_role("link", name="Campañas").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nueva campaña").click()

    now = timezone.localtime()
    page.get_by_label("Clave").fill("2026-1")
    page.get_by_label("Nombre", exact=False).first.fill("Diagnóstico de datos 2026")
    page.get_by_label("Versión del marco").select_option(
        label="Marco de habilidades de datos (datos v1)"
    )
    population = page.get_by_role("group", name="Población")
    population.get_by_label("Obras Públicas (OBRAS)").check()
    population.get_by_label("Bienestar Social (BIENESTAR)").check()
    page.get_by_label("Abre el").fill(now.strftime(LOCAL))
    page.get_by_label("Cierra el").fill((now + dt.timedelta(days=21)).strftime(LOCAL))
    page.get_by_label("Umbral de anonimato").fill("2")
    page.get_by_role("button", name="Guardar").click()

    # The floor of 3 is announced at the top and next to the field.
    alert = page.get_by_role("alert")
    assert "Umbral de anonimato" in alert.inner_text()
    assert_accessible(page)
    page.get_by_label("Umbral de anonimato").fill("5")
    page.get_by_role("button", name="Guardar").click()

    page.get_by_role("link", name="Lanzar y enviar invitaciones").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lanzar ahora").click()
    page.get_by_text("Campaña lanzada").wait_for()
    assert page.get_by_test_id("status").inner_text() == "Abierta"

    campaign = Campaign.objects.get(code="2026-1")
    population = Employee.objects.in_departments(
        list(Department.objects.filter(code__in=["OBRAS", "BIENESTAR"]))
    ).filter(active=True)
    assert campaign.invitations.count() == population.count()
    assert len(mail.outbox) == population.exclude(email="").count()

    table = page.get_by_role("table")
    assert "Obras Públicas" in table.inner_text()
    assert_accessible(page)


def test_participation_page_works_on_a_phone(demo, new_page):
    page = new_page(viewport=PHONE)
    sign_in_as_hr(page)
    framework = FrameworkFactory(code="movil")
    campaign = Campaign.objects.create(
        code="movil",
        name="Diagnóstico en teléfono",
        framework=framework,
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=7),
    )
    campaign.departments.set(Department.objects.filter(code="MUN"))
    page.goto(f"/campaigns/{campaign.pk}/launch/")
    page.get_by_role("button", name="Lanzar ahora").click()
    page.get_by_text("Campaña lanzada").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.get_by_role("link", name="Enlaces imprimibles con códigos QR").click()
    page.get_by_label("Dependencia").select_option(label="Gobierno Municipal (MUN)")
    page.get_by_label("Personas").select_option(label="Todas")
    page.get_by_role("button", name="Ver la hoja").click()
    assert page.locator(".sheet-card").count() == campaign.invitations.count()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_launch_progress_updates_itself_until_the_invitations_are_made(demo, new_page):
    page = new_page()
    sign_in_as_hr(page)
    campaign = Campaign.objects.create(
        code="lenta",
        name="Campaña grande",
        framework=FrameworkFactory(code="grande"),
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=7),
        launched_at=timezone.now(),
    )
    campaign.departments.set(Department.objects.filter(code="MUN"))
    page.goto(f"/campaigns/{campaign.pk}/")
    status = page.get_by_role("status")
    assert "Generando invitaciones: 0 de" in status.inner_text()
    assert_accessible(page)

    # The task finishes in the background; the page learns it by polling.
    lifecycle.invitations_make(campaign=campaign)
    page.get_by_text("invitaciones están listas").wait_for(timeout=10_000)
    assert page.problems == []


def test_qr_cards_carry_a_short_code_that_opens_the_assessment(demo, new_page):
    """HR prints the QR cards of a department and downloads the links file; a person with
    only the card types its short code at the short address and reaches their assessment."""
    campaign = Campaign.objects.get(code="diagnostico-2026")
    page = new_page()
    sign_in_as_hr(page)
    page.get_by_test_id("navigation").get_by_role("link", name="Campañas").click()
    page.get_by_role("link", name=campaign.name_es_mx).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Enlaces imprimibles con códigos QR").click()
    assert_accessible(page)
    page.get_by_label("Dependencia").select_option(label="Gobierno Municipal (MUN)")
    page.get_by_label("Personas").select_option(label="Todas")
    page.get_by_role("button", name="Ver la hoja").click()
    page.locator(".sheet-card").first.wait_for()
    assert_accessible(page)
    # The card of someone who has not answered yet.
    waiting = set(
        campaign.invitations.filter(response__submitted_at__isnull=True).values_list(
            "short_code", flat=True
        )
    ) | set(campaign.invitations.filter(response__isnull=True).values_list("short_code", flat=True))
    card = next(
        c
        for c in page.locator(".sheet-card").all()
        if c.locator(".sheet-code").inner_text().replace("-", "") in waiting
    )
    typed = card.locator(".sheet-code").inner_text()
    invitation = campaign.invitations.get(short_code=typed.replace("-", ""))
    assert card.locator(".sheet-link").inner_text().endswith("/c/")
    assert invitation.token not in card.inner_text()  # the card never asks to type the token

    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Archivo de enlaces (CSV)").click()
    assert_accessible(page)
    page.get_by_label("Personas").select_option(label="Todas")
    with page.expect_download() as download:
        page.get_by_role("button", name="Descargar").click()
    rows = download.value.path().read_text(encoding="utf-8-sig")
    assert typed in rows and invitation.token in rows

    someone = new_page()
    someone.goto("/c/")
    assert_accessible(someone)
    someone.get_by_label("Código de su tarjeta").fill(typed.lower().replace("-", " "))
    someone.get_by_role("button", name="Abrir").click()
    someone.wait_for_url(f"**/a/{invitation.token}/**")
    assert_accessible(someone)
