"""Calibration, care and length, the stored snapshot and its task, the files."""

import csv
import datetime as dt
import statistics

import pytest
from django.core.management import CommandError, call_command
from pytest import approx

from diagnostic.models import Answer, Question
from reports.exports.campaign import QuestionsExporter
from reports.models import QualitySnapshot
from reports.quality.snapshots import MIN_RESPONSES, instrument_quality, quality_request

from .builders import build_quality_campaign

PEOPLE = 36


def calibrated(*, threshold=5):
    """Competency 0 has a knowledge question: person r rates themself r % 5 and is right when
    r % 3 == 0. Competency 1 has none."""
    selfs = [[r % 5, 2] for r in range(PEOPLE)]
    knowledge = [["a" if r % 3 == 0 else "b"] for r in range(PEOPLE)]
    return build_quality_campaign(
        self_answers=selfs, self_areas=[0, 1], knowledge_answers=knowledge, threshold=threshold
    )


def test_calibration_gives_mean_s_minus_4k_and_the_share_far_off(db):
    built = calibrated()
    calibration = instrument_quality(campaign=built.campaign)["calibration"]
    code = built.self_questions[0].competency.code
    assert [c["competency_code"] for c in calibration["competencies"]] == [code]
    differences = [r % 5 - (4 if r % 3 == 0 else 0) for r in range(PEOPLE)]
    figures = calibration["competencies"][0]
    assert figures["n"] == PEOPLE
    assert figures["mean_difference"] == approx(statistics.fmean(differences))
    assert figures["share_far"] == approx(sum(abs(d) >= 2 for d in differences) / PEOPLE)
    fitted = statistics.linear_regression(
        [r % 5 for r in range(PEOPLE)], [4 if r % 3 == 0 else 0 for r in range(PEOPLE)]
    )
    assert figures["slope"] == approx(fitted.slope)
    assert figures["intercept"] == approx(fitted.intercept)


def test_the_chart_shows_no_cell_of_fewer_than_k_people(db):
    built = calibrated(threshold=5)
    cells = instrument_quality(campaign=built.campaign)["calibration"]["cells"]
    # 36 people over 5 x 2 cells: (s, right) pairs repeat every 15 people, so each cell
    # holds 2 or 3 people; the 24 "wrong" ones fall in cells of 4 or 5.
    assert cells and all(cell["n"] >= 5 for cell in cells)
    assert sum(cell["n"] for cell in cells) < PEOPLE


def test_care_gives_median_minutes_fast_pages_and_one_level_for_everything(db):
    selfs = [[3, 3] if r < 6 else [1, 2] for r in range(PEOPLE)]
    built = build_quality_campaign(self_answers=selfs, self_areas=[0, 1])
    # Person 0 answers the first page one second after accepting the notice.
    first = built.responses[0]
    Answer.objects.filter(response=first, question=built.self_questions[0]).update(
        answered_at=first.privacy_accepted_at + dt.timedelta(seconds=1)
    )
    Answer.objects.filter(response=first, question=built.self_questions[1]).update(
        answered_at=first.privacy_accepted_at + dt.timedelta(minutes=3)
    )
    care = instrument_quality(campaign=built.campaign)["care"]
    minutes = [
        (r.submitted_at - r.privacy_accepted_at).total_seconds() / 60 for r in built.responses
    ]
    assert care["median_minutes"] == approx(statistics.median(minutes))
    assert care["same_level_share"] == approx(6 / PEOPLE)
    assert care["fast_share"] == approx(1 / PEOPLE)


def test_the_task_stores_a_snapshot_and_running_it_twice_changes_nothing(
    db, django_capture_on_commit_callbacks
):
    built = calibrated()
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = quality_request(campaign=built.campaign)
    snapshot.refresh_from_db()
    assert snapshot.status == QualitySnapshot.Status.DONE
    assert snapshot.responses == PEOPLE
    assert snapshot.data == instrument_quality(campaign=built.campaign)
    computed = snapshot.computed_at
    from reports.tasks import build_quality_task

    build_quality_task(snapshot.pk)
    snapshot.refresh_from_db()
    assert snapshot.computed_at == computed


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_the_command_writes_reliability_and_items_with_the_design_columns(db, tmp_path):
    built = calibrated()
    call_command("instrument_quality", built.campaign.code, "--out", str(tmp_path / "q"))
    reliability = read(tmp_path / "q" / "reliability.csv")
    items = read(tmp_path / "q" / "items.csv")
    assert reliability[0] == ["scope", "n", "items", "alpha"]
    assert [row[0] for row in reliability[1:]] == [
        *(q.competency.area.code for q in built.self_questions),
        "knowledge",
    ]
    assert items[0] == ["question_code", "kind", "n", "difficulty", "discrimination", "flags"]
    question = built.knowledge_questions[0]
    # 12 of 36 right: p = 1/3; a single item has no rest score, so no discrimination; options
    # "c" and "dk" are never chosen.
    assert items[1] == [question.code, "knowledge", "36", "0.333333", "", "rare_option"]


def test_the_command_refuses_below_30_responses_and_writes_nothing(db, tmp_path):
    built = build_quality_campaign(self_answers=[[1, 2]] * (MIN_RESPONSES - 1), self_areas=[0, 0])
    with pytest.raises(CommandError, match="at least 30"):
        call_command("instrument_quality", built.campaign.code, "--out", str(tmp_path / "q"))
    assert not (tmp_path / "q").exists()


def test_questions_csv_carries_the_area_code(db):
    built = calibrated()
    rows = {row[0]: row for row in QuestionsExporter(campaign=built.campaign).rows()}
    assert QuestionsExporter.headers == [
        "question_code",
        "competency_code",
        "area_code",
        "kind",
        "correct_option",
    ]
    question = built.knowledge_questions[0]
    assert rows[question.code] == [
        question.code,
        question.competency.code,
        question.competency.area.code,
        Question.Kind.KNOWLEDGE,
        "a",
    ]
