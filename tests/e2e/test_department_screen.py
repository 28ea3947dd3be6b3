"""The report pages read in one screen (issue 13): the department page, HR's overview and the
employee's own results, in both languages, on a 360 px phone and a 1366 px desktop.

On each: nothing wider than the viewport except inside a scroll region reachable by keyboard,
no chart text outside its chart, the three priorities' names in the first screen, axe; a
full-page screenshot of each is kept in $E2E_ARTEFACTS (default test-artifacts/, gitignored).

The demo is seeded once (the live server flushes the database after each test, so one test
visits the three pages in their twelve combinations and lists every failure at the end)."""

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
    // Plotly's off-screen measuring svg and its transparent drag handles are not content.
    if (el.closest("#js-plotly-tester, .draglayer")) continue;
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

# Every chart shown (not hidden for the viewport, e.g. a phone's list instead) is drawn.
CHARTS_DRAWN = """() => [...document.querySelectorAll("[data-chart]")]
  .filter((chart) => chart.getClientRects().length)
  .every((chart) => chart.querySelector("svg.main-svg"))"""

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
        page.wait_for_function(CHARTS_DRAWN)
        where = f"{name} {language} {size}"
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTEFACTS / f"{name}-{language}-{size}.png", full_page=True)
        page.screenshot(path=ARTEFACTS / f"{name}-{language}-{size}-first-screen.png")
        problems += [f"{where} wider: {w}" for w in page.evaluate(WIDER_THAN_VIEWPORT)]
        problems += [f"{where} chart text: {t}" for t in page.evaluate(CHART_TEXT_OUTSIDE)]
        if priorities:
            page.evaluate("window.scrollTo(0, 0)")
            below = page.evaluate(PRIORITIES_BELOW_FIRST_SCREEN, priorities)
            problems += [f"{where} priority below the first screen: {p}" for p in below]
        if page.locator("details.report-figures").count():
            problems += [f"{where} print: {p}" for p in figures_hidden_in_print(page)]
        assert_accessible(page)
    return problems


def figures_hidden_in_print(page) -> list[str]:
    """The tables folded in <details> on screen, and any of them print leaves hidden."""
    tables = page.locator("details.report-figures table")
    problems = [] if not tables.first.is_visible() else ["the figures are not folded on screen"]
    page.emulate_media(media="print")
    hidden = [i for i in range(tables.count()) if not tables.nth(i).is_visible()]
    page.emulate_media(media="screen")
    if hidden:
        problems.append(f"{len(hidden)} of {tables.count()} tables hidden in print")
    return problems


def test_report_pages_read_in_one_screen(city, new_page):
    """The department page (manager), the overview (HR) and the employee's results, each in
    both languages at both sizes, on one seeded demo; every failure is listed at the end."""
    from diagnostic.assessment.codes import hashed

    problems = []
    for role, name, url, priorities in (
        ("manager", "department", f"/reports/{city.code}/departments/OBRAS/", "li strong"),
        ("hr", "overview", f"/reports/{city.code}/", "strong"),
    ):
        for language in LANGUAGES:
            page = new_page(language=language)
            sign_in(page, role, language)
            problems += check_every_screen(
                page,
                name=name,
                url=url,
                language=language,
                priorities=f"[data-testid=act-on] {priorities}",
            )
    response = Response.objects.filter(invitation__campaign=city, submitted_at__isnull=False)
    response = response.select_related("invitation").first()
    Response.objects.filter(pk=response.pk).update(results_code=hashed("7KQM3XTB"))
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
