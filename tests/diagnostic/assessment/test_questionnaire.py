"""The employee's way through: link, privacy notice, one page per area, saves, review, submit."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from diagnostic.assessment import questionnaire
from diagnostic.assessment.access import SESSION_KEY
from diagnostic.assessment.scoring import score_response
from diagnostic.exceptions import AlreadySubmittedError, PrivacyNoticeNotAcceptedError
from diagnostic.models import Answer, Campaign, CompetencyScore, Question, Response
from tests.factories import (
    EmployeeFactory,
    InvitationFactory,
    QuestionFactory,
    ResponseFactory,
    knowledge_question,
)

from .data import field, make_assessment, open_link, privacy_notice, started

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data):
        self.chunks.append(data)


def answers_of(assessment) -> dict[str, object]:
    return {
        a.question.code: a.option.code if a.option_id else a.value
        for a in Answer.objects.filter(response__invitation=assessment.invitation).select_related(
            "question", "option"
        )
    }


# --- the link and the privacy notice ------------------------------------------------------


def test_invitation_link_binds_a_new_session_and_asks_for_the_privacy_notice(client):
    assessment = make_assessment()
    client.get("/accounts/login/")
    before = client.session.session_key
    response = open_link(client, assessment)
    assert response.status_code == 302
    assert response["Location"] == assessment.url("privacy")
    assert client.session[SESSION_KEY] == [assessment.invitation.pk]
    assert client.session.session_key != before
    assert Response.objects.filter(invitation=assessment.invitation).exists()


def test_privacy_page_shows_the_campaign_notice_short_and_full(client):
    privacy_notice(version=2)
    assessment = make_assessment(privacy_notice=privacy_notice(version=1))
    open_link(client, assessment)
    body = client.get(assessment.url("privacy")).content.decode()
    assert "Aviso corto v1" in body
    assert "<details" in body and "Aviso integral v1" in body
    assert "No deseo participar" in body


def test_privacy_page_falls_back_to_the_latest_notice(client):
    privacy_notice(version=1)
    privacy_notice(version=3)
    assessment = make_assessment()
    open_link(client, assessment)
    body = client.get(assessment.url("privacy")).content.decode()
    assert "Aviso corto v3" in body


def test_accepting_the_notice_records_it_once_and_opens_the_first_area(client):
    notice = privacy_notice()
    assessment = make_assessment()
    open_link(client, assessment)
    client.post(assessment.url("privacy"), {"decision": "accept"})
    first = assessment.response().privacy_accepted_at
    response = client.post(assessment.url("privacy"), {"decision": "accept"})
    assert assessment.response().privacy_accepted_at == first
    assert assessment.response().privacy_notice == notice
    assert client.get(response["Location"])["Location"] == assessment.area_url(0)


def test_declining_removes_the_draft_and_says_participation_is_voluntary(client):
    assessment = make_assessment()
    response = started(assessment)
    Answer.objects.create(response=response, question=assessment.questions[0], value=2)
    open_link(client, assessment)
    reply = client.post(assessment.url("privacy"), {"decision": "decline"}, follow=True)
    assert "Usted eligió no participar" in reply.content.decode()
    assert not Response.objects.filter(invitation=assessment.invitation).exists()
    assert Answer.objects.count() == 0
    assessment.invitation.refresh_from_db()
    assert assessment.invitation.declined_at is not None


def test_taking_part_after_declining_clears_the_refusal(client):
    assessment = make_assessment()
    open_link(client, assessment)
    client.post(assessment.url("privacy"), {"decision": "decline"})
    open_link(client, assessment)
    client.post(assessment.url("privacy"), {"decision": "accept"})
    assessment.invitation.refresh_from_db()
    assert assessment.invitation.declined_at is None
    assert assessment.response().privacy_accepted_at is not None


def test_someone_who_started_can_still_stop_taking_part(client):
    assessment = make_assessment()
    response = started(assessment)
    Answer.objects.create(response=response, question=assessment.questions[0], value=2)
    open_link(client, assessment)
    page = client.get(assessment.area_url(0)).content.decode()
    assert f'href="{assessment.url("privacy")}"' in page and "dejar de participar" in page
    client.post(assessment.url("privacy"), {"decision": "decline"})
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_answering_before_accepting_the_notice_is_refused(client):
    assessment = make_assessment()
    open_link(client, assessment)
    question = assessment.of_kind(Question.Kind.SELF)[0]
    reply = client.post(assessment.url("save"), {field(question): "2"}, **HTMX)
    assert reply.status_code == 400
    assert 'role="alert"' in reply.content.decode()
    assert client.get(assessment.area_url(0))["Location"] == assessment.url("privacy")
    assert Answer.objects.count() == 0


def submitted_state(assessment) -> tuple:
    """What a submission leaves behind: the answers, the response's times and its scores."""
    response = assessment.response()
    scores = CompetencyScore.objects.filter(response=response)
    return (
        answers_of(assessment),
        response.submitted_at,
        response.scored_at,
        sorted(scores.values_list("competency_id", "level", "target", "gap")),
    )


