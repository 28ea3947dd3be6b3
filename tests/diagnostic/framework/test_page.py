"""The read-only framework page: what it shows, in which language, in how many queries."""

from html import escape
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diagnostic.framework.store import load_framework
from diagnostic.models import Area, Competency, Framework, LevelDescriptor, ProficiencyLevel

from .documents import small_document
from .fixtures import draft, published  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def page(client, user, language: str, url: str | None = None) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url or reverse("framework:current"))
    assert response.status_code == 200
    return response.content.decode()


def framework_texts(framework, field_suffix: str) -> list[str]:
    texts = [getattr(framework, f"name_{field_suffix}")]
    for model, fields in (
        (ProficiencyLevel, ["name", "description"]),
        (Area, ["name", "description"]),
        (Competency, ["name", "description"]),
        (LevelDescriptor, ["text"]),
    ):
        rows = model.objects.filter(**{model.FRAMEWORK_PATH: framework})
        for field in fields:
            texts += rows.values_list(f"{field}_{field_suffix}", flat=True)
    return texts


@pytest.fixture
def default_framework(db):
    call_command("load_framework", stdout=StringIO())
    return Framework.objects.get(code="ciudad-datos")


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("es-mx", "es_mx", "en"), ("en", "en", "es_mx")]
)
def test_the_page_shows_the_default_framework_in_one_language_only(
    language, shown, hidden, client, employee, default_framework
):
    body = page(client, employee, language)
    for text in framework_texts(default_framework, shown):
        assert escape(text) in body, text
    others = zip(
        framework_texts(default_framework, hidden),
        framework_texts(default_framework, shown),
        strict=True,
    )
    for other, same in others:
        if other != same:
            assert escape(other) not in body, other


SPANISH_CHROME = ["Niveles de dominio", "Marco de competencias", "Qué significa cada nivel"]
ENGLISH_CHROME = ["Proficiency levels", "Skills framework", "What each level means"]


@pytest.mark.parametrize(
    ("language", "present", "absent"),
    [("es-mx", SPANISH_CHROME, ENGLISH_CHROME), ("en", ENGLISH_CHROME, SPANISH_CHROME)],
)
def test_the_page_chrome_is_translated_too(
    language, present, absent, client, employee, default_framework
):
    body = page(client, employee, language)
    for text in present:
        assert text in body
    for text in absent:
        assert text not in body


def test_the_page_takes_the_same_queries_whatever_the_size_of_the_framework(client, employee):
    small = load_framework(document=small_document(code="chico", areas=1, per_area=1)).framework
    big = load_framework(document=small_document(code="grande", areas=5, per_area=4)).framework
    counts = []
    client.force_login(employee)
    for framework in (small, big):
        url = reverse("framework:version", args=[framework.code, framework.version])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_employees_see_the_current_published_version_and_no_drafts(
    client, employee, published, draft
):
    body = page(client, employee, "en")
    assert "Test framework" in body
    assert "Version 1, published" in body
    assert reverse("framework:version", args=["borrador", 1]) not in body
    assert "Publish this version" not in body


def test_the_current_version_is_the_one_published_last(client, employee, published):
    newer = load_framework(document=small_document(version=2)).framework
    body = page(client, employee, "en")
    assert "Version 2, published" in body
    assert newer.version == 2


def test_editors_see_drafts_and_can_publish_them_from_the_page(client, editor, published, draft):
    url = reverse("framework:version", args=["borrador", 1])
    body = page(client, editor, "en", url)
    assert "This version is a draft" in body
    assert "Publish this version" in body
    assert reverse("framework:publish", args=["borrador", 1]) in body
    response = client.post(reverse("framework:publish", args=["borrador", 1]), follow=True)
    assert "Version 1 published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "published"


def test_publishing_an_incomplete_draft_from_the_page_says_what_is_missing(client, editor, draft):
    LevelDescriptor.objects.filter(competency__code="A1", level=0).delete()
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("framework:publish", args=["borrador", 1]), follow=True)
    body = response.content.decode()
    assert "competency A1, descriptors: needs exactly 5 descriptors" in body
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_without_a_published_framework_the_page_says_so(client, employee, draft):
    body = page(client, employee, "en")
    assert "No skills framework has been published yet." in body


def test_the_navigation_links_every_signed_in_user_to_the_framework(client, employee):
    body = page(client, employee, "en", reverse("home"))
    nav = body.split('data-testid="navigation"', 1)[1].split("</ul>", 1)[0]
    assert f'href="{reverse("framework:current")}"' in nav
    assert "Skills framework" in nav
