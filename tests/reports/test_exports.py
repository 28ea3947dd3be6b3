import csv
import hashlib
import hmac
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from reports.exports.campaign import DEPARTMENT_REPORT_HEADERS
from reports.exports.writers import cell_text, write_csv
from reports.pseudonyms import pseudonym, pseudonymiser


def test_numbers_are_not_escaped_and_decimals_keep_places():
    assert cell_text(-1.5) == "-1.500000"
    assert cell_text(2) == "2"
    assert cell_text(None) == ""
    assert cell_text(True) == "1"


def test_csv_writer_escapes_text_cells_only():
    stream = io.StringIO(newline="")
    count = write_csv(
        ["a", "b", "c"], [["=1+1", -1.5, "+52 55 1234 5678"], ["@x", None, True]], stream
    )
    back = list(csv.reader(io.StringIO(stream.getvalue()[1:], newline="")))
    assert count == 2
    assert back == [["a", "b", "c"], ["'=1+1", "-1.500000", "+52 55 1234 5678"], ["'@x", "", "1"]]


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.mark.django_db
def test_department_report_csv_has_the_exact_columns_and_suppressed_rows(client_as, results, tree):
    # WELFARE: 4 respondents, shown; a department of 2 is made small below.
    url = reverse("reports:export_department_report", args=[results.code, "csv"])
    response, content = download(client_as("hr"), url)
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(content)
    assert list(rows[0]) == DEPARTMENT_REPORT_HEADERS
    assert len(rows) == len(tree) * 3
    works = next(
        r for r in rows if r["department_code"] == "WORKS" and r["competency_code"] == "C1"
    )
    assert works["suppressed"] == "0" and works["responded"] == "10"
    assert len(works["mean_level"].split(".")[1]) >= 4
    audit = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert audit.detail["what"] == "department_report" and audit.detail["rows"] == len(rows)
    assert audit.user.email == "hr@example.gob.mx"


@pytest.mark.django_db
def test_suppressed_row_keeps_codes_and_invited_only(client_as, tree, general_role, framework):
    from tests.factories import CampaignFactory

    from .conftest import populate

    framework, competencies = framework
    campaign = CampaignFactory(code="k5", framework=framework, anonymity_threshold=5)
    populate(campaign, competencies, tree, general_role)
    rows = read_csv(
        download(client_as("hr"), reverse("reports:export_department_report", args=["k5", "csv"]))[
            1
        ]
    )
    roads = next(r for r in rows if r["department_code"] == "ROADS")
    assert roads["suppressed"] == "1" and roads["invited"] == "6"
    assert all(roads[h] == "" for h in DEPARTMENT_REPORT_HEADERS[3:] if h != "suppressed")


@pytest.mark.django_db
def test_manager_export_holds_only_their_departments(client_as, results):
    url = reverse("reports:export_department_report", args=[results.code, "csv"])
    rows = read_csv(download(client_as("manager"), url)[1])
    assert {r["department_code"] for r in rows} == {"WORKS", "ROADS", "POTHOLES"}