def submitted(assessment, value: int = 3) -> Response:
    """The response with every self question answered `value`, submitted and scored."""
    response = started(assessment)
    for question in assessment.of_kind(Question.Kind.SELF):
        Answer.objects.create(response=response, question=question, value=value)
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    score_response(response=response)
    return response


def test_submitting_before_the_notice_is_accepted_is_refused_and_writes_nothing(
    django_capture_on_commit_callbacks,
):
    assessment = make_assessment()
    response = ResponseFactory(invitation=assessment.invitation, privacy_accepted_at=None)
    Answer.objects.create(response=response, question=assessment.questions[0], value=3)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PrivacyNoticeNotAcceptedError),
    ):
        questionnaire.submit_response(response=response)
    response.refresh_from_db()
    assert (response.submitted_at, response.scored_at) == (None, None)
    assert not CompetencyScore.objects.exists() and callbacks == []


@pytest.mark.parametrize("has_response", [True, False], ids=["notice not accepted", "no response"])
def test_the_submit_page_refuses_a_submission_before_the_notice(client, has_response):
    assessment = make_assessment()
    if has_response:
        open_link(client, assessment)  # the response exists, its notice not accepted yet
        Answer.objects.create(
            response=assessment.response(), question=assessment.questions[0], value=3
        )
    else:
        client.get(assessment.url("declined"))  # binds the session, starts no response
    reply = client.post(assessment.url("submit"))
    assert reply.status_code == 400
    assert "acepte el aviso de privacidad" in reply.content.decode()
    assert Response.objects.count() == int(has_response)
    assert not Response.objects.filter(submitted_at__isnull=False).exists()
    assert not CompetencyScore.objects.exists()


def test_declining_after_submission_keeps_the_submitted_response():
    assessment = make_assessment()
    submitted(assessment)
    before = submitted_state(assessment)
    questionnaire.decline(invitation=assessment.invitation)
    assert submitted_state(assessment) == before
    assert before[0] and before[1] is not None and before[3]


def test_the_privacy_page_refuses_to_decline_after_submission(client):
    assessment = make_assessment()
    submitted(assessment)
    before = submitted_state(assessment)
    open_link(client, assessment)
    reply = client.post(assessment.url("privacy"), {"decision": "decline"})
    assert reply.status_code == 400
    assert submitted_state(assessment) == before
    assessment.invitation.refresh_from_db()
    assert assessment.invitation.declined_at is None


