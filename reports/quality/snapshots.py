"""Instrument quality of a campaign (DESIGN.md "Instrument quality (exact)"), computed by a
task into a stored snapshot that the page and the files read.

Counts (option shares, difficulty, calibration cells, care figures) are grouped in the
database; the matrices that alpha, KR-20 and discrimination need are read once, as codes and
values, and handed to `measures.py`. Nothing is computed below `MIN_RESPONSES` submitted
responses: the snapshot then holds only the count.

The calibration chart is drawn from cells (S, 4K, respondents) of at least the campaign's k,
never from one point per person: framework editors need not be HR. The fitted line and the
per-competency figures use every cell.
"""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.db.models import Case, Count, F, Max, Sum, Value, When
from django.db.models.functions import Abs
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from diagnostic.models import Answer, Campaign, CompetencyScore, Option, Question, Response

from ..models import QualitySnapshot
from ..tasks import build_quality_task
from . import measures

logger = logging.getLogger(__name__)

MIN_RESPONSES = 30
KNOWLEDGE_SCOPE = "knowledge"
FAST_SECONDS_PER_QUESTION = 2
FAR_FROM_KNOWLEDGE = 2  # |S - 4K| at or above this counts as far


def quality_request(*, campaign: Campaign, user=None) -> QualitySnapshot:
    """A new snapshot to compute, enqueued when the transaction commits."""
    snapshot = QualitySnapshot.objects.create(campaign=campaign, requested_by=user)
    transaction.on_commit(lambda: build_quality_task.delay(snapshot.pk))
    return snapshot


def quality_build(*, snapshot_id: int) -> QualitySnapshot:
    """Compute a requested snapshot; one already computed (or failed) is left as it is."""
    with transaction.atomic():
        snapshot = (
            QualitySnapshot.objects.select_for_update()
            .select_related("campaign")
            .get(pk=snapshot_id)
        )
        if snapshot.status in (QualitySnapshot.Status.DONE, QualitySnapshot.Status.FAILED):
            return snapshot
        snapshot.status = QualitySnapshot.Status.RUNNING
        snapshot.save(update_fields=["status"])
    try:
        snapshot.data = instrument_quality(campaign=snapshot.campaign)
        snapshot.responses = snapshot.data["responses"]
        snapshot.status = QualitySnapshot.Status.DONE
        snapshot.computed_at = timezone.now()
    except Exception as error:
        logger.exception("quality snapshot %s failed", snapshot_id)
        snapshot.error = str(error)[:2000]
        snapshot.status = QualitySnapshot.Status.FAILED
    snapshot.save(update_fields=["data", "responses", "status", "computed_at", "error"])
    return snapshot


def instrument_quality(*, campaign: Campaign) -> dict:
    """Every figure of the quality page, as plain data (codes, not names)."""
    submitted = Response.objects.filter(invitation__campaign=campaign, submitted_at__isnull=False)
    count = submitted.count()
    if count < MIN_RESPONSES:
        return {"responses": count}
    answers = Answer.objects.filter(response__in=submitted)
    questions = list(
        Question.objects.filter(framework_id=campaign.framework_id)
        .exclude(kind=Question.Kind.FREQUENCY)
        .values("pk", "code", "kind", "competency__code", "competency__area__code")
        .order_by("competency__area__position", "competency__position", "position", "code")
    )
    respondents = {
        pk: row for row, pk in enumerate(submitted.order_by("pk").values_list("pk", flat=True))
    }
    return {
        "responses": count,
        "reliability": reliability(answers=answers, questions=questions, respondents=respondents),
        "items": knowledge_items(answers=answers, questions=questions, respondents=respondents),
        "calibration": calibration(campaign=campaign, threshold=campaign.anonymity_threshold),
        "care": care(submitted=submitted, answers=answers, questions=questions),
    }


def _matrix(*, answers, questions: list[dict], respondents: dict[int, int], field: str):
    """Respondents x questions of `field` values (NaN where unanswered)."""
    column = {q["pk"]: index for index, q in enumerate(questions)}
    matrix = np.full((len(respondents), len(questions)), np.nan)
    rows = answers.filter(question_id__in=column).values_list("response_id", "question_id", field)
    for response, question, value in rows:
        if value is not None:
            matrix[respondents[response], column[question]] = value
    return matrix