@pytest.mark.django_db
def test_xlsx_and_json_carry_the_same_figures(client_as, results):
    client = client_as("hr")
    csv_rows = read_csv(
        download(client, reverse("reports:export_department_report", args=[results.code, "csv"]))[1]
    )
    _, xlsx = download(
        client, reverse("reports:export_department_report", args=[results.code, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = list(sheet.values)
    assert list(values[0]) == DEPARTMENT_REPORT_HEADERS
    assert len(values) == len(csv_rows) + 1
    _, body = download(
        client, reverse("reports:export_department_report", args=[results.code, "json"])
    )
    data = json.loads(body)
    assert len(data) == len(csv_rows)
    first = data[0]
    assert first["department_code"] == csv_rows[0]["department_code"]
    assert first["mean_level"] == pytest.approx(float(csv_rows[0]["mean_level"]))


@pytest.mark.django_db
def test_formula_in_a_department_name_is_escaped_in_xlsx(client_as, results, tree):
    tree["ROADS"].name = '=HYPERLINK("http://x")'
    tree["ROADS"].save()
    from reports.exports.campaign import DepartmentsExporter
    from reports.exports.writers import write_xlsx

    stream = io.BytesIO()
    write_xlsx(
        DepartmentsExporter.headers, DepartmentsExporter(campaign=results).rows(), stream, "d"
    )
    names = [row[1] for row in load_workbook(stream).active.values]
    assert '\'=HYPERLINK("http://x")' in names


@pytest.mark.django_db
def test_answers_are_pseudonymous_by_default(client_as, results):
    _, content = download(
        client_as("hr"), reverse("reports:export_individual", args=[results.code, "scores", "csv"])
    )
    rows = read_csv(content)
    assert rows and all(r["respondent"].startswith("R-") for r in rows)
    invitation = results.invitations.order_by("pk").filter(response__submitted_at__isnull=False)[0]
    assert rows[0]["respondent"] == pseudonym(
        campaign_code=results.code, invitation_id=invitation.pk
    )
    assert not any(r["respondent"] == invitation.employee.employee_number for r in rows)


def test_pseudonyms_are_stable_per_campaign_and_differ_between_campaigns():
    a = pseudonym(campaign_code="c1", invitation_id=7)
    assert a == pseudonym(campaign_code="c1", invitation_id=7)
    assert a != pseudonym(campaign_code="c2", invitation_id=7)
    assert a != pseudonym(campaign_code="c1", invitation_id=8)


def test_a_pseudonym_is_the_keyed_hmac_of_campaign_and_invitation(settings):
    """Written from the definition, not from reports.pseudonyms: a pseudonym stays the same
    across versions of the site, so earlier exports still join with later ones."""
    settings.SECRET_KEY = "a-known-secret"
    key = hashlib.sha256(b"reports.pseudonyms" + b"a-known-secret").digest()
    expected = "R-" + hmac.new(key, b"c1:7", hashlib.sha256).hexdigest()[:16]
    assert pseudonym(campaign_code="c1", invitation_id=7) == expected
    assert pseudonymiser("c1")(7) == expected
    assert pseudonymiser("c1")(17) != expected


@pytest.mark.django_db
def test_identified_export_needs_its_own_permission(client_as, results, hr):
    url = reverse("reports:export_individual", args=[results.code, "scores", "csv"])
    client = client_as("hr")
    assert client.get(url, {"identified": "1"}).status_code == 403
    hr.user_permissions.add(Permission.objects.get(codename="export_identified"))
    response = client.get(url, {"identified": "1"})
    rows = read_csv(b"".join(response.streaming_content))
    numbers = set(results.invitations.values_list("employee__employee_number", flat=True))
    assert {r["respondent"] for r in rows} <= numbers
    audit = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).get()
    assert audit.detail["identified"] is True and audit.detail["rows"] == len(rows)


@pytest.mark.django_db
def test_answers_export_writes_value_and_correct(client_as, results):
    from diagnostic.models import Response
    from tests.factories import AnswerFactory, QuestionFactory, knowledge_question

    competency = results.framework.competencies.get(code="C1")
    question = QuestionFactory(competency=competency, code="C1-S1")
    quiz = knowledge_question(competency, code="C1-K1")
    response = Response.objects.filter(invitation__campaign=results, submitted_at__isnull=False)[0]
    AnswerFactory(response=response, question=question, value=3)
    AnswerFactory(response=response, question=quiz, value=None, option=quiz.options.get(code="a"))
    url = reverse("reports:export_individual", args=[results.code, "answers", "csv"])
    rows = read_csv(download(client_as("hr"), url)[1])
    by_question = {r["question_code"]: r for r in rows}
    assert by_question["C1-S1"]["value"] == "3" and by_question["C1-S1"]["correct"] == ""
    assert by_question["C1-K1"]["value"] == "a" and by_question["C1-K1"]["correct"] == "1"
    assert by_question["C1-K1"]["submitted_at"].endswith("Z")


@pytest.mark.django_db
def test_identified_links_show_only_with_the_permission(client_as, results, hr):
    url = reverse("reports:campaign_overview", args=[results.code])
    client = client_as("hr")
    assert b"identified=1" not in client.get(url).content
    hr.user_permissions.add(Permission.objects.get(codename="export_identified"))
    assert b"identified=1" in client.get(url).content