@pytest.mark.parametrize("save", ["save_answers", "save_and_count"])
def test_a_save_through_a_response_submitted_meanwhile_elsewhere_writes_nothing(save):
    assessment = make_assessment()
    started(assessment)
    first, second = assessment.of_kind(Question.Kind.SELF)[:2]
    Answer.objects.create(response=assessment.response(), question=first, value=1)
    stale = Response.objects.select_related("invitation__campaign").get(
        invitation=assessment.invitation
    )
    other_tab = Response.objects.select_related("invitation__campaign").get(pk=stale.pk)
    assert questionnaire.submit_response(response=other_tab) is not None
    assert stale.submitted_at is None  # in memory it is still a draft
    answers = [
        questionnaire.AnswerInput(question_id=first.pk, value=4, option_id=None),
        questionnaire.AnswerInput(question_id=second.pk, value=2, option_id=None),
    ]
    with pytest.raises(AlreadySubmittedError):
        getattr(questionnaire, save)(response=stale, answers=answers)
    assert answers_of(assessment) == {first.code: 1}


def test_a_save_counts_each_answered_question_once_and_the_later_answer_wins():
    assessment = make_assessment()
    response = started(assessment)
    first, second, third = assessment.of_kind(Question.Kind.SELF)[:3]
    option = assessment.of_kind(Question.Kind.KNOWLEDGE)[0].options.first()
    elsewhere = make_assessment(employee=assessment.invitation.employee)  # another framework
    Answer.objects.create(
        response=started(elsewhere), question=elsewhere.of_kind(Question.Kind.SELF)[0], value=1
    )

    def save(*answers):
        held = Response.objects.select_related("invitation__campaign").get(pk=response.pk)
        return questionnaire.save_and_count(response=held, answers=list(answers))

    def given(question, value=None, option_id=None):
        return questionnaire.AnswerInput(question_id=question.pk, value=value, option_id=option_id)

    assert save(given(first, 1), given(second, 2)) == 2
    assert save(given(second, 4), given(third, 0)) == 3
    assert save(given(option.question, option_id=option.pk)) == 4
    assert save() == 4
    assert answers_of(assessment) == {
        first.code: 1, second.code: 4, third.code: 0, option.question.code: option.code
    }  # fmt: skip


# --- the pages ----------------------------------------------------------------------------


def test_area_page_shows_progress_and_the_choices_of_each_kind(client):
    assessment = make_assessment(areas=3)
    started(assessment)
    open_link(client, assessment)
    body = client.get(assessment.area_url(1)).content.decode()
    assert "Área 2 de 3" in body
    competency = assessment.questions[6].competency
    for level in range(5):
        assert f"Nivel {level} de {competency.code}" in body  # the descriptors of a self question
    assert "Opción a" in body and "No sé" in body  # a knowledge question and its options
    assert "Algunas veces al año" in body  # the frequency scale
    assert body.count("<fieldset") == 6 and body.count("<legend") == 6


def test_targets_are_not_shown_while_answering(client, settings):
    assessment = make_assessment(target=3)
    started(assessment)
    open_link(client, assessment)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(assessment.area_url(0)).content.decode()
    parser = VisibleText()
    parser.feed(body)
    assert "target" not in " ".join(parser.chunks).lower()


