"""The area page around its per-request parts, rendered once per process
(diagnostic/assessment/page_shell.py): the template's bytes, per language and area, and nothing
of one respondent in another's page."""

import re

import pytest
from django.conf import settings

from diagnostic.assessment import page_shell
from diagnostic.models import Question
from tests.factories import EmployeeFactory, InvitationFactory

from .data import Assessment, field, make_assessment, open_link, started

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TRICKY = "Campaña <script>alert('x')</script> & “citas”"


@pytest.fixture(autouse=True)
def no_shells():
    page_shell._shells.clear()
    yield
    page_shell._shells.clear()


def without_csrf(text: str) -> str:
    """The masked CSRF token differs on every response."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", text)


def whole(client, url: str, monkeypatch) -> str:
    """The page as the template alone gives it."""
    with monkeypatch.context() as patch:
        patch.setattr(page_shell, "_key", lambda *args, **kwargs: None)
        return client.get(url).content.decode()


def respondent(client, assessment: Assessment, language: str = "es-mx") -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    open_link(client, assessment)


def answer(client, assessment: Assessment) -> str:
    question = assessment.of_kind(Question.Kind.SELF)[0]
    assert client.post(assessment.url("save"), {field(question): "3"}, **HTMX).status_code == 200
    return f'id="{field(question)}-4" value="3" checked'


def other_respondent(assessment: Assessment) -> Assessment:
    invitation = InvitationFactory(campaign=assessment.campaign, employee=EmployeeFactory())
    other = Assessment(
        invitation=invitation, areas=assessment.areas, questions=assessment.questions
    )
    started(other)
    return other


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_the_shell_gives_the_template_bytes(client, monkeypatch, language):
    assessment = make_assessment(name_es_mx=TRICKY, name_en=TRICKY)
    started(assessment)
    respondent(client, assessment, language)
    checked = answer(client, assessment)
    url = assessment.area_url(0)
    expected = whole(client, url, monkeypatch)
    first = client.get(url).content.decode()  # renders the shell
    again = client.get(url).content.decode()  # from the shell
    assert len(page_shell._shells) == 1 and None not in page_shell._shells.values()
    assert without_csrf(first) == without_csrf(expected) == without_csrf(again)
    assert checked in again
    assert ("1 de 12" if language == "es-mx" else "1 of 12") in again
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;" in again
    assert not any(mark in again for mark in page_shell.MARKS.values())


def test_a_shell_per_language_and_per_area(client, monkeypatch):
    assessment = make_assessment()
    started(assessment)
    pages = {}
    for language in ("es-mx", "en"):
        respondent(client, assessment, language)
        for number in (0, 1):
            client.get(assessment.area_url(number))
            pages[language, number] = client.get(assessment.area_url(number)).content.decode()
            expected = whole(client, assessment.area_url(number), monkeypatch)
            assert without_csrf(pages[language, number]) == without_csrf(expected)
    assert len(page_shell._shells) == 4
    assert 'lang="es-MX"' in pages["es-mx", 0] and 'lang="en"' in pages["en", 0]
    assert "Guardar y continuar" in pages["es-mx", 0] and "Save and review" in pages["en", 1]
    assert f'<h1 class="h2">{assessment.areas[1].name_en}</h1>' in pages["en", 1]


def test_a_shell_holds_nothing_of_the_respondent_who_made_it(client, monkeypatch):
    assessment = make_assessment()
    started(assessment)
    respondent(client, assessment)
    checked = answer(client, assessment)
    mine = client.get(assessment.area_url(0)).content.decode()  # the shell is made here
    assert checked in mine and "1 de 12" in mine
    other = other_respondent(assessment)
    client.cookies.clear()
    respondent(client, other)
    theirs = client.get(other.area_url(0)).content.decode()  # from the first one's shell
    assert len(page_shell._shells) == 1
    assert without_csrf(theirs) == without_csrf(whole(client, other.area_url(0), monkeypatch))
    assert assessment.token not in theirs and other.token in theirs
    assert " checked" not in theirs and "0 de 12" in theirs
    shell = next(iter(page_shell._shells.values()))
    assert assessment.token not in "".join(shell.texts)
    assert " checked" not in "".join(shell.texts)


def test_a_page_with_an_error_is_rendered_whole(client):
    assessment = make_assessment()
    started(assessment)
    respondent(client, assessment)
    question = assessment.of_kind(Question.Kind.SELF)[0]
    reply = client.post(assessment.area_url(0), {field(question): "99", "action": "stay"})
    assert reply.status_code == 400
    assert page_shell._shells == {}
