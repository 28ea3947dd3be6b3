"""A small campaign to answer, shared by the questionnaire, scoring and results tests."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from diagnostic.assessment import access
from diagnostic.models import Area, Invitation, Option, PrivacyNotice, Question, Response
from tests.factories import (
    AreaFactory,
    CampaignFactory,
    CompetencyFactory,
    EmployeeFactory,
    FrameworkFactory,
    InvitationFactory,
    QuestionFactory,
    ResponseFactory,
    RoleTargetFactory,
    knowledge_question,
)


@dataclass
class Assessment:
    invitation: Invitation
    areas: list[Area]
    questions: list[Question] = field(default_factory=list)

    @property
    def token(self) -> str:
        return self.invitation.token

    @property
    def campaign(self):
        return self.invitation.campaign

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"assessment:{name}", kwargs={"token": self.token, **kwargs})

    def area_url(self, number: int) -> str:
        return self.url("area", code=self.areas[number].code)

    def of_kind(self, kind: str) -> list[Question]:
        return [q for q in self.questions if q.kind == kind]

    def correct_option(self, question: Question) -> Option:
        return question.options.get(is_correct=True)

    def response(self) -> Response:
        return Response.objects.get(invitation=self.invitation)


def make_assessment(
    *,
    employee=None,
    areas: int = 2,
    competencies: int = 2,
    target: int = 2,
    campaign=None,
    **campaign_fields,
) -> Assessment:
    """Each competency has one self, one knowledge and one frequency question; the role's
    target is `target` for every competency."""
    if campaign is None:
        framework = FrameworkFactory()
        campaign = CampaignFactory(framework=framework, **campaign_fields)
    framework = campaign.framework
    employee = employee or EmployeeFactory()
    made_areas, questions = [], []
    for a in range(areas):
        area = AreaFactory(framework=framework, position=a)
        made_areas.append(area)
        for _c in range(competencies):
            competency = CompetencyFactory(area=area, framework=framework)
            questions.append(QuestionFactory(competency=competency, kind=Question.Kind.SELF))
            questions.append(knowledge_question(competency))
            questions.append(QuestionFactory(competency=competency, kind=Question.Kind.FREQUENCY))
            RoleTargetFactory(
                competency=competency, job_role=employee.job_role, target_level=target
            )
    invitation = InvitationFactory(campaign=campaign, employee=employee)
    return Assessment(invitation=invitation, areas=made_areas, questions=questions)


def started(assessment: Assessment) -> Response:
    """The response after the privacy notice was accepted."""
    return ResponseFactory(invitation=assessment.invitation)


def privacy_notice(version: int = 1) -> PrivacyNotice:
    """The site's latest notice, with known texts: it replaces the versions the data migrations
    ship from `version` on (no campaign has launched with them yet)."""
    PrivacyNotice.objects.filter(version__gt=version).delete()
    notice, _ = PrivacyNotice.objects.update_or_create(
        version=version,
        defaults={
            "short_text_es_mx": f"Aviso corto v{version}",
            "short_text_en": f"Short notice v{version}",
            "full_text_es_mx": f"Aviso integral v{version}",
            "full_text_en": f"Full notice v{version}",
        },
    )
    return notice


def open_link(client, assessment: Assessment):
    """Follow the invitation link, as the e-mail's reader does."""
    return client.get(assessment.url("start"))


def open_as_submitter(client, assessment: Assessment):
    """Follow the link in the session that submitted: it holds the right to read the results
    that a submission (or the results code) gives, without going through the questionnaire."""
    reply = open_link(client, assessment)
    session = client.session
    access.grant_results(session=session, invitation=assessment.invitation)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return reply


def field(question: Question) -> str:
    return f"q{question.pk}"
