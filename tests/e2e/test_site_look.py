"""The site looks like the organisation's own: at 1366 px the header is one row for every role
(the administrator has the most entries), at 360 px nothing is wider than the phone, and the
error pages carry the same layout. Screenshots go to test-artifacts/screenshots/."""

from pathlib import Path

import pytest
from django.core.management import call_command

from .conftest import PHONE, assert_accessible
from .test_navigation import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ROLES = ["employee", "manager", "hr", "admin"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", employees=5)


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def header_rows(page) -> int:
    """How many rows the header's items take: items whose boxes do not overlap vertically
    with the first one start a new row."""
    boxes = page.evaluate(
        """() => [...document.querySelectorAll(
              '.site-navbar .navbar-brand, .site-navbar .nav-item, .site-navbar form')]
            .filter(el => el.offsetParent !== null)
            .map(el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom]; })"""
    )
    rows: list[tuple[float, float]] = []
    for top, bottom in sorted(boxes):
        if not any(top < row_bottom and bottom > row_top for row_top, row_bottom in rows):
            rows.append((top, bottom))
    return len(rows)


@pytest.mark.parametrize("language", ["es-MX", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_the_header_is_one_row_at_1366_px(demo, new_page, role, language):
    page = new_page(viewport=DESKTOP)
    sign_in(page, role)
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    assert page.locator(".site-organization").inner_text() == "Ciudad de Ejemplo"
    assert header_rows(page) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert page.locator(".site-header").bounding_box()["height"] < 80
    shoot(page, f"header-{role}-{language}-1366")
    assert_accessible(page)


@pytest.mark.parametrize("role", ROLES)
def test_nothing_is_wider_than_a_phone(demo, new_page, role):
    page = new_page(viewport=PHONE)
    sign_in(page, role)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    too_wide = page.evaluate(
        f"""() => [...document.querySelectorAll('header *, footer *, main *')]
            .filter(el => el.getBoundingClientRect().right > {PHONE["width"]} + 0.5
                          && el.offsetParent !== null)
            .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert too_wide == []
    shoot(page, f"home-{role}-360")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("language", "heading"), [("es-MX", "Página no encontrada"), ("en", "Page not found")]
)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "360"])
def test_the_404_page_is_in_the_sites_look(demo, new_page, language, heading, viewport):
    page = new_page(language=language, viewport=viewport)
    page.goto("/no-such-page/")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator("body[data-layout=site] .site-organization").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # The stylesheets loaded: the header wears the organisation's colour (#123f6d).
    background = page.locator(".site-navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(18, 63, 109)"
    shoot(page, f"404-{language}-{viewport['width']}")
    # The page's own status is the only failed load that the console reports.
    page.problems[:] = [p for p in page.problems if "status of 404" not in p]
    assert_accessible(page)


@pytest.mark.parametrize("colour", ["#ffe14d", "#0b1f3a"], ids=["light", "dark"])
def test_a_light_or_dark_organisation_colour_passes_axe(demo, new_page, settings, colour):
    settings.ORGANIZATION_COLOR = colour
    page = new_page(viewport=DESKTOP)
    sign_in(page, "admin")
    background = page.locator(".site-navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert background == f"rgb({red}, {green}, {blue})"
    page.goto("/privacy/")
    shoot(page, f"privacy-{colour[1:]}-1366")
    assert_accessible(page)