def test_an_answer_is_saved_as_it_is_given(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    question = assessment.of_kind(Question.Kind.SELF)[0]
    reply = client.post(assessment.url("save"), {field(question): "3"}, **HTMX)
    assert reply.status_code == 200
    assert "Respuesta guardada" in reply.content.decode()
    assert answers_of(assessment) == {question.code: 3}


def test_each_save_brings_the_counter_and_the_progress_bar_up_to_date(client):
    assessment = make_assessment()  # 2 areas x 2 competencies x 3 questions
    started(assessment)
    open_link(client, assessment)
    page = client.get(assessment.area_url(0)).content.decode()
    assert "0 de 12 preguntas respondidas" in page and 'aria-valuenow="0"' in page
    first, second = assessment.questions[:2]
    client.post(assessment.url("save"), {field(first): "3"}, **HTMX)
    reply = client.post(
        assessment.url("save"), {field(second): str(assessment.correct_option(second).pk)}, **HTMX
    ).content.decode()
    assert 'id="answered-count" hx-swap-oob="innerHTML"' in reply
    assert "2 de 12 preguntas respondidas" in reply
    assert 'id="answer-progress" hx-swap-oob="true"' in reply
    assert 'aria-valuenow="2"' in reply and 'aria-valuemax="12"' in reply


def test_changing_page_saves_the_whole_form_without_javascript(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    self_q, knowledge_q, frequency_q = assessment.questions[:3]
    data = {
        field(self_q): "2",
        field(knowledge_q): str(assessment.correct_option(knowledge_q).pk),
        field(frequency_q): "4",
        "action": "next",
    }
    reply = client.post(assessment.area_url(0), data)
    assert reply["Location"] == assessment.area_url(1)
    assert answers_of(assessment) == {self_q.code: 2, knowledge_q.code: "a", frequency_q.code: 4}
    reply = client.post(assessment.area_url(1), {"action": "previous"})
    assert reply["Location"] == assessment.area_url(0)
    reply = client.post(assessment.area_url(1), {"action": "review"})
    assert reply["Location"] == assessment.url("review")


def test_resuming_from_another_device_shows_the_answers_exactly(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    self_q, knowledge_q = assessment.questions[:2]
    option = assessment.correct_option(knowledge_q)
    client.post(assessment.area_url(0), {field(self_q): "1", field(knowledge_q): str(option.pk)})

    phone = Client()
    reply = open_link(phone, assessment)
    assert reply["Location"] == assessment.area_url(0)  # the first page with an unanswered one
    body = phone.get(assessment.area_url(0)).content.decode()
    assert f'name="{field(self_q)}" id="{field(self_q)}-2" value="1" checked' in body
    assert f'value="{option.pk}" checked' in body
    assert body.count(" checked") == 2


def test_answers_come_back_after_the_session_expires(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    question = assessment.questions[0]
    client.post(assessment.url("save"), {field(question): "4"}, **HTMX)
    client.session.flush()
    client.cookies.pop("sessionid", None)
    # an open page keeps saving: the token in its URL binds the new session
    later = assessment.questions[2]
    assert client.post(assessment.url("save"), {field(later): "1"}, **HTMX).status_code == 200
    body = client.get(assessment.area_url(0)).content.decode()
    assert 'value="4" checked' in body and 'value="1" checked' in body
    assert answers_of(assessment) == {question.code: 4, later.code: 1}


def test_two_tabs_keep_both_answers_and_the_later_save_of_a_question_wins(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    first, second = assessment.questions[0], assessment.questions[2]
    client.post(assessment.area_url(0), {field(first): "1", "action": "stay"})  # tab one
    client.post(assessment.url("save"), {field(second): "3"}, **HTMX)  # tab two
    client.post(assessment.url("save"), {field(first): "4"}, **HTMX)  # tab two, later
    assert answers_of(assessment) == {first.code: 4, second.code: 3}
    assert 'value="4" checked' in client.get(assessment.area_url(0)).content.decode()


def test_a_retried_save_leaves_the_same_single_answer(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    question = assessment.questions[0]
    for _attempt in range(3):
        assert (
            client.post(assessment.url("save"), {field(question): "2"}, **HTMX).status_code == 200
        )
    assert Answer.objects.filter(question=question).count() == 1
    assert answers_of(assessment) == {question.code: 2}


def test_review_lists_the_unanswered_questions_with_links(client):
    assessment = make_assessment()
    response = started(assessment)
    for question in assessment.questions[1:]:
        if question.kind == Question.Kind.KNOWLEDGE:
            option = assessment.correct_option(question)
            Answer.objects.create(response=response, question=question, option=option)
        else:
            Answer.objects.create(response=response, question=question, value=1)
    open_link(client, assessment)
    body = client.get(assessment.url("review")).content.decode()
    missing = assessment.questions[0]
    assert f'href="{assessment.area_url(0)}#{field(missing)}"' in body
    assert body.count("#q") == 1


def test_submitting_scores_the_response_and_shows_the_results(
    client, django_capture_on_commit_callbacks
):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    self_q = assessment.questions[0]
    client.post(assessment.url("save"), {field(self_q): "3"}, **HTMX)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = client.post(assessment.url("submit"))
    assert reply["Location"] == assessment.url("results")
    assert len(callbacks) == 2  # the scoring task and the results-code e-mail
    response = assessment.response()
    assert response.submitted_at is not None and response.scored_at is not None
    assert CompetencyScore.objects.get(response=response).self_level == 3


def test_a_double_submit_is_the_same_as_one(client, django_capture_on_commit_callbacks):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(assessment.url("submit"))
        first = assessment.response().submitted_at
        reply = client.post(assessment.url("submit"))
    assert reply["Location"] == assessment.url("results")
    assert assessment.response().submitted_at == first
    assert len(callbacks) == 2  # of the first submit: the scoring task and the code e-mail


def test_answers_cannot_change_after_submission(client):
    assessment = make_assessment()
    response = started(assessment)
    Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
    open_link(client, assessment)
    reply = client.post(assessment.url("save"), {field(assessment.questions[0]): "2"}, **HTMX)
    assert reply.status_code == 400
    assert "ya se enviaron" in reply.content.decode()
    assert client.get(assessment.area_url(0))["Location"] == assessment.url("results")
    assert Answer.objects.count() == 0


def test_campaign_closed_while_answering_keeps_the_drafts_and_says_so(client):
    assessment = make_assessment()
    response = started(assessment)
    open_link(client, assessment)
    question = assessment.questions[0]
    client.post(assessment.url("save"), {field(question): "2"}, **HTMX)
    assessment.campaign.closed_at = timezone.now()
    assessment.campaign.save()

    page = client.get(assessment.area_url(0))
    assert page.status_code == 403
    body = page.content.decode()
    assert "La evaluación no está abierta" in body and "The assessment is not open" in body
    reply = client.post(assessment.url("save"), {field(question): "4"}, **HTMX)
    assert reply.status_code == 400 and 'role="alert"' in reply.content.decode()
    assert client.post(assessment.url("submit")).status_code == 400
    assert answers_of(assessment) == {question.code: 2}
    assert Response.objects.get(pk=response.pk).submitted_at is None


def test_after_hr_extends_a_lapsed_campaign_the_drafts_are_there(client):
    assessment = make_assessment()
    response = started(assessment)
    question = assessment.questions[0]
    Answer.objects.create(response=response, question=question, value=3)
    Campaign.objects.update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    assert open_link(client, assessment).status_code == 403

    Campaign.objects.update(closes_at=timezone.now() + dt.timedelta(days=7))
    assert open_link(client, assessment)["Location"] == assessment.area_url(0)
    assert f'name="{field(question)}" id="{field(question)}-4" value="3" checked' in (
        client.get(assessment.area_url(0)).content.decode()
    )


# --- invalid posts write nothing ----------------------------------------------------------


def invalid_post(case: str, assessment) -> dict:
    self_q, knowledge_q = assessment.questions[0], assessment.questions[1]
    if case == "value out of range":
        return {field(self_q): "5"}
    if case == "not a number":
        return {field(self_q): "tres"}
    if case == "question of another framework":
        return {field(QuestionFactory()): "2"}
    if case == "option of another question":
        other = knowledge_question(assessment.questions[4].competency)
        return {field(knowledge_q): str(other.options.first().pk)}
    if case == "value for a knowledge question":
        return {field(knowledge_q): "0"}  # a level, where an option is expected
    if case == "malformed field":
        return {"q1x": "2"}
    raise AssertionError(case)


CASES = [
    "value out of range",
    "not a number",
    "question of another framework",
    "option of another question",
    "value for a knowledge question",
    "malformed field",
]


@pytest.mark.parametrize("case", CASES)
def test_an_invalid_htmx_save_is_refused_with_an_inline_alert_and_writes_nothing(client, case):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    valid = {field(assessment.questions[2]): "3"}
    reply = client.post(assessment.url("save"), {**valid, **invalid_post(case, assessment)}, **HTMX)
    assert reply.status_code == 400
    body = reply.content.decode()
    assert 'role="alert"' in body and "no se guardó nada" in body
    assert Answer.objects.count() == 0


@pytest.mark.parametrize("case", CASES)
def test_an_invalid_page_post_says_what_and_where_and_writes_nothing(client, case):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    data = {field(assessment.questions[2]): "3", **invalid_post(case, assessment), "action": "next"}
    reply = client.post(assessment.area_url(0), data)
    assert reply.status_code == 400
    body = reply.content.decode()
    assert 'role="alert"' in body
    if case in {"value out of range", "not a number"}:
        assert assessment.questions[0].code in body and assessment.areas[0].name in body
    assert Answer.objects.count() == 0


def test_another_persons_token_is_not_found_on_inner_pages(client):
    mine = make_assessment()
    theirs = make_assessment()
    started(mine)
    started(theirs)
    open_link(client, mine)
    reply = client.post(theirs.url("save"), {field(theirs.questions[0]): "2"}, **HTMX)
    assert reply.status_code == 404
    assert client.get(theirs.area_url(0)).status_code == 404
    assert client.get(theirs.url("results")).status_code == 404
    assert Answer.objects.count() == 0


def test_one_person_may_have_two_campaigns_open_in_two_tabs(client):
    employee = EmployeeFactory()
    first, second = make_assessment(employee=employee), make_assessment(employee=employee)
    started(first)
    started(second)
    open_link(client, first)
    open_link(client, second)
    assert client.get(first.area_url(0)).status_code == 200
    assert client.get(second.area_url(0)).status_code == 200


def test_on_a_shared_computer_the_next_persons_link_forgets_the_previous_one(client):
    previous, theirs = make_assessment(), make_assessment()
    started(previous)
    started(theirs)
    open_link(client, previous)
    open_link(client, theirs)
    assert client.session[SESSION_KEY] == [theirs.invitation.pk]
    assert client.get(previous.area_url(0)).status_code == 404


def test_an_unknown_token_gets_a_bilingual_not_found_page(client):
    reply = client.get("/a/no-such-token/")
    assert reply.status_code == 404
    body = reply.content.decode()
    assert "Enlace no válido" in body and "Link not valid" in body
    assert 'lang="en"' in body


def test_a_signed_in_person_cannot_use_someone_elses_link(client, employee, other_employee):
    theirs = make_assessment(employee=other_employee.employee)
    client.force_login(employee)
    assert open_link(client, theirs).status_code == 404
    assert not Response.objects.exists()


def test_an_inactive_employee_is_refused(client):
    assessment = make_assessment(employee=EmployeeFactory(active=False))
    reply = open_link(client, assessment)
    assert reply.status_code == 403
    assert "ya no aparece" in reply.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "campaign_fields",
    [
        {"launched_at": None},
        {"opens_at": timezone.now() + dt.timedelta(days=1)},
        {
            "opens_at": timezone.now() - dt.timedelta(days=10),
            "closes_at": timezone.now() - dt.timedelta(days=1),
        },
        {"closed_at": timezone.now()},
    ],
    ids=["not launched", "not yet open", "past its closing date", "closed by HR"],
)
def test_the_link_works_only_while_the_campaign_is_open(client, campaign_fields):
    assessment = make_assessment(**campaign_fields)
    reply = open_link(client, assessment)
    assert reply.status_code == 403
    assert "La evaluación no está abierta" in reply.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "campaign_fields",
    [
        {},
        {"launched_at": None},
        {"opens_at": timezone.now() + dt.timedelta(days=1)},
        {"closes_at": timezone.now() - dt.timedelta(seconds=1)},
        {"closed_at": timezone.now()},
    ],
)
def test_open_campaigns_by_query_and_by_instance_agree(campaign_fields):
    campaign = make_assessment(**campaign_fields).campaign
    assert Campaign.objects.open().filter(pk=campaign.pk).exists() is campaign.is_open()
    assert campaign.is_open() is (campaign_fields == {})


def test_results_stay_readable_after_the_campaign_closes_in_the_session_that_submitted(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    client.post(assessment.url("submit"))
    Campaign.objects.update(closed_at=timezone.now())
    assert open_link(client, assessment)["Location"] == assessment.url("results")
    assert client.get(assessment.url("results")).status_code == 200


def test_the_same_person_cannot_reuse_a_token_in_another_campaign(client):
    employee = EmployeeFactory()
    first = make_assessment(employee=employee)
    second = make_assessment(employee=employee)
    started(first)
    started(second)
    open_link(client, first)
    # the second campaign's page with the first campaign's token does not exist
    reply = client.get(first.url("area", code=second.areas[0].code))
    assert reply.status_code == 404


# --- signed-in employees ------------------------------------------------------------------


def test_my_assessments_lists_the_open_campaigns_of_the_signed_in_employee(
    client, employee, other_employee
):
    mine = make_assessment(employee=employee.employee)
    closed = make_assessment(employee=employee.employee, closed_at=timezone.now())
    theirs = make_assessment(employee=other_employee.employee)
    client.force_login(employee)
    body = client.get("/a/").content.decode()
    assert mine.url("start") in body
    assert closed.url("start") not in body and theirs.url("start") not in body
    home = client.get("/").content.decode()
    assert 'href="/a/"' in home and "Mi evaluación" in home


def test_my_assessments_links_to_results_once_submitted(client, employee):
    assessment = make_assessment(employee=employee.employee)
    Response.objects.filter(pk=started(assessment).pk).update(submitted_at=timezone.now())
    client.force_login(employee)
    assert assessment.url("results") in client.get("/a/").content.decode()


# --- a constant number of queries ---------------------------------------------------------


@pytest.mark.parametrize("competencies", [1, 8])
def test_area_page_queries_do_not_grow_with_the_questions(
    client, django_assert_num_queries, competencies
):
    assessment = make_assessment(competencies=competencies)
    started(assessment)
    open_link(client, assessment)
    with django_assert_num_queries(10):  # the first visit renders the published questions
        assert client.get(assessment.area_url(0)).status_code == 200
    with django_assert_num_queries(6):  # later ones find them rendered, and the list of areas
        assert client.get(assessment.area_url(0)).status_code == 200


@pytest.mark.parametrize("competencies", [1, 8])
def test_saving_answers_takes_the_same_queries_for_one_or_many(
    client, django_assert_num_queries, competencies
):
    assessment = make_assessment(competencies=competencies)
    started(assessment)
    open_link(client, assessment)
    data = {
        field(q): "2" for q in assessment.questions[: 3 * competencies] if q.kind != "knowledge"
    }
    # The first save reads what the published version accepts (its questions and options),
    # with the counter's answered questions; the total is the number of questions it read.
    # PostgreSQL saves and counts in one statement, outside a transaction (four fewer).
    fewer = 4 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(12 - fewer):
        assert client.post(assessment.url("save"), data, **HTMX).status_code == 200
    with django_assert_num_queries(10 - fewer):  # later saves find the version's questions kept
        assert client.post(assessment.url("save"), data, **HTMX).status_code == 200
    with django_assert_num_queries(10):  # and the list of areas, to know where to go next
        reply = client.post(assessment.area_url(0), {**data, "action": "stay"})
        assert reply.status_code == 302


def test_invitation_factory_gives_each_campaign_its_own_token():
    first, second = InvitationFactory(), InvitationFactory(employee=EmployeeFactory())
    assert first.token != second.token


def test_area_links_are_the_addresses_reverse_gives_for_any_area_code():
    from django.urls import reverse

    from diagnostic.assessment.views import area_links
    from diagnostic.models import Area

    areas = [Area(code=code) for code in ["A1", "Á 1", "a.b~c-d_e", "x%y", "q?&"]]
    links = area_links(areas=areas, token="tok-EN")
    assert [url for _area, url in links] == [
        reverse("assessment:area", kwargs={"token": "tok-EN", "code": area.code}) for area in areas
    ]
    assert links[1][1].endswith("/area/%C3%81%201/")
