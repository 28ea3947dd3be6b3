"""The Data Workforce Plan in the browser, in Spanish: HR opens this year's draft plan of the
demo city, sets a budget, marks a line must-fund, is refused approval while the campaign is
open, approves it once the campaign has closed, downloads the workbook and
prints the committee page; a manager reads the approved plan for their departments without a
name; the demo employee finds catalogue offerings on her results. Axe on every page, and the
builder, the committee page and the manager's page also at 360 px."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import Employee
from diagnostic.campaigns.lifecycle import campaign_close
from diagnostic.models import Campaign
from reports.plan.models import Plan, PlanChange, PlanChoice, PlanLine

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}


@pytest.fixture
def city(db):
    call_command("seed_demo", employees=12)
    last_year, current = Campaign.objects.order_by("opens_at")
    return {
        "draft": Plan.objects.get(campaign=current, status=Plan.Status.DRAFT),
        "approved": Plan.objects.get(campaign=last_year, status=Plan.Status.APPROVED),
    }


def sign_in(page, role: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(ACCOUNTS[role].email)
    page.get_by_label("Contraseña").fill(ACCOUNTS[role].password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def wait_for_charts(page) -> None:
    charts = page.locator(".report-chart")
    for i in range(charts.count()):
        charts.nth(i).locator("svg.main-svg").first.wait_for()


def test_hr_builds_approves_downloads_and_prints_the_plan(city, new_page):
    draft = city["draft"]
    page = new_page()
    sign_in(page, "hr")
    page.get_by_test_id("navigation").get_by_role("link", name="Reportes").click()
    page.get_by_role("link", name="Planes de formación").click()
    page.get_by_role("heading", name="Planes de formación", level=1).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=draft.name).click()
    page.wait_for_url(f"**{reverse('reports:plan_detail', args=[draft.code])}")
    wait_for_charts(page)
    assert "borrador" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)

    # A budget smaller than the demo's, so the funding rule has to choose.
    page.get_by_label("Presupuesto (MXN)").fill("50000")
    page.get_by_role("button", name="Fijar el presupuesto").click()
    page.get_by_test_id("budget").get_by_text("50,000.00").wait_for()
    draft.refresh_from_db()
    assert draft.budget == Decimal("50000")
    assert PlanChange.objects.filter(plan=draft, action=PlanChange.Action.BUDGET).count() == 1

    # Mark must-fund the last line the demo left to the priority order.
    rows = page.locator("tbody tr[data-line]")
    unmarked = rows.filter(has_not=page.locator(".badge"))
    assert unmarked.count() > 0
    row = unmarked.last
    line = row.get_attribute("data-line")
    code, band = line.rsplit("-", 1)
    row.get_by_label(f"Marca para {code}, nivel {band}").select_option(
        label="financiar obligatoriamente"
    )
    row.get_by_role("button", name="Aplicar").click()
    marked = page.locator(f'tbody tr[data-line="{line}"]')
    marked.locator(".badge", has_text="financiar obligatoriamente").wait_for()
    assert "financiada" in marked.inner_text()  # must-fund lines come first, above the budget
    assert PlanChoice.objects.get(plan=draft, competency_code=code, band=int(band)).choice == (
        "must_fund"
    )
    assert_accessible(page)

    # This year's campaign is still open: approval is refused, and nothing is frozen.
    page.get_by_role("button", name="Aprobar el plan").click()
    page.get_by_text("La campaña de este plan sigue abierta").wait_for()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT and not PlanLine.objects.filter(plan=draft).exists()
    assert_accessible(page)
    campaign_close(campaign=draft.campaign)

    page.get_by_role("button", name="Aprobar el plan").click()
    page.get_by_text("El plan está aprobado: sus cifras y precios quedan fijos.").wait_for()
    draft.refresh_from_db()
    assert draft.status == Plan.Status.APPROVED
    frozen = PlanLine.objects.get(plan=draft, competency_code=code, band=int(band))
    assert (frozen.choice, frozen.status) == ("must_fund", "funded")
    assert page.get_by_role("button", name="Aprobar el plan").count() == 0
    assert page.get_by_label("Presupuesto (MXN)").count() == 0
    wait_for_charts(page)
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar el libro (XLSX)").click()
    download = info.value
    assert download.suggested_filename == f"{draft.code}.xlsx"
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames[0] == "Resumen"
    summary = {row[0]: row[1] for row in book["Resumen"].iter_rows(values_only=True)}
    assert summary["Plan"] == draft.name
    assert summary["Estado"] == "aprobado"
    assert summary["Presupuesto (MXN)"] == 50000
    lines = list(book["Líneas"].iter_rows(values_only=True))
    assert len(lines) - 1 == PlanLine.objects.filter(plan=draft, offering__isnull=False).count()

    page.get_by_role("link", name="Vista para el comité (imprimible)").click()
    page.get_by_role("heading", name="Lo que encontramos").wait_for()
    wait_for_charts(page)
    assert_accessible(page)
    # The print layout: no navigation, no links to other pages, the sections kept.
    page.emulate_media(media="print")
    assert page.locator("header").first.is_hidden()
    assert page.get_by_text("Imprima esta página desde el navegador").is_hidden()
    assert page.get_by_role("heading", name="Lo que queda sin cobertura").is_visible()
    assert page.pdf()[:4] == b"%PDF"
    assert list(page.problems) == []


def test_builder_and_committee_page_work_on_a_phone(city, new_page):
    draft = city["draft"]
    page = new_page(viewport=PHONE)
    sign_in(page, "hr")
    page.goto(reverse("reports:plan_detail", args=[draft.code]))
    wait_for_charts(page)
    assert fits_the_phone(page)
    assert_accessible(page)
    page.get_by_role("link", name="Vista para el comité (imprimible)").click()
    page.get_by_role("heading", name="Lo que encontramos").wait_for()
    wait_for_charts(page)
    assert fits_the_phone(page)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_a_manager_reads_the_plan_for_their_departments_without_names(city, new_page, viewport):
    approved = city["approved"]
    page = new_page(viewport=viewport)
    sign_in(page, "manager")
    page.goto(reverse("reports:plan_for_departments", args=[approved.code]))
    page.get_by_role("heading", name=approved.name, level=1).wait_for()
    assert page.get_by_text("El plan de formación aprobado para sus dependencias").is_visible()
    assert page.locator("main section h2").count() > 0
    # Every need is one the release shows with at least k people, or is held back.
    k = approved.campaign.anonymity_threshold
    needs = page.locator("main tbody td.text-end").all_inner_texts()
    assert needs
    for need in needs:
        assert need in ("no se muestra", f"menos de {k}") or int(need) >= k, need
    text = page.content()
    names = list(Employee.objects.values_list("full_name", flat=True))
    assert names and [name for name in names if name in text] == []
    if viewport:
        assert fits_the_phone(page)
    assert_accessible(page)


def test_the_employee_sees_catalogue_offerings_on_her_results(city, new_page):
    page = new_page()
    sign_in(page, "employee")
    page.get_by_test_id("navigation").get_by_role("link", name="Mi evaluación").click()
    page.get_by_role("link", name="Ver mis resultados").click()
    page.get_by_role("heading", name="Mis resultados", level=1).wait_for()
    section = page.get_by_role("region", name="Capacitación para sus brechas más grandes")
    section.wait_for()
    links = section.get_by_role("link")
    assert links.count() > 0
    assert links.first.get_attribute("href").startswith("https://capacitacion.example.gob.mx/")
    assert_accessible(page)
