"""Scoring, exactly as DESIGN.md "Scoring (exact)" defines it.

`competency_scores` is the formula on plain data; `score_response` loads one response, applies
the formula and stores the result, replacing what was stored before, so running it again
gives the same rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from statistics import fmean

from django.db import transaction
from django.utils import timezone

from ..models import Answer, CompetencyScore, Question, Response, RoleTarget


@dataclass(frozen=True)
class AnswerData:
    competency_id: int
    kind: str
    value: int | None  # level for self, frequency for frequency questions
    correct: bool | None  # knowledge questions only


@dataclass(frozen=True)
class TargetData:
    target_level: int
    importance: int


@dataclass(frozen=True)
class ScoreData:
    competency_id: int
    self_level: float
    knowledge_score: float | None
    level: float
    target: int
    importance: int
    gap: float
    required: bool
    meets: bool
    usage: float | None


def competency_scores(
    *,
    answers: list[AnswerData],
    knowledge_questions: dict[int, int],
    targets: dict[int, TargetData],
    knowledge_weight: float | Decimal | Fraction,
) -> list[ScoreData]:
    """Score one respondent.

    `knowledge_questions` maps each competency to its number of knowledge questions in the
    framework (an unanswered knowledge question counts as not correct). Competencies with no
    `self` answer are unscored and left out.

    The arithmetic is exact (fractions), and only the stored figures are rounded to floats:
    with floats, w = 0.3, S = 3, K = 3/4 gives L = 2.9999999999999996, which would not meet a
    target of 3 and would leave a gap of 4e-16.
    """
    w = Fraction(str(knowledge_weight))
    by_competency: dict[int, list[AnswerData]] = defaultdict(list)
    for answer in answers:
        by_competency[answer.competency_id].append(answer)
    scores = []
    for competency_id, items in sorted(by_competency.items()):
        self_values = [a.value for a in items if a.kind == Question.Kind.SELF]
        if not self_values:
            continue
        s = Fraction(sum(self_values), len(self_values))
        n_knowledge = knowledge_questions.get(competency_id, 0)
        if n_knowledge:
            correct = sum(1 for a in items if a.kind == Question.Kind.KNOWLEDGE and a.correct)
            k = Fraction(min(correct, n_knowledge), n_knowledge)
            level = (1 - w) * s + w * 4 * k
        else:
            k = None
            level = s
        level = min(Fraction(4), max(Fraction(0), level))
        target = targets.get(competency_id, TargetData(0, 1))
        usage_values = [a.value for a in items if a.kind == Question.Kind.FREQUENCY]
        scores.append(
            ScoreData(
                competency_id=competency_id,
                self_level=float(s),
                knowledge_score=None if k is None else float(k),
                level=float(level),
                target=target.target_level,
                importance=target.importance,
                gap=float(max(Fraction(0), target.target_level - level)),
                required=target.target_level > 0,
                meets=level >= target.target_level,
                usage=fmean(usage_values) if usage_values else None,
            )
        )
    return scores


def respondent_index(scores: list[ScoreData]) -> float | None:
    """25 times the mean level over the scored competencies: 0..100."""
    return 25 * fmean(s.level for s in scores) if scores else None


@transaction.atomic
def score_response(*, response: Response) -> list[CompetencyScore]:
    """Compute and store the scores of a submitted response; idempotent."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("invitation__campaign__framework")
        .get(pk=response.pk)
    )
    invitation = response.invitation
    campaign = invitation.campaign
    framework = campaign.framework
    answers = [
        AnswerData(
            competency_id=a.question.competency_id,
            kind=a.question.kind,
            value=a.value,
            correct=(a.option.is_correct if a.option_id else None),
        )
        for a in Answer.objects.filter(
            response=response, question__framework=framework
        ).select_related("question", "option")
    ]
    knowledge_questions: dict[int, int] = defaultdict(int)
    for competency_id in Question.objects.filter(
        framework=framework, kind=Question.Kind.KNOWLEDGE
    ).values_list("competency_id", flat=True):
        knowledge_questions[competency_id] += 1
    targets = {
        t.competency_id: TargetData(t.target_level, t.importance)
        for t in RoleTarget.objects.filter(framework=framework, job_role_id=invitation.job_role_id)
    }
    computed = competency_scores(
        answers=answers,
        knowledge_questions=knowledge_questions,
        targets=targets,
        knowledge_weight=framework.knowledge_weight,
    )
    CompetencyScore.objects.filter(response=response).delete()
    rows = CompetencyScore.objects.bulk_create(
        score_rows(response=response, invitation=invitation, scores=computed)
    )
    response.index = respondent_index(computed)
    response.scored_at = timezone.now()
    response.save(update_fields=["index", "scored_at", "updated_at"])
    return rows


def score_rows(*, response: Response, invitation, scores: list[ScoreData]) -> list[CompetencyScore]:
    """The unsaved score rows of one response, with the invitation's snapshots copied in."""
    return [
        CompetencyScore(
            response=response,
            campaign_id=invitation.campaign_id,
            department_id=invitation.department_id,
            job_role_id=invitation.job_role_id,
            competency_id=s.competency_id,
            self_level=s.self_level,
            knowledge_score=s.knowledge_score,
            level=s.level,
            target=s.target,
            importance=s.importance,
            gap=s.gap,
            required=s.required,
            meets=s.meets,
            usage=s.usage,
        )
        for s in scores
    ]
