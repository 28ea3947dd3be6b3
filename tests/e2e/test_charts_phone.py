"""Charts at 360 px and at 1366 px (issue 13): no chart text outside its chart or the viewport,
bar labels above the bars on a phone (the bars get the width), the heatmap's column names not
overlapping, the phone list in the heatmap's place. One seed of the demo for all of it.
Screenshots go to test-artifacts/screenshots/."""

from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Department
from diagnostic.models import Campaign

from .conftest import PHONE, assert_accessible
from .test_reports import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Every visible chart's text elements (tick labels, annotations, legend, in-bar text) and
# title, as [chart, text] for each that leaves its chart's box or the viewport.
OUTSIDE = """() => {
  const width = document.documentElement.clientWidth, bad = [];
  const out = (r, box) => r.left < box.left - 1 || r.right > box.right + 1
    || r.top < box.top - 1 || r.bottom > box.bottom + 1;
  const screen = {left: 0, right: width, top: -1e9, bottom: 1e9};
  document.querySelectorAll("[data-chart]").forEach((chart) => {
    if (!chart.getClientRects().length) return;
    const box = chart.getBoundingClientRect();
    chart.querySelectorAll("svg text").forEach((text) => {
      const r = text.getBoundingClientRect();
      if (!text.textContent.trim() || !r.width) return;
      if (out(r, box) || out(r, screen)) bad.push([chart.dataset.chart, text.textContent]);
    });
  });
  document.querySelectorAll(".chart-title").forEach((title) => {
    if (title.getClientRects().length && out(title.getBoundingClientRect(), screen))
      bad.push(["title", title.textContent]);
  });
  return bad;
}"""

# The share of the chart's width the plot area (the bars) gets.
PLOT_SHARE = """(id) => {
  const chart = document.querySelector(`[data-chart="${id}"]`);
  return chart._fullLayout._size.w / chart.clientWidth;
}"""

# Pairs of heatmap column names whose boxes overlap.
OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('[data-chart="chart-heatmap"] .xtick text')]
    .map((t) => t.getBoundingClientRect());
  return boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)).length;
}"""


def open_report(page, url: str, chart: str, name: str) -> None:
    page.goto(url)
    page.locator(f'[data-chart="{chart}"] svg.main-svg').first.wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"charts-{name}.png"), full_page=True)


def test_charts_read_well_at_360_and_1366_px(live_server, new_page):
    call_command("seed_demo", employees=200)
    campaign = Campaign.objects.order_by("-opens_at").first()
    obras = f"/reports/{campaign.code}/departments/OBRAS/"  # the demo manager's department
    leaf = Department.objects.filter(parent__code="OBRAS").order_by("code").first()

    phone = new_page(viewport=PHONE)
    sign_in(phone, "manager")
    open_report(phone, obras, "chart-priority", "department-360")
    assert phone.evaluate(OUTSIDE) == []
    assert phone.locator('[data-chart="chart-priority"]').get_attribute("data-narrow") == "true"
    assert phone.evaluate(PLOT_SHARE, "chart-priority") > 0.9
    assert phone.locator(".chart-title", has_text="Prioridad de capacitación").is_visible()
    # The list in words in the heatmap's place; the table stays.
    assert not phone.locator('[data-chart="chart-heatmap"]').is_visible()
    listed = phone.get_by_test_id("heatmap-list")
    assert listed.is_visible() and listed.get_by_text(leaf.name).is_visible()
    assert phone.get_by_test_id("heatmap-table").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)

    # A leaf department: no heatmap and no list, its other charts and the table stay.
    open_report(
        phone, f"/reports/{campaign.code}/departments/{leaf.code}/", "chart-profile", "leaf-360"
    )
    assert phone.locator('[data-chart="chart-heatmap"]').count() == 0
    assert phone.get_by_test_id("heatmap-list").count() == 0
    assert phone.get_by_test_id("heatmap-table").count() == 1
    assert phone.evaluate(OUTSIDE) == []
    assert_accessible(phone)

    # The overview's bars (response rate, priorities) too.
    open_report(phone, f"/reports/{campaign.code}/", "chart-participation", "overview-360")
    assert phone.evaluate(OUTSIDE) == []
    assert phone.evaluate(PLOT_SHARE, "chart-participation") > 0.9
    assert_accessible(phone)

    desktop = new_page(viewport=DESKTOP)
    sign_in(desktop, "manager")
    open_report(desktop, obras, "chart-heatmap", "department-1366")
    assert desktop.evaluate(OUTSIDE) == []
    assert desktop.evaluate(OVERLAPS) == 0
    assert desktop.locator('[data-chart="chart-priority"]').get_attribute("data-narrow") == "false"
    assert not desktop.get_by_test_id("heatmap-list").is_visible()
    assert_accessible(desktop)
