"""The respondent's own data, to download: answers and scores as CSV, everything as JSON."""

import io
import json
from dataclasses import dataclass

from lib.spreadsheets import escape_formula, write_csv

from ..models import Answer, CompetencyScore, Question, Response

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
    return escape_formula(f"{value:.4f}" if isinstance(value, float) else str(value))


def rows_as_csv(*, rows: list[dict], columns: list[str]) -> str:
    """CSV for spreadsheets (lib/spreadsheets.py: BOM, RFC 4180, formula starts escaped)."""
    out = io.StringIO()
    write_csv(out, headers=columns, rows=([_cell(row[c]) for c in columns] for row in rows))
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


@dataclass(frozen=True)
class OwnDataFile:
    filename: str
    content_type: str
    body: str


CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
TABLES = {"answers.csv": (ANSWER_COLUMNS, answer_rows), "results.csv": (SCORE_COLUMNS, score_rows)}


def own_data_file(*, response: Response, what: str) -> OwnDataFile | None:
    """The respondent's download named `what` (answers.csv, results.csv or data.json), named
    after the campaign; None for any other name."""
    if what == "data.json":
        body, content_type = own_data_json(response=response), JSON_TYPE
    elif what in TABLES:
        columns, rows = TABLES[what]
        body, content_type = rows_as_csv(rows=rows(response=response), columns=columns), CSV_TYPE
    else:
        return None
    filename = f"{response.invitation.campaign.code}-{what}"
    return OwnDataFile(filename=filename, content_type=content_type, body=body)
