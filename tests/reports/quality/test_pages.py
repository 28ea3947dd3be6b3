"""The quality page, its downloads, recomputing and starting a draft from it."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from diagnostic.models import Framework, Question
from reports.models import QualitySnapshot
from reports.quality.snapshots import MIN_RESPONSES, quality_build

from .builders import build_quality_campaign
from .test_snapshots import calibrated


def measure(campaign) -> QualitySnapshot:
    snapshot = QualitySnapshot.objects.create(campaign=campaign)
    return quality_build(snapshot_id=snapshot.pk)


def page(client, campaign):
    return client.get(reverse("reports:quality", args=[campaign.code]))


def test_hr_reads_reliability_items_flags_calibration_and_care(client_as, db):
    built = calibrated()
    measure(built.campaign)
    response = page(client_as("hr"), built.campaign)
    body = response.content.decode()
    assert response.status_code == 200
    assert "KR-20" in body
    assert built.knowledge_questions[0].code in body
    assert "chart-calibration" in body
    assert "menos de 1 de cada 20" in body  # the rare-option flag, spelled out


def test_the_page_says_why_it_shows_nothing_below_30_responses(client_as, db):
    built = build_quality_campaign(self_answers=[[1, 2]] * (MIN_RESPONSES - 1), self_areas=[0, 0])
    measure(built.campaign)
    client = client_as("hr")
    body = page(client, built.campaign).content.decode()
    assert "KR-20" not in body and "29" in body
    url = reverse("reports:quality_download", args=[built.campaign.code, "items", "csv"])
    assert client.get(url).status_code == 404


def test_items_download_as_csv_and_xlsx_with_the_design_columns(client_as, db):
    built = calibrated()
    measure(built.campaign)
    client = client_as("editor")
    url = reverse("reports:quality_download", args=[built.campaign.code, "items", "csv"])
    text = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["question_code", "kind", "n", "difficulty", "discrimination", "flags"]
    assert rows[1][:4] == [built.knowledge_questions[0].code, "knowledge", "36", "0.333333"]
    url = reverse("reports:quality_download", args=[built.campaign.code, "items", "xlsx"])
    sheet = load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content))).active
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet["A2"].value == built.knowledge_questions[0].code


def test_computing_again_stores_a_new_snapshot_through_the_task(
    client_as, db, django_capture_on_commit_callbacks
):
    built = calibrated()
    url = reverse("reports:quality_compute", args=[built.campaign.code])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client_as("hr").post(url)
    assert response.status_code == 302 and len(queued) == 1
    snapshot = QualitySnapshot.objects.get(campaign=built.campaign)
    assert snapshot.status == QualitySnapshot.Status.DONE and snapshot.responses == 36


def test_an_editor_starts_a_draft_from_the_campaigns_version(client_as, db):
    built = calibrated()
    published = built.campaign.framework
    response = client_as("editor").post(
        reverse("reports:quality_new_draft", args=[built.campaign.code])
    )
    draft = Framework.objects.get(code=published.code, version=published.version + 1)
    assert draft.status == Framework.Status.DRAFT
    assert response["Location"] == reverse(
        "framework:version", kwargs={"code": draft.code, "version": draft.version}
    )
    assert Question.objects.filter(framework=draft).count() == published.questions.count()
    published.refresh_from_db()
    assert published.status == Framework.Status.PUBLISHED


def queries_of_page(client, people: int) -> int:
    selfs = [[r % 5, (r + 1) % 5] for r in range(people)]
    knowledge = [["a" if r % 3 else "b", "a" if r % 4 else "c"] for r in range(people)]
    built = build_quality_campaign(
        self_answers=selfs, self_areas=[0, 1], knowledge_answers=knowledge
    )
    measure(built.campaign)
    page(client, built.campaign)
    with CaptureQueriesContext(connection) as queries:
        assert page(client, built.campaign).status_code == 200
    return len(queries)


def test_the_page_issues_the_same_queries_whatever_the_size(client_as, db):
    client = client_as("hr")
    assert queries_of_page(client, 36) == queries_of_page(client, 90)
