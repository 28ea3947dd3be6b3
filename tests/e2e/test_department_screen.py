"""The report pages read in one screen (issue 13): the department page, HR's overview and the
employee's own results, in both languages, on a 360 px phone and a 1366 px desktop.

On each: nothing wider than the viewport except inside a scroll region reachable by keyboard,
no chart text outside its chart, the three priorities' names in the first screen, axe; a
full-page screenshot of each is kept in $E2E_ARTEFACTS (default test-artifacts/, gitignored).

The demo is seeded once for the module: one test per page runs its four combinations."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import User
from diagnostic.models import Campaign, Response

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = {account.role: account for account in DEMO_ACCOUNTS}
LANGUAGES = ["es-MX", "en"]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 768}}
ARTEFACTS = Path(os.environ.get("E2E_ARTEFACTS", "test-artifacts")) / "department-screen"
SIGN_IN = {
    "es-MX": ("Correo electrónico", "Contraseña", "Iniciar sesión"),
    "en": ("E-mail address", "Password", "Sign in"),
}
CODE_FORM = {
    "es-MX": ("Código de resultados", "Mostrar mis resultados"),
    "en": ("Results code", "Show my results"),
}
RESULTS_HEADING = {"es-MX": "Mis resultados", "en": "My results"}

# Every element that sticks out of the viewport, unless a keyboard-reachable scroll region
# (tabindex >= 0, overflow-x auto or scroll) holds it.
WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) =>
    el.tabIndex >= 0 && ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const held = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) if (scrolls(a)) return true;
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("#js-plotly-tester")) continue;  // Plotly's own off-screen measuring svg
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    if ((r.right > width + 1 || r.left < -1) && !held(el)) {
      const name = `${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className}`;
      out.push(`${name} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > width) out.push(`page scrollWidth ${scrollWidth}`);
  return out;
}"""

# Every chart text (titles, labels, ticks) whose box leaves its chart's container.
CHART_TEXT_OUTSIDE = """() => {
  const out = [];
  for (const chart of document.querySelectorAll("[data-chart]")) {
    const box = chart.getBoundingClientRect();
    for (const text of chart.querySelectorAll("svg text")) {
      const r = text.getBoundingClientRect();
      if (!text.textContent.trim() || r.width === 0) continue;
      const outside = r.left < box.left - 1 || r.right > box.right + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1;
      if (outside) {
        const words = text.textContent.trim().slice(0, 40);
        const x = `${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)}`;
        out.push(`${chart.dataset.chart}: "${words}" ${x} of ${Math.round(box.width)}`);
      }
    }
  }
  return out;
}"""

PRIORITIES_BELOW_FIRST_SCREEN = """(selector) => {
  const names = [...document.querySelectorAll(selector)];
  if (names.length < 3) return [`only ${names.length} priorities`];
  return names.slice(0, 3).filter((n) => n.getBoundingClientRect().bottom > window.innerHeight)
    .map((n) => `${n.textContent.trim()} bottom ${Math.round(n.getBoundingClientRect().bottom)}`);
}"""


@pytest.fixture
def city(db):
    call_command("seed_demo", employees=200)
    return Campaign.objects.order_by("-opens_at").first()


def sign_in(page, role: str, language: str) -> None:
    User.objects.filter(email=ACCOUNTS[role].email).update(language=language.lower())
    email, password, button = SIGN_IN[language]
    page.goto("/accounts/login/")
    page.get_by_label(email).fill(ACCOUNTS[role].email)
    page.get_by_label(password).fill(ACCOUNTS[role].password)
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/")


def check_every_screen(page, *, name: str, url: str, language: str, priorities: str | None):
    """Visits `url` at both viewports; returns what failed (all combinations are checked)."""
    problems = []
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(url)
        for i in range(page.locator("[data-chart]").count()):
            page.locator("[data-chart]").nth(i).locator("svg.main-svg").first.wait_for()
        where = f"{name} {language} {size}"
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTEFACTS / f"{name}-{language}-{size}.png", full_page=True)
        problems += [f"{where} wider: {w}" for w in page.evaluate(WIDER_THAN_VIEWPORT)]
        problems += [f"{where} chart text: {t}" for t in page.evaluate(CHART_TEXT_OUTSIDE)]
        if priorities:
            page.evaluate("window.scrollTo(0, 0)")
            below = page.evaluate(PRIORITIES_BELOW_FIRST_SCREEN, priorities)
            problems += [f"{where} priority below the first screen: {p}" for p in below]
        assert_accessible(page)
    return problems


@pytest.mark.parametrize("role", ["manager", "hr"])
def test_report_pages_read_in_one_screen(city, new_page, role):
    if role == "manager":
        name, url = "department", f"/reports/{city.code}/departments/OBRAS/"
        priorities = "[data-testid=act-on] li strong"
    else:
        name, url = "overview", f"/reports/{city.code}/"
        priorities = "[data-testid=act-on] strong"
    problems = []
    for language in LANGUAGES:
        page = new_page(language=language)
        sign_in(page, role, language)
        problems += check_every_screen(
            page, name=name, url=url, language=language, priorities=priorities
        )
    assert problems == [], "\n".join(problems)


def test_the_employee_results_page_fits_a_phone(city, new_page):
    from diagnostic.assessment.codes import hashed

    response = Response.objects.filter(submitted_at__isnull=False).select_related("invitation")
    response = response.filter(invitation__campaign=city).first()
    Response.objects.filter(pk=response.pk).update(results_code=hashed("7KQM3XTB"))
    problems = []
    for language in LANGUAGES:
        page = new_page(language=language)
        page.goto(f"/a/{response.invitation.token}/")
        label, button = CODE_FORM[language]
        page.get_by_label(label).fill("7KQM3XTB")
        page.get_by_role("button", name=button).click()
        page.get_by_role("heading", name=RESULTS_HEADING[language], level=1).wait_for()
        page.problems.clear()  # the 403 of the code form itself is logged by the browser
        problems += check_every_screen(
            page,
            name="results",
            url=f"/a/{response.invitation.token}/",
            language=language,
            priorities=None,
        )
    assert problems == [], "\n".join(problems)
