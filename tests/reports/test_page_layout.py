"""The department page and the overview read in one screen (issue 13): a one-line summary,
"on this page" links, each chart's figures in a <details> scroll region under it, a narrow
role table beside a role x competency matrix, and hidden rows said in their row header."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CampaignFactory, JobRoleFactory

from .conftest import make_release, respond

pytestmark = pytest.mark.django_db


def department(client, code="diag-2026", dept="WORKS"):
    response = client.get(reverse("reports:department_report", args=[code, dept]))
    assert response.status_code == 200
    return response


def test_the_summary_is_one_line_with_the_date_of_the_figures(client_as, results):
    response = department(client_as("manager"))
    body = response.content.decode()
    summary = body.split('data-testid="summary"')[1].split("</p>")[0]
    group, release = response.context["page"].group, response.context["page"].release
    rate = round(100 * group.responded / group.invited)
    assert f"Invitadas {group.invited} · respondieron {group.responded} ({rate}%)" in summary
    assert f"publicación {release.number}" in summary
    assert 'data-testid="summary"' in body and '<dl class="row" data-testid' not in body
    # HR reads live figures: dated today, no release named.
    hr_summary = department(client_as("hr")).content.decode().split('data-testid="summary"')[1]
    assert "cifras en vivo al" in hr_summary.split("</p>")[0]


def test_on_this_page_links_every_section_after_the_first_screen(client_as, results):
    body = department(client_as("manager")).content.decode()
    nav = body.split('data-testid="on-this-page"')[1].split("</nav>")[0]
    targets = re.findall(r'href="#([\w-]+)"', nav)
    assert len(targets) == 7
    for target in targets:
        assert f'id="{target}"' in body
    # The list comes after the first screen, before the detail sections.
    assert body.index('data-testid="first-screen"') < body.index('data-testid="on-this-page"')
    assert body.index('data-testid="on-this-page"') < body.index('id="heatmap-heading"')


def scroll_regions(body):
    return re.findall(r'<div class="table-responsive"([^>]*)>', body)


@pytest.mark.parametrize("page", ["department", "overview"])
def test_every_table_sits_in_a_keyboard_reachable_region_full_width(client_as, results, page):
    client = client_as("hr")
    if page == "department":
        body = department(client).content.decode()
    else:
        body = client.get(reverse("reports:campaign_overview", args=[results.code])).content
        body = body.decode()
    assert body.count("<table") == len(scroll_regions(body))
    for attributes in scroll_regions(body):
        assert 'tabindex="0"' in attributes and 'role="region"' in attributes
        label = re.search(r'aria-labelledby="([\w-]+)"', attributes).group(1)
        assert f'id="{label}"' in body
    assert "col-lg-5" not in body and "col-lg-6" not in body  # no half-width tables
    figures = body.split('<details class="report-figures">')[1:]
    assert figures and all("Ver las cifras" in f.split("</summary>")[0] for f in figures)
    assert all('class="table-responsive"' in f.split("</details>")[0] for f in figures)


def test_print_opens_the_figures(settings):
    css = (Path(settings.BASE_DIR) / "static/css/report-print.css").read_text()
    assert "details::details-content" in css and "content-visibility: visible" in css


def test_role_table_is_narrow_and_the_matrix_holds_each_role_by_competency(
    client_as, results, tree, framework
):
    _framework, competencies = framework
    analyst = JobRoleFactory(code="ANA", name_es_mx="Analista", name_en="Analyst")
    for i in range(3):
        respond(results, tree["WORKS"], analyst, dict.fromkeys(competencies, (i + 1) % 5))
    response = department(client_as("hr"))
    body = response.content.decode()
    roles = body.split('data-testid="roles-table"')[1].split("</table>")[0]
    assert roles.split("</thead>")[0].count('<th scope="col"') == 4
    page = response.context["page"]
    matrix = body.split('data-testid="role-matrix"')[1].split("</table>")[0]
    assert matrix.split("</thead>")[0].count('<th scope="col"') == 1 + len(competencies)
    assert {role.code for role, _g, _cells in page.role_matrix} == {"GEN", "ANA"}
    for _role, role_group, cells in page.role_matrix:
        by_code = {c.code: c for c in role_group.competencies}
        assert [c.code for c in cells] == [c.code for c in page.group.competencies]
        assert all(cell is by_code[cell.code] for cell in cells)
    analyst_row = matrix.split("Analista")[1].split("</tr>")[0]
    assert analyst_row.count('<td class="text-end">') == len(competencies)


def test_a_second_role_adds_no_query(client_as, results, tree, framework):
    _framework, competencies = framework
    client = client_as("hr")
    with CaptureQueriesContext(connection) as one_role:
        department(client)
    for code in ("ANA", "TEC"):
        role = JobRoleFactory(code=code)
        for i in range(3):
            respond(results, tree["WORKS"], role, dict.fromkeys(competencies, i))
    with CaptureQueriesContext(connection) as three_roles:
        response = department(client)
    assert len(response.context["page"].role_matrix) == 3
    assert len(three_roles) == len(one_role)


def test_hidden_rows_say_so_in_their_row_header(client_as, tree, general_role, framework):
    framework, competencies = framework
    campaign = CampaignFactory(code="k4", framework=framework, anonymity_threshold=4)
    campaign.departments.add(tree["CITY"])
    for i in range(4):
        respond(campaign, tree["WORKS"], general_role, dict.fromkeys(competencies, i))
    few = JobRoleFactory(code="FEW", name_es_mx="Pocos", name_en="Few")
    respond(campaign, tree["WORKS"], few, dict.fromkeys(competencies, 2))
    make_release(campaign)
    body = department(client_as("hr"), "k4").content.decode()
    words = "menos de 4 respuestas"
    for testid in ("roles-table", "role-matrix"):
        table = body.split(f'data-testid="{testid}"')[1].split("</table>")[0]
        row = table.split("Pocos")[0].rsplit("<tr>", 1)[1] + table.split("Pocos")[1]
        header = row.split("</th>")[0]
        assert header.startswith('<th scope="row" class="suppressed-row">') and words in header
    assert not re.search(r"<td[^>]*colspan[^>]*>[^<]*" + words, body)
    overview = client_as("hr").get(reverse("reports:campaign_overview", args=["k4"]))
    rows = overview.content.decode().split('id="participation-caption"')[1]
    welfare = rows.split("Bienestar")[1].split("</th>")[0]
    assert words in welfare  # invited nobody who answered: hidden, said in its header
    assert not re.search(r"<td[^>]*colspan[^>]*>[^<]*" + words, overview.content.decode())


def test_overview_names_the_three_priorities_in_one_line(client_as, results):
    response = client_as("hr").get(reverse("reports:campaign_overview", args=[results.code]))
    body = response.content.decode()
    act_on = body.split('data-testid="act-on"')[1].split("</p>")[0]
    _name, _group, _id, _chart, competencies, _department = response.context["page"].headline[0]
    assert competencies and all(f"<strong>{c.name}</strong>" in act_on for c in competencies)
    assert body.index('data-testid="act-on"') < body.index('id="participation-heading"')
    assert settings.LANGUAGE_CODE == "es-mx" and "Actuar primero en:" in act_on
    # HR's headline is the whole organisation, not the campaign's name again under the h1.
    assert '<h2 class="h4" id="headline-1">Toda la organización</h2>' in body


def test_a_manager_headline_links_the_department_report(client_as, results):
    response = client_as("manager").get(reverse("reports:campaign_overview", args=[results.code]))
    url = reverse("reports:department_report", args=[results.code, "WORKS"])
    body = response.content.decode()
    assert f'<h2 class="h4" id="headline-1"><a href="{url}">Obras Públicas</a></h2>' in body
