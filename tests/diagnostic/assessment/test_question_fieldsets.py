"""The area page's questions, rendered once per published version and language
(diagnostic/assessment/question_fieldsets.py): the same bytes as the template, never stale."""

import pytest
from django.utils import translation

from diagnostic.assessment import question_fieldsets
from diagnostic.assessment.questionnaire import choices_for, questions_of
from diagnostic.models import Framework, Option, Question
from tests.factories import (
    AreaFactory,
    CompetencyFactory,
    FrameworkFactory,
    QuestionFactory,
    editable,
    knowledge_question,
)

from .data import field, make_assessment, open_link, started

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TRICKY = "¿Usa “fórmulas” <b>&</b> 'citas', comas, y\nsaltos de línea?"


def items_of(area):
    return [(q, choices_for(q)) for q in questions_of(area=area)]


def reference(assessment, number: int, selected: dict[int, str]) -> str:
    """The template rendered for this request alone: what the cache must reproduce."""
    return question_fieldsets.render_fieldsets(
        items=items_of(assessment.areas[number]),
        selected=selected,
        save_url=assessment.url("save"),
    )


def answer_some(client, assessment) -> dict[int, str]:
    self_q = assessment.of_kind(Question.Kind.SELF)[0]
    knowledge = assessment.of_kind(Question.Kind.KNOWLEDGE)[0]
    frequency = assessment.of_kind(Question.Kind.FREQUENCY)[1]
    option = assessment.correct_option(knowledge)
    data = {field(self_q): "3", field(knowledge): str(option.pk), field(frequency): "0"}
    assert client.post(assessment.url("save"), data, **HTMX).status_code == 200
    return {self_q.pk: "3", knowledge.pk: str(option.pk), frequency.pk: "0"}


def test_the_cached_page_has_the_template_bytes_for_a_response_with_answers(client):
    assessment = make_assessment()
    competency = assessment.questions[0].competency
    tricky = QuestionFactory(competency=competency, text_es_mx=TRICKY, text_en=TRICKY)
    started(assessment)
    open_link(client, assessment)
    selected = answer_some(client, assessment)
    expected = reference(assessment, 0, selected)
    assert expected.count(" checked") == 3
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in expected and f'id="q{tricky.pk}"' in expected
    first = client.get(assessment.area_url(0)).content.decode()  # renders and caches
    again = client.get(assessment.area_url(0)).content.decode()  # from the cache
    assert expected in first and expected in again
    assert again.count(" checked") == 3
    assert question_fieldsets.CHECK_MARK not in again and question_fieldsets.URL_MARK not in again


def test_the_cached_fieldsets_equal_the_template_for_every_choice_chosen():
    assessment = make_assessment(competencies=3)
    framework = assessment.campaign.framework
    area = assessment.areas[1]
    cached = question_fieldsets.area_fieldsets(
        framework=framework, area=area, items=lambda: items_of(area)
    )
    assert isinstance(cached, question_fieldsets.Fieldsets)
    for pick in range(6):  # each question answered with its first, second... choice
        selected = {
            q.pk: choices[min(pick, len(choices) - 1)].value for q, choices in items_of(area)
        }
        expected = question_fieldsets.render_fieldsets(
            items=items_of(area), selected=selected, save_url="/a/tok&en/save/"
        )
        assert cached.html(selected=selected, save_url="/a/tok&en/save/") == expected
        assert "/a/tok&amp;en/save/" in expected


def test_a_second_request_does_not_render_the_questions_again():
    assessment = make_assessment()
    framework, area = assessment.campaign.framework, assessment.areas[0]
    calls = []

    def items():
        calls.append(1)
        return items_of(area)

    first = question_fieldsets.area_fieldsets(framework=framework, area=area, items=items)
    second = question_fieldsets.area_fieldsets(framework=framework, area=area, items=items)
    assert calls == [1] and first == second


def test_a_language_switch_never_serves_the_other_language(client, settings):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    question = assessment.questions[0]
    spanish = client.get(assessment.area_url(0)).content.decode()
    assert question.text_es_mx in spanish and question.text_en not in spanish
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(assessment.area_url(0)).content.decode()
    assert question.text_en in english and question.text_es_mx not in english
    with translation.override("en"):
        assert reference(assessment, 0, {}) in english
    assert "Not saved yet (no connection): trying again…" in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es-mx"
    assert question.text_es_mx in client.get(assessment.area_url(0)).content.decode()


def test_a_new_published_version_never_serves_the_old_questions():
    old = FrameworkFactory(code="datos", version=1)
    old_area = AreaFactory(framework=old, code="gobierno")
    QuestionFactory(
        competency=CompetencyFactory(area=old_area, framework=old), text_es_mx="Pregunta vieja"
    )
    cached = question_fieldsets.area_fieldsets(
        framework=old, area=old_area, items=lambda: items_of(old_area)
    )
    assert "Pregunta vieja" in cached.html(selected={}, save_url="/s/")
    Framework.objects.filter(pk=old.pk).update(status=Framework.Status.RETIRED)
    new = FrameworkFactory(code="datos", version=2)
    new_area = AreaFactory(framework=new, code="gobierno")
    QuestionFactory(
        competency=CompetencyFactory(area=new_area, framework=new), text_es_mx="Pregunta nueva"
    )
    html = question_fieldsets.area_fieldsets(
        framework=new, area=new_area, items=lambda: items_of(new_area)
    ).html(selected={}, save_url="/s/")
    assert "Pregunta nueva" in html and "Pregunta vieja" not in html


def test_a_draft_is_rendered_on_every_request():
    draft = FrameworkFactory(status=Framework.Status.DRAFT)
    area = AreaFactory(framework=draft)
    competency = CompetencyFactory(area=area, framework=draft)
    QuestionFactory(competency=competency, text_es_mx="Primera")
    first = question_fieldsets.area_fieldsets(
        framework=draft, area=area, items=lambda: items_of(area)
    )
    assert isinstance(first, question_fieldsets.Uncached)
    QuestionFactory(competency=competency, text_es_mx="Segunda")
    html = question_fieldsets.area_fieldsets(
        framework=draft, area=area, items=lambda: items_of(area)
    ).html(selected={}, save_url="/s/")
    assert "Primera" in html and "Segunda" in html


def test_a_text_holding_a_mark_is_rendered_per_request_and_stays_right():
    assessment = make_assessment(areas=1, competencies=1)
    knowledge = assessment.of_kind(Question.Kind.KNOWLEDGE)[0]
    framework, area = assessment.campaign.framework, assessment.areas[0]
    with editable(framework):
        Option.objects.filter(question=knowledge, code="b").update(
            text_es_mx=f"Opción {question_fieldsets.CHECK_MARK} rara"
        )
    fieldsets = question_fieldsets.area_fieldsets(
        framework=framework, area=area, items=lambda: items_of(area)
    )
    assert isinstance(fieldsets, question_fieldsets.Uncached)
    chosen = str(assessment.correct_option(knowledge).pk)
    html = fieldsets.html(selected={knowledge.pk: chosen}, save_url="/s/")
    assert html == question_fieldsets.render_fieldsets(
        items=items_of(area), selected={knowledge.pk: chosen}, save_url="/s/"
    )
    assert html.count(" checked") == 1


def test_test_data_added_to_a_published_version_shows_on_the_next_page(client):
    assessment = make_assessment()
    started(assessment)
    open_link(client, assessment)
    client.get(assessment.area_url(0))
    competency = assessment.questions[0].competency
    knowledge_question(competency, text_es_mx="Añadida después")
    assert "Añadida después" in client.get(assessment.area_url(0)).content.decode()
