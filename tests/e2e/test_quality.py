"""The answering that follows each save (counter, progress bar, focus), in both languages on a
phone; and a framework editor reading the instrument quality of the demo campaign and starting
a draft from it."""

import pytest
from django.core.management import call_command

from diagnostic.models import Framework
from tests.diagnostic.assessment.data import make_assessment, privacy_notice
from tests.factories import PASSWORD, framework_editor

from .conftest import PHONE, assert_accessible
from .test_assessment import TEXT, choose, press

pytestmark = pytest.mark.django_db(transaction=True)

COUNTER = {"es-MX": "{} de {} preguntas respondidas", "en": "{} of {} questions answered"}


@pytest.mark.parametrize("language", ["es-MX", "en"])
def test_the_counter_and_progress_follow_each_saved_answer(new_page, live_server, language):
    privacy_notice()
    assessment = make_assessment(areas=2, competencies=1)  # 6 questions, 3 a page
    text = TEXT[language]
    page = new_page(language=language, viewport=PHONE)
    page.goto(f"/a/{assessment.token}/")
    press(page, text["accept"], keyboard=False)
    first = assessment.questions[0]
    assert page.evaluate("document.activeElement.name") == f"q{first.pk}"
    counter, bar = page.locator("#answered-count"), page.locator("#answer-progress")
    assert counter.get_attribute("aria-live") == "polite"
    assert counter.inner_text() == COUNTER[language].format(0, 6)
    self_q, knowledge_q = assessment.questions[:2]
    choose(page, self_q, text["level"].format(3, self_q.competency.code), keyboard=False)
    page.get_by_text(COUNTER[language].format(1, 6)).wait_for()
    assert bar.get_attribute("aria-valuenow") == "1"
    choose(page, knowledge_q, text["option"], keyboard=False)
    page.get_by_text(COUNTER[language].format(2, 6)).wait_for()
    assert bar.get_attribute("aria-valuenow") == "2"
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    press(page, text["next"], keyboard=False)
    second_page_first = assessment.questions[3]
    assert page.evaluate("document.activeElement.name") == f"q{second_page_first.pk}"


def test_an_editor_reads_the_quality_of_the_demo_campaign_and_starts_a_draft(new_page):
    call_command("seed_demo", employees=90)
    editor = framework_editor(email="editora@demo.gob.mx")
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Correo electrónico").fill(editor.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url("**/")
    page.get_by_test_id("navigation").get_by_role("link", name="Calidad del instrumento").click()
    page.get_by_role("link", name="Diagnóstico de habilidades de datos").last.click()
    page.get_by_role("button", name="Calcular la calidad del instrumento").click()
    page.get_by_role("heading", name="Confiabilidad").wait_for()
    page.locator(".report-chart .main-svg").first.wait_for()
    assert page.get_by_text("Preguntas de conocimiento (KR-20)").is_visible()
    assert_accessible(page)
    published = Framework.objects.get(code="ciudad-datos", status=Framework.Status.PUBLISHED)
    page.get_by_role("button", name="Iniciar un borrador nuevo a partir de esta versión").click()
    page.wait_for_url(f"**/framework/ciudad-datos/{published.version + 1}/")
    draft = Framework.objects.get(code="ciudad-datos", version=published.version + 1)
    assert draft.status == Framework.Status.DRAFT
    assert_accessible(page)
