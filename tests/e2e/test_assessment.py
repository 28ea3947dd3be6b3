"""An employee follows the invitation link, answers part, closes the browser, comes back,
submits and reads the results: in Spanish on a desktop, in English on a phone, by keyboard."""

import pytest

from diagnostic.models import Answer, Question, Response
from tests.diagnostic.assessment.data import make_assessment, privacy_notice, started

from .conftest import PHONE, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "es-MX": {
        "accept": "Acepto y quiero participar",
        "saved": "Respuesta guardada",
        "area": "Área {} de 2",
        "next": "Guardar y continuar",
        "review": "Guardar y revisar",
        "submit": "Enviar mis respuestas",
        "results": "Mis resultados",
        "unanswered": "Preguntas sin responder",
        "level": "Nivel {} de {}",
        "option": "Opción a",
    },
    "en": {
        "accept": "I accept and want to take part",
        "saved": "Answer saved",
        "area": "Area {} of 2",
        "next": "Save and continue",
        "review": "Save and review",
        "submit": "Submit my answers",
        "results": "My results",
        "unanswered": "Unanswered questions",
        "level": "Level {} of {}",
        "option": "Option a",
    },
}


@pytest.fixture
def assessment(db):
    privacy_notice()
    return make_assessment(areas=2, competencies=1, target=3)


def choose(page, question: Question, label: str, *, keyboard: bool) -> None:
    group = page.locator(f"#q{question.pk}")
    if keyboard:
        group.get_by_label(label, exact=True).focus()
        page.keyboard.press("Space")
    else:
        group.get_by_label(label, exact=True).check()


def answer_first_area(page, assessment, text, *, keyboard: bool) -> None:
    self_q, knowledge_q, frequency_q = assessment.questions[:3]
    choose(page, self_q, text["level"].format(3, self_q.competency.code), keyboard=keyboard)
    page.locator(f"#status-q{self_q.pk}").get_by_text(text["saved"]).wait_for()
    choose(page, knowledge_q, text["option"], keyboard=keyboard)
    page.locator(f"#status-q{knowledge_q.pk}").get_by_text(text["saved"]).wait_for()


def press(page, name: str, *, keyboard: bool) -> None:
    button = page.get_by_role("button", name=name, exact=True)
    with page.expect_navigation():
        if keyboard:
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()


def take_the_assessment(new_page, live_server, assessment, *, language, viewport, keyboard):
    text = TEXT[language]
    page = new_page(language=language, viewport=viewport)
    page.goto(f"/a/{assessment.token}/")
    assert_accessible(page)
    press(page, text["accept"], keyboard=keyboard)
    assert page.get_by_text(text["area"].format(1)).is_visible()
    assert_accessible(page)
    if viewport == PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    answer_first_area(page, assessment, text, keyboard=keyboard)
    assert Answer.objects.filter(response__invitation=assessment.invitation).count() == 2
    page.context.close()  # the browser is closed before the first page is finished

    page = new_page(language=language, viewport=viewport)
    page.goto(f"/a/{assessment.token}/")
    assert page.get_by_text(text["area"].format(1)).is_visible()  # back where it was left
    self_q, knowledge_q = assessment.questions[:2]
    assert page.locator(f"#q{self_q.pk} input:checked").get_attribute("value") == "3"
    assert page.locator(f"#q{knowledge_q.pk} input:checked").count() == 1
    press(page, text["next"], keyboard=keyboard)
    assert page.get_by_text(text["area"].format(2)).is_visible()
    assert_accessible(page)
    second_self = assessment.questions[3]
    level_two = text["level"].format(2, second_self.competency.code)
    choose(page, second_self, level_two, keyboard=keyboard)
    press(page, text["review"], keyboard=keyboard)
    assert page.get_by_role("heading", name=text["unanswered"]).is_visible()
    assert_accessible(page)
    press(page, text["submit"], keyboard=keyboard)
    page.get_by_role("heading", name=text["results"], level=1).wait_for()
    page.locator(".personal-chart .main-svg").first.wait_for()  # plotly drew the figure
    assert_accessible(page)
    if viewport == PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    response = Response.objects.get(invitation=assessment.invitation)
    assert response.submitted_at is not None and response.scored_at is not None
    return page


