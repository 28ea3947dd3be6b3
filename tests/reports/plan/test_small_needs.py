"""HR's plan pages read live figures, still suppressed: a need of 1 to k-1 people shows as
"fewer than k" on the builder, the committee page, the need chart and the workbook, while the
funding still counts the exact people."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from diagnostic.models import Campaign
from reports.plan.catalogue import offering_save
from reports.plan.models import Plan
from reports.plan.pages import plan_page
from reports.plan.plans import plan_create, plan_result

from .test_plans import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(results):
    offering_save(values=VALUES)
    Campaign.objects.filter(pk=results.pk).update(anonymity_threshold=5)
    plan_create(code="p", name="Plan", campaign=results, budget=Decimal(10**6))
    return Plan.objects.get(code="p")


def small_and_large(plan):
    lines = plan_result(plan=plan).lines
    small = [line for line in lines if 0 < line.participants < 5]
    large = [line for line in lines if line.participants >= 5]
    assert small and large  # the fixture has both: 4 and 5 people
    return small, large


def row(body: str, line) -> str:
    found = re.search(rf'<tr data-line="{line.competency_code}-{line.band}">(.*?)</tr>', body, re.S)
    return found.group(1)


@pytest.mark.parametrize("name", ["reports:plan_detail", "reports:plan_committee"])
def test_pages_show_a_small_need_as_fewer_than_k(client_as, plan, name):
    small, large = small_and_large(plan)
    body = client_as("hr").get(reverse(name, args=["p"])).content.decode()
    for line in small:
        if line.terms:
            cells = row(body, line)
            assert "&lt;5</abbr>" in cells
            assert f'<td class="text-end">{line.participants}</td>' not in cells
    for line in large:
        if line.terms:
            assert f'<td class="text-end">{line.participants}</td>' in row(body, line)
    # The funding used the exact counts: the small lines are still costed and funded.
    assert all(line.cost > 0 for line in small if line.terms)


def test_the_need_chart_leaves_small_bands_out(plan):
    small, _ = small_and_large(plan)
    page = plan_page(plan=plan)
    bars = page.charts["need"]["data"]
    for line in small:
        assert line.participants not in bars[line.band]["x"]


def test_the_workbook_shows_a_small_need_as_fewer_than_k(client_as, plan):
    small, large = small_and_large(plan)
    response = client_as("hr").get(reverse("reports:plan_xlsx", args=["p"]))
    book = load_workbook(io.BytesIO(response.content))
    needs = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    by_line = {(r[0], r[2]): r for r in needs}
    for line in small:
        people, headcount = by_line[(line.competency_code, line.band)][3:5]
        assert isinstance(people, str) and "5" in people and headcount is None
    for line in large:
        assert by_line[(line.competency_code, line.band)][3] == line.participants
