"""Campaigns with given answers, for the instrument quality tests: every cell of the matrices
is written as an Answer of a submitted response, so the computation reads them as it would
read a real campaign."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Employee
from diagnostic.models import Answer, Campaign, CompetencyScore, Option, Question, Response
from tests.factories import (
    AreaFactory,
    CampaignFactory,
    CompetencyFactory,
    DepartmentFactory,
    InvitationFactory,
    JobRoleFactory,
    QuestionFactory,
    knowledge_question,
)

OPTIONS = ("a", "b", "c", "dk")  # "a" is correct, "dk" is "I don't know"


@dataclass
class Built:
    campaign: Campaign
    self_questions: list[Question]
    knowledge_questions: list[Question]
    responses: list[Response]


def build_quality_campaign(
    *,
    self_answers: list[list[int | None]],
    self_areas: list[int],
    knowledge_answers: list[list[str | None]] | None = None,
    threshold: int = 5,
) -> Built:
    """Respondent r answers self question q with `self_answers[r][q]` (None: unanswered), in
    area `self_areas[q]`; knowledge question k with the option code `knowledge_answers[r][k]`.
    Self question q is the only self question of its own competency; knowledge question k
    belongs to competency k (modulo the number of competencies)."""
    campaign = CampaignFactory(anonymity_threshold=threshold)
    framework = campaign.framework
    areas = [AreaFactory(framework=framework, position=i) for i in range(max(self_areas) + 1)]
    competencies, selfs = [], []
    for q, area in enumerate(self_areas):
        competency = CompetencyFactory(area=areas[area], framework=framework, descriptors=False)
        competencies.append(competency)
        selfs.append(QuestionFactory(competency=competency, kind=Question.Kind.SELF, position=q))
    knowledge_answers = knowledge_answers or [[] for _ in self_answers]
    width = len(knowledge_answers[0]) if knowledge_answers else 0
    knowledge = [
        knowledge_question(competencies[k % len(competencies)], position=100 + k)
        for k in range(width)
    ]
    options = {(o.question_id, o.code): o for o in Option.objects.filter(question__in=knowledge)}
    department, role = DepartmentFactory(), JobRoleFactory()
    campaign.departments.add(department)
    now = timezone.now()
    responses = []
    for r in range(len(self_answers)):
        employee = Employee.objects.create(
            employee_number=f"Q{campaign.pk}-{r:04d}",
            full_name=f"Persona {r}",
            department=department,
            job_role=role,
        )
        invitation = InvitationFactory(
            campaign=campaign, employee=employee, token=secrets.token_urlsafe(24)
        )
        responses.append(
            Response.objects.create(
                invitation=invitation,
                privacy_accepted_at=now - dt.timedelta(minutes=10 + r),
                submitted_at=now,
            )
        )
    answers, scores = [], []
    for response, values, chosen in zip(responses, self_answers, knowledge_answers, strict=True):
        for question, value in zip(selfs, values, strict=True):
            if value is not None:
                answers.append(Answer(response=response, question=question, value=value))
        for question, code in zip(knowledge, chosen, strict=True):
            if code is not None:
                option = options[(question.pk, code)]
                answers.append(Answer(response=response, question=question, option=option))
    Answer.objects.bulk_create(answers)
    # A page a minute after the notice, the next a minute later: unhurried answers.
    for response in responses:
        for i, area in enumerate(areas):
            Answer.objects.filter(response=response, question__competency__area=area).update(
                answered_at=response.privacy_accepted_at + dt.timedelta(minutes=i + 1)
            )
    for response, values, chosen in zip(responses, self_answers, knowledge_answers, strict=True):
        for c, competency in enumerate(competencies):
            if values[c] is None:
                continue
            mine = [chosen[k] for k in range(width) if k % len(competencies) == c]
            k = sum(code == "a" for code in mine) / len(mine) if mine else None
            scores.append(
                CompetencyScore(
                    response=response,
                    campaign=campaign,
                    department=department,
                    job_role=role,
                    competency=competency,
                    self_level=values[c],
                    knowledge_score=k,
                    level=values[c],
                    target=0,
                    importance=1,
                    gap=0,
                    required=False,
                    meets=True,
                )
            )
    CompetencyScore.objects.bulk_create(scores)
    return Built(campaign, selfs, knowledge, responses)