def test_an_employee_resumes_on_another_browser_and_submits_in_spanish(
    new_page, live_server, assessment
):
    page = take_the_assessment(
        new_page, live_server, assessment, language="es-MX", viewport=None, keyboard=False
    )
    assert page.get_by_role("heading", name="Sus fortalezas").is_visible()


def test_the_same_in_english_on_a_phone_with_the_keyboard_only(new_page, live_server, assessment):
    page = take_the_assessment(
        new_page, live_server, assessment, language="en", viewport=PHONE, keyboard=True
    )
    assert page.get_by_role("heading", name="Where to grow next").is_visible()


def test_a_signed_in_employee_finds_the_assessment_and_may_decline(new_page, live_server):
    from accounts.models import User
    from tests.factories import PASSWORD, EmployeeFactory

    user = User.objects.create_user(email="lucia@example.gob.mx", password=PASSWORD)
    assessment = make_assessment(employee=EmployeeFactory(user=user, email=user.email))
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(user.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_test_id("navigation").get_by_role("link", name="Mi evaluación").click()
    page.get_by_role("heading", name="Mis evaluaciones").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Comenzar la evaluación").click()
    page.get_by_role("button", name="No deseo participar").click()
    page.get_by_role("heading", name="Usted eligió no participar").wait_for()
    assert_accessible(page)
    assert not Response.objects.filter(invitation=assessment.invitation).exists()


def test_a_tampered_answer_is_refused_inline_and_announced(new_page, live_server, assessment):
    started(assessment)
    page = new_page()
    page.goto(f"/a/{assessment.token}/")
    self_q = assessment.questions[0]
    radio = page.locator(f"#q{self_q.pk} input").first
    radio.evaluate("input => { input.value = '9'; }")
    radio.check()
    alert = page.locator(f"#status-q{self_q.pk} [role=alert]")
    alert.wait_for()
    assert "no se guardó nada" in alert.inner_text()
    assert not Answer.objects.exists()
    page.problems.clear()  # the browser logs the 400 itself; the page handled it
    assert_accessible(page)


def test_a_link_to_a_closed_campaign_explains_in_both_languages(new_page, live_server):
    from django.utils import timezone

    assessment = make_assessment(closed_at=timezone.now())
    page = new_page()
    page.goto(f"/a/{assessment.token}/")
    assert page.get_by_role("heading", name="La evaluación no está abierta").is_visible()
    assert page.get_by_role("heading", name="The assessment is not open").is_visible()
    page.problems.clear()  # the 403 status itself is logged by the browser
    assert_accessible(page)


def test_a_save_dropped_by_the_network_is_sent_again(new_page, live_server, assessment):
    started(assessment)
    page = new_page()
    attempts = []

    def drop_the_first(route):
        attempts.append(route.request.post_data)
        if len(attempts) == 1:
            route.abort()
        else:
            route.continue_()

    page.route("**/save/", drop_the_first)
    page.goto(f"/a/{assessment.token}/")
    self_q = assessment.questions[0]
    page.locator(f"#q{self_q.pk}").get_by_label(f"Nivel 4 de {self_q.competency.code}").check()
    page.locator(f"#status-q{self_q.pk}").get_by_text("Respuesta guardada").wait_for()
    # only the changed group is sent, so another tab's answers are never overwritten
    assert attempts == [f"q{self_q.pk}=4", f"q{self_q.pk}=4"]
    assert list(Answer.objects.values_list("question", "value")) == [(self_q.pk, 4)]


def test_the_questionnaire_works_with_javascript_off(browser, live_server, assessment):
    context = browser.new_context(
        base_url=live_server.url, locale="es-MX", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(f"/a/{assessment.token}/")
        page.get_by_role("button", name="Acepto y quiero participar").click()
        self_q = assessment.questions[0]
        page.locator(f"#q{self_q.pk}").get_by_label(f"Nivel 1 de {self_q.competency.code}").check()
        page.get_by_role("button", name="Guardar y continuar").click()
        page.get_by_text("Área 2 de 2").wait_for()
        assert list(Answer.objects.values_list("question", "value")) == [(self_q.pk, 1)]
        page.get_by_role("button", name="Guardar y revisar").click()
        page.get_by_role("button", name="Enviar mis respuestas").click()
        page.get_by_role("heading", name="Mis resultados", level=1).wait_for()
        assert page.get_by_role("table").is_visible()  # the figures, without the chart
    finally:
        context.close()


CODE_TEXT = {
    "es-MX": {
        "heading": "Escriba su código de resultados",
        "label": "Código de resultados",
        "button": "Mostrar mis resultados",
        "wrong": "no es correcto",
    },
    "en": {
        "heading": "Enter your results code",
        "label": "Results code",
        "button": "Show my results",
        "wrong": "is not right",
    },
}


@pytest.mark.parametrize("language", ["es-MX", "en"])
def test_a_second_device_with_the_link_asks_for_the_results_code(
    new_page, live_server, assessment, language
):
    from django.utils import timezone

    from diagnostic.assessment.codes import hashed
    from diagnostic.assessment.scoring import score_response

    response = started(assessment)
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now(), results_code=hashed("7KQM3XTB")
    )
    score_response(response=response)
    text = CODE_TEXT[language]
    page = new_page(language=language)
    page.goto(f"/a/{assessment.token}/")  # the link alone: the form, not the results
    page.get_by_role("heading", name=text["heading"]).wait_for()
    page.problems.clear()  # the 403 status itself is logged by the browser
    assert_accessible(page)
    page.get_by_label(text["label"]).fill("2222-2222")
    press(page, text["button"], keyboard=False)
    assert text["wrong"] in page.get_by_role("alert").inner_text()
    page.problems.clear()  # the 400 of the wrong code
    assert_accessible(page)
    page.get_by_label(text["label"]).fill("7kqm 3xtb")
    press(page, text["button"], keyboard=False)
    page.get_by_role("heading", name=TEXT[language]["results"], level=1).wait_for()
    assert_accessible(page)


NEW_CODE_TEXT = {
    "es-MX": {
        "link": "Obtener un código de resultados nuevo",
        "heading": "Código de resultados nuevo",
        "button": "Obtener un código de resultados nuevo",
    },
    "en": {
        "link": "Get a new results code",
        "heading": "New results code",
        "button": "Get a new results code",
    },
}


@pytest.mark.parametrize("language", ["es-MX", "en"])
def test_the_employee_gets_a_new_results_code(new_page, live_server, assessment, language):
    from django.utils import timezone

    from diagnostic.assessment.codes import hashed, matches
    from diagnostic.assessment.scoring import score_response

    response = started(assessment)
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now(), results_code=hashed("7KQM3XTB")
    )
    score_response(response=response)
    text, code_text = NEW_CODE_TEXT[language], CODE_TEXT[language]
    page = new_page(language=language)
    page.goto(f"/a/{assessment.token}/")
    page.get_by_role("heading", name=code_text["heading"]).wait_for()
    page.problems.clear()  # the 403 of the link alone
    page.get_by_label(code_text["label"]).fill("7KQM-3XTB")
    press(page, code_text["button"], keyboard=False)
    with page.expect_navigation():
        page.get_by_role("link", name=text["link"]).click()
    page.get_by_role("heading", name=text["heading"], level=1).wait_for()
    assert_accessible(page)
    press(page, text["button"], keyboard=True)
    page.get_by_role("heading", name=TEXT[language]["results"], level=1).wait_for()
    shown = page.get_by_test_id("results-code").inner_text()
    assert_accessible(page)
    response.refresh_from_db()
    assert matches(response=response, typed=shown)
    assert not matches(response=response, typed="7KQM3XTB")