def reliability(*, answers, questions: list[dict], respondents: dict[int, int]) -> list[dict]:
    """Alpha per area over its self questions and KR-20 over the knowledge questions, each on
    complete cases."""
    selfs = [q for q in questions if q["kind"] == Question.Kind.SELF]
    values = _matrix(answers=answers, questions=selfs, respondents=respondents, field="value")
    scopes: dict[str, list[int]] = defaultdict(list)
    for index, question in enumerate(selfs):
        scopes[question["competency__area__code"]].append(index)
    rows = [_alpha_row(scope, values[:, columns]) for scope, columns in scopes.items()]
    knowledge = [q for q in questions if q["kind"] == Question.Kind.KNOWLEDGE]
    scores, answered = _knowledge_scores(
        answers=answers, questions=knowledge, respondents=respondents
    )
    rows.append(_alpha_row(KNOWLEDGE_SCOPE, np.where(answered, scores, np.nan)))
    return rows


def _alpha_row(scope: str, matrix: np.ndarray) -> dict:
    complete = matrix[~np.isnan(matrix).any(axis=1)] if matrix.size else matrix
    items = matrix.shape[1] if matrix.ndim == 2 else 0
    return {
        "scope": scope,
        "n": int(complete.shape[0]) if items else 0,
        "items": items,
        "alpha": measures.cronbach_alpha(complete) if items else None,
    }


def _knowledge_scores(*, answers, questions: list[dict], respondents: dict[int, int]):
    """0/1 scores (an unanswered or "I don't know" answer scores 0) and the answered mask."""
    correct = set(
        Option.objects.filter(
            question_id__in=[q["pk"] for q in questions], is_correct=True
        ).values_list("pk", flat=True)
    )
    options = _matrix(
        answers=answers, questions=questions, respondents=respondents, field="option_id"
    )
    answered = ~np.isnan(options)
    scores = np.zeros(options.shape)
    if correct:
        scores[answered] = np.isin(options[answered], list(correct))
    return scores, answered


def knowledge_items(*, answers, questions: list[dict], respondents: dict[int, int]) -> list[dict]:
    """Per knowledge question: n, difficulty, discrimination, option shares and flags."""
    knowledge = [q for q in questions if q["kind"] == Question.Kind.KNOWLEDGE]
    scores, answered = _knowledge_scores(
        answers=answers, questions=knowledge, respondents=respondents
    )
    chosen = {
        (row["question_id"], row["option_id"]): row["n"]
        for row in answers.filter(question_id__in=[q["pk"] for q in knowledge])
        .values("question_id", "option_id")
        .annotate(n=Count("pk"))
    }
    options = defaultdict(list)
    for option in Option.objects.filter(question_id__in=[q["pk"] for q in knowledge]).order_by(
        "position", "code"
    ):
        options[option.question_id].append(option)
    items = []
    for index, question in enumerate(knowledge):
        n = int(answered[:, index].sum())
        shares = [
            {
                "code": option.code,
                "correct": option.is_correct,
                "dont_know": option.is_dont_know,
                "share": chosen.get((question["pk"], option.pk), 0) / n if n else None,
            }
            for option in options[question["pk"]]
        ]
        difficulty = float(scores[answered[:, index], index].mean()) if n else None
        power = measures.discrimination(scores, answered, index) if n else None
        flags = measures.item_flags(
            difficulty=difficulty,
            discrimination=power,
            shares=[s["share"] for s in shares if s["share"] is not None],
        )
        items.append(
            {
                "question_code": question["code"],
                "competency_code": question["competency__code"],
                "area_code": question["competency__area__code"],
                "kind": question["kind"],
                "n": n,
                "difficulty": difficulty,
                "discrimination": power,
                "options": shares,
                "flags": flags,
            }
        )
    return items


