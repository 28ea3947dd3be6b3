"""A respondent's own results and their download, for that respondent only."""

import csv
import io
import json
import math
from dataclasses import dataclass

from .models import Answer, Competency, CompetencyScore, LevelDescriptor, Question, Response

LARGEST_GAPS = 3
# A text cell starting with one of these could run as a formula in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@dataclass(frozen=True)
class CompetencyResult:
    code: str
    name: str
    area: str
    level: float
    target: int
    gap: float
    required: bool
    meets: bool
    usage: float | None
    next_level: int | None
    next_descriptor: str


@dataclass(frozen=True)
class PersonalResults:
    index: float | None
    competencies: list[CompetencyResult]
    strengths: list[CompetencyResult]
    largest_gaps: list[CompetencyResult]
    unscored: list[str]


def personal_results(*, response: Response) -> PersonalResults:
    """Each scored competency against the role's target, strengths and the largest gaps,
    in three queries whatever the size of the framework."""
    scores = list(
        CompetencyScore.objects.filter(response=response)
        .select_related("competency__area")
        .order_by("competency__area__position", "competency__position", "competency__code")
    )
    next_levels = {s.competency_id: min(4, math.floor(s.level) + 1) for s in scores}
    descriptors = {
        (d.competency_id, d.level): d.text
        for d in LevelDescriptor.objects.filter(competency__in=list(next_levels))
    }
    rows = [
        CompetencyResult(
            code=s.competency.code,
            name=s.competency.name,
            area=s.competency.area.name,
            level=s.level,
            target=s.target,
            gap=s.gap,
            required=s.required,
            meets=s.meets,
            usage=s.usage,
            next_level=next_levels[s.competency_id] if s.level < 4 else None,
            next_descriptor=(
                descriptors.get((s.competency_id, next_levels[s.competency_id]), "")
                if s.level < 4
                else ""
            ),
        )
        for s in scores
    ]
    unscored = Competency.objects.filter(
        framework_id=response.invitation.campaign.framework_id
    ).exclude(pk__in=[s.competency_id for s in scores])
    return PersonalResults(
        index=response.index,
        competencies=rows,
        strengths=[r for r in rows if r.required and r.meets],
        largest_gaps=sorted((r for r in rows if r.gap > 0), key=lambda r: (-r.gap, r.code))[
            :LARGEST_GAPS
        ],
        unscored=list(unscored.values_list("name", flat=True)),
    )


# --- the respondent's own download --------------------------------------------------------

ANSWER_COLUMNS = ["question_code", "competency_code", "kind", "value", "correct", "answered_at"]
SCORE_COLUMNS = [
    "competency_code",
    "self_level",
    "knowledge_score",
    "level",
    "target",
    "gap",
    "meets",
    "usage",
]


def answer_rows(*, response: Response) -> list[dict]:
    answers = (
        Answer.objects.filter(response=response)
        .select_related("question__competency", "option")
        .order_by("question__competency__code", "question__position", "question__code")
    )
    return [
        {
            "question_code": a.question.code,
            "competency_code": a.question.competency.code,
            "kind": a.question.kind,
            "value": a.option.code if a.option_id else a.value,
            "correct": (
                int(a.option.is_correct) if a.question.kind == Question.Kind.KNOWLEDGE else None
            ),
            "answered_at": a.answered_at.isoformat(),
        }
        for a in answers
    ]


def _decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_rows(*, response: Response) -> list[dict]:
    scores = CompetencyScore.objects.filter(response=response).select_related("competency")
    return [
        {
            "competency_code": s.competency.code,
            "self_level": _decimal(s.self_level),
            "knowledge_score": _decimal(s.knowledge_score),
            "level": _decimal(s.level),
            "target": s.target,
            "gap": _decimal(s.gap),
            "meets": int(s.meets),
            "usage": _decimal(s.usage),
        }
        for s in scores.order_by("competency__code")
    ]


def _cell(value) -> str:
    if value is None:
        return ""
    text = f"{value:.4f}" if isinstance(value, float) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def rows_as_csv(*, rows: list[dict], columns: list[str]) -> str:
    """CSV for spreadsheets: UTF-8 with a BOM, RFC 4180 quoting, formula starts escaped."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c]) for c in columns])
    return out.getvalue()


def own_data_json(*, response: Response) -> str:
    invitation = response.invitation
    data = {
        "campaign": invitation.campaign.code,
        "employee_number": invitation.employee.employee_number,
        "privacy_accepted_at": _iso(response.privacy_accepted_at),
        "submitted_at": _iso(response.submitted_at),
        "index": _decimal(response.index),
        "answers": answer_rows(response=response),
        "scores": score_rows(response=response),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _iso(value) -> str | None:
    return value.isoformat() if value else None
