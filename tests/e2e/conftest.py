"""Browser tests: Playwright for Python driving Debian's Chromium, axe-core on every page.

Without Chromium the browser tests are skipped with the command that installs it; in CI
(`CI` set) a missing Chromium is a failure, so the browser tests can never silently vanish.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 780}

# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by the
# tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(or `make e2e-deps`)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems(list):
    """Console errors and CSP violations seen while a page was open."""


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def open_page(*, language: str = "es-MX", viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server.url,
            locale=language,
            viewport=viewport or {"width": 1280, "height": 900},
        )
        contexts.append(context)
        page = context.new_page()
        page.problems = PageProblems()
        page.on(
            "console",
            lambda msg: page.problems.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: page.problems.append(str(exc)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def assert_accessible(page) -> None:
    """No axe-core violations (WCAG 2.1 A and AA rules) and no errors on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    assert list(page.problems) == [], page.problems
