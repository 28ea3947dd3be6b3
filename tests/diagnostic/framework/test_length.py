"""The length of the assessment: DESIGN.md's estimate (200 words a minute plus 5 seconds an
answer), computed from the shipped framework's own texts, at most 20 minutes, and shown as it
is computed in the invitation e-mail and on the first page."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from diagnostic.campaigns.mailing import send_invitation
from diagnostic.framework.format import parse_framework
from diagnostic.framework.length import length_estimate
from diagnostic.framework.store import DEFAULT_FRAMEWORK_PATH, load_framework_file
from diagnostic.models import Frequency
from tests.factories import CampaignFactory, EmployeeFactory, InvitationFactory

LANGUAGES = {"es": "es-mx", "en": "en"}


def file_words(language: str) -> tuple[int, int, int]:
    """Words, questions and sections read from the file itself: for each area its name and
    description, each competency's name, each question's text and its choices."""
    document = parse_framework(Path(DEFAULT_FRAMEWORK_PATH).read_text(encoding="utf-8"))

    def count(text: str) -> int:
        return len(re.findall(r"\w+", text))

    with translation.override(LANGUAGES[language]):
        scale = sum(count(str(label)) for _value, label in Frequency.choices)
    total = questions = 0
    for area in document["areas"]:
        total += count(area["name"][language]) + count(area["description"][language])
        for competency in area["competencies"]:
            total += count(competency["name"][language])
            for question in competency["questions"]:
                questions += 1
                total += count(question["text"][language])
                if question["kind"] == "self":
                    total += sum(count(d[language]) for d in competency["descriptors"])
                elif question["kind"] == "knowledge":
                    total += sum(count(o["text"][language]) for o in question["options"])
                else:
                    total += scale
    return total, questions, len(document["areas"])


@pytest.fixture
def shipped(db):
    return load_framework_file(path=DEFAULT_FRAMEWORK_PATH).framework


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_shipped_framework_takes_at_most_20_minutes(shipped, language):
    words, questions, sections = file_words(language)
    minutes = words / 200 + questions * 5 / 60
    with translation.override(LANGUAGES[language]):
        estimate = length_estimate(framework=shipped)
    assert (estimate.words, estimate.questions, estimate.sections) == (words, questions, 7)
    assert estimate.exact_minutes == pytest.approx(minutes)
    assert 15 <= minutes <= 20


def test_the_invitation_and_the_first_page_show_the_estimate(shipped, client, mailoutbox):
    with translation.override("es-mx"):
        minutes = length_estimate(framework=shipped).minutes
    campaign = CampaignFactory(framework=shipped)
    employee = EmployeeFactory(email="ana@example.gob.mx")
    invitation = InvitationFactory(campaign=campaign, employee=employee, language="es-mx")
    assert send_invitation(invitation_id=invitation.pk)
    shown = f"unos {minutes} minutos, 7 secciones"
    (message,) = mailoutbox
    assert shown in message.body and shown in message.alternatives[0][0]
    client.get(reverse("assessment:start", kwargs={"token": invitation.token}))
    page = client.get(reverse("assessment:privacy", kwargs={"token": invitation.token}))
    assert shown in page.content.decode()
