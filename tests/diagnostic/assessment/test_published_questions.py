"""What a published version asks, kept in the cache (diagnostic/assessment/published_questions.py):
saves and pages read it and decide exactly as the database would, and never for another version."""

import pytest
from django.core.cache import cache

from diagnostic.assessment import access, questionnaire
from diagnostic.exceptions import InvalidAnswerError
from diagnostic.models import Framework, Question, Response
from tests.factories import (
    AreaFactory,
    CampaignFactory,
    CompetencyFactory,
    EmployeeFactory,
    FrameworkFactory,
    InvitationFactory,
    QuestionFactory,
    ResponseFactory,
)

from .data import field, make_assessment, started

pytestmark = pytest.mark.django_db


def held(assessment) -> Response:
    """The response as a page holds it: with its invitation, campaign and framework."""
    invitation = (
        type(assessment.invitation)
        .objects.select_related("campaign__framework")
        .get(pk=assessment.invitation.pk)
    )
    return access.response_of(invitation=invitation)


def outcome(response, data):
    try:
        return questionnaire.parse_answers(response=response, data=data)
    except InvalidAnswerError as error:
        return str(error.message)


def posts(assessment) -> list[dict]:
    self_q = assessment.of_kind(Question.Kind.SELF)[0]
    knowledge = assessment.of_kind(Question.Kind.KNOWLEDGE)[0]
    frequency = assessment.of_kind(Question.Kind.FREQUENCY)[0]
    right = str(assessment.correct_option(knowledge).pk)
    other = assessment.of_kind(Question.Kind.KNOWLEDGE)[1]
    return [
        {field(self_q): "4", field(frequency): " 0 ", field(knowledge): right},
        {field(self_q): "5"},
        {field(self_q): "-1"},
        {field(self_q): "tres"},
        {field(frequency): ""},
        {field(knowledge): "999999"},  # a number, but not one of its options
        {field(knowledge): str(assessment.correct_option(other).pk)},  # another question's
        {field(self_q): "2", "q999999": "1"},
        {"csrfmiddlewaretoken": "x", "action": "stay"},
    ]


def test_saves_decide_from_the_kept_rules_as_from_the_database():
    assessment = make_assessment()
    started(assessment)
    fast, slow = held(assessment), Response.objects.get(invitation=assessment.invitation)
    assert questionnaire._loaded_framework(slow) is None  # reads the questions as before
    for data in posts(assessment):
        assert outcome(fast, data) == outcome(slow, data), data
    results = [outcome(fast, data) for data in posts(assessment)]
    assert isinstance(results[0], list) and len(results[0]) == 3 and results[-1] == []
    assert all(isinstance(r, str) for r in results[1:-1])  # each refused, with its message


def test_kept_rules_do_not_read_the_database_again(django_assert_num_queries):
    assessment = make_assessment()
    started(assessment)
    response = held(assessment)
    data = posts(assessment)[0]
    questionnaire.parse_answers(response=response, data=data)
    with django_assert_num_queries(0):
        questionnaire.parse_answers(response=response, data=data)


def test_the_counter_total_is_the_version_s_number_of_questions():
    assessment = make_assessment(areas=3)
    started(assessment)
    _answered, total = questionnaire.progress(response=held(assessment))
    assert total == len(assessment.questions) == 18


def test_a_question_of_another_version_is_refused_even_once_rules_are_kept():
    old = make_assessment()
    started(old)
    questionnaire.parse_answers(response=held(old), data={field(old.questions[0]): "1"})
    new_framework = FrameworkFactory(code=old.campaign.framework.code, version=2)
    area = AreaFactory(framework=new_framework)
    QuestionFactory(competency=CompetencyFactory(area=area, framework=new_framework))
    invitation = InvitationFactory(
        campaign=CampaignFactory(framework=new_framework), employee=EmployeeFactory()
    )
    ResponseFactory(invitation=invitation)
    invitation = (
        type(invitation).objects.select_related("campaign__framework").get(pk=invitation.pk)
    )
    response = access.response_of(invitation=invitation)
    with pytest.raises(InvalidAnswerError):
        questionnaire.parse_answers(response=response, data={field(old.questions[0]): "1"})


def test_a_draft_s_areas_and_rules_are_read_each_time():
    framework = FrameworkFactory(status=Framework.Status.DRAFT)
    campaign = CampaignFactory(framework=framework)
    competency = CompetencyFactory(area=AreaFactory(framework=framework), framework=framework)
    QuestionFactory(competency=competency)
    assert [a.question_count for a in questionnaire.areas_of(campaign=campaign)] == [1]
    QuestionFactory(competency=competency)
    assert [a.question_count for a in questionnaire.areas_of(campaign=campaign)] == [2]
    assert len(questionnaire.answer_rules(framework=framework)) == 2


def test_published_areas_come_from_the_cache_and_equal_the_database(django_assert_num_queries):
    assessment = make_assessment(areas=3)
    campaign = (
        type(assessment.campaign).objects.select_related("framework").get(pk=assessment.campaign.pk)
    )
    first = questionnaire.areas_of(campaign=campaign)
    with django_assert_num_queries(0):
        again = questionnaire.areas_of(campaign=campaign)
    assert [(a.pk, a.code, a.question_count) for a in again] == [
        (a.pk, a.code, 6) for a in assessment.areas
    ]
    assert [a.pk for a in first] == [a.pk for a in again]
    cache.clear()
    with django_assert_num_queries(1):
        questionnaire.areas_of(campaign=campaign)