def calibration(*, campaign: Campaign, threshold: int) -> dict:
    """S against 4K per competency with knowledge questions: mean of S - 4K, the share with
    |S - 4K| >= 2, the fitted line; and the chart's cells of at least `threshold` people."""
    difference = F("self_level") - 4 * F("knowledge_score")
    cells = list(
        CompetencyScore.objects.filter(
            campaign=campaign,
            knowledge_score__isnull=False,
            response__submitted_at__isnull=False,
        )
        .values("competency__code", "self_level", "knowledge_score")
        .annotate(
            n=Count("pk"),
            far=Sum(
                Case(
                    When(GreaterThanOrEqual(Abs(difference), FAR_FROM_KNOWLEDGE), then=Value(1)),
                    default=Value(0),
                )
            ),
        )
        .order_by("competency__code", "self_level", "knowledge_score")
    )
    competencies = []
    by_competency = defaultdict(list)
    for cell in cells:
        by_competency[cell["competency__code"]].append(cell)
    for code, rows in by_competency.items():
        competencies.append({"competency_code": code, **_calibration_figures(rows)})
    return {
        "competencies": competencies,
        "overall": _calibration_figures(cells) if cells else None,
        "cells": [
            {"self": c["self_level"], "knowledge": 4 * c["knowledge_score"], "n": c["n"]}
            for c in _merged(cells)
            if c["n"] >= threshold
        ],
    }


def _merged(cells: list[dict]) -> list[dict]:
    """The cells of every competency added together, per (S, K)."""
    merged: dict[tuple, int] = defaultdict(int)
    for cell in cells:
        merged[(cell["self_level"], cell["knowledge_score"])] += cell["n"]
    return [{"self_level": s, "knowledge_score": k, "n": n} for (s, k), n in sorted(merged.items())]


def _calibration_figures(rows: list[dict]) -> dict:
    n = sum(r["n"] for r in rows)
    x = np.array([r["self_level"] for r in rows])
    y = np.array([4 * r["knowledge_score"] for r in rows])
    weights = np.array([r["n"] for r in rows], dtype=float)
    line = measures.fitted_line(x, y, weights)
    return {
        "n": n,
        "mean_self": float(np.average(x, weights=weights)),
        "mean_knowledge": float(np.average(y, weights=weights)),
        "mean_difference": float(np.average(x - y, weights=weights)),
        "share_far": sum(r["far"] for r in rows) / n,
        "slope": line[0] if line else None,
        "intercept": line[1] if line else None,
    }


def care(*, submitted, answers, questions: list[dict]) -> dict:
    """Median minutes from acceptance to submission, the share of responses with a page
    answered faster than 2 seconds a question, the share giving one self level to every
    competency. Shown as figures; no response is ever dropped for them."""
    minutes = [
        (done - accepted).total_seconds() / 60
        for accepted, done in submitted.filter(privacy_accepted_at__isnull=False).values_list(
            "privacy_accepted_at", "submitted_at"
        )
    ]
    count = submitted.count()
    self_count = sum(1 for q in questions if q["kind"] == Question.Kind.SELF)
    same = (
        answers.filter(question__kind=Question.Kind.SELF)
        .values("response_id")
        .annotate(levels=Count("value", distinct=True), answered=Count("pk"))
        .filter(levels=1, answered=self_count)
        .count()
    )
    return {
        "median_minutes": statistics.median(minutes) if minutes else None,
        "fast_share": _fast_responses(submitted=submitted, answers=answers) / count,
        "same_level_share": same / count if self_count > 1 else None,
    }


def _fast_responses(*, submitted, answers) -> int:
    """Responses with a page answered faster than 2 s a question. A page's time runs from the
    last save of the page saved before it (or the acceptance of the notice) to its own last
    save: answers keep the time of their last save only, so this is what can be told."""
    accepted = dict(submitted.values_list("pk", "privacy_accepted_at"))
    pages = defaultdict(list)
    for row in (
        answers.values("response_id", "question__competency__area_id")
        .annotate(last=Max("answered_at"), questions=Count("pk"))
        .order_by("response_id", "last")
    ):
        pages[row["response_id"]].append((row["last"], row["questions"]))
    fast = 0
    for response, saves in pages.items():
        before = accepted.get(response)
        for last, questions in saves:
            if before is not None:
                seconds = (last - before).total_seconds()
                if seconds < FAST_SECONDS_PER_QUESTION * questions:
                    fast += 1
                    break
            before = last
    return fast
