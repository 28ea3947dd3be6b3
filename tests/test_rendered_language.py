"""No page carries an English string in Spanish or the reverse.

The catalogue test (tests/test_translations.py) proves every msgid has a Spanish msgstr; this one
reads the pages as they render, for every role, in both languages, over the demo city: a string
left outside `{% translate %}`, a msgstr still in English, or a Spanish word typed into a
template shows up here. Each text node (and the labels a screen reader reads: aria-label, alt,
title, placeholder) is checked for the other language's function words, which data values
(department and people's names, codes, e-mail addresses) do not carry once they are removed.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import Department, Employee, User
from diagnostic.models import Campaign, Framework
from reports.models import Release
from reports.plan.models import Plan

pytestmark = pytest.mark.django_db

# Words that only one of the two languages uses, as whole words; "ción" endings too for Spanish.
ENGLISH = {
    "the", "and", "of", "with", "your", "you", "this", "is", "are", "for", "which", "has",
    "have", "what", "from", "will", "there", "their", "been", "only", "when", "who", "yet",
}  # fmt: skip
SPANISH = {
    "el", "los", "las", "del", "usted", "para", "que", "una", "está", "son", "por", "con",
    "su", "sus", "también", "cuando", "aún", "según", "cada", "sólo", "solo", "hay",
}  # fmt: skip
# Identifiers such as column names (level_from) and codes (A1) are not words of either language.
WORD = re.compile(r"\w+")
LABELS = {"aria-label", "alt", "title", "placeholder"}
# A textarea holds what someone typed (the English privacy notice on its own form), not the
# page's own words.
HIDDEN = {"script", "style", "textarea"}


class VisibleText(HTMLParser):
    """The text nodes and spoken labels of a page, without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._hidden += 1
        self.chunks += [value for name, value in attrs if name in LABELS and value]

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.chunks


def foreign_words(text: str, *, language: str, data: list[str]) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    words = [w.lower() for w in WORD.findall(text) if w.isalpha()]
    if language == "es-mx":
        return [w for w in words if w in ENGLISH]
    return [w for w in words if w in SPANISH or w.endswith("ción") or w.endswith("ciones")]


@pytest.fixture
def city():
    call_command("seed_demo", employees=40)
    # Names and codes are data, not interface: they stay as the city wrote them in both languages.
    data = [
        *Department.objects.values_list("name", flat=True),
        *Department.objects.values_list("code", flat=True),
        *Employee.objects.values_list("full_name", flat=True),
        *User.objects.values_list("first_name", flat=True),
        *User.objects.values_list("last_name", flat=True),
        # A plan's name is typed once, like a department's (Plan has no English name).
        *Plan.objects.values_list("name", flat=True),
    ]
    return sorted({d for d in data if d}, key=len, reverse=True)


def pages() -> list[str]:
    """Every GET page of the site that shows HTML, with the demo's objects as arguments."""
    campaign = Campaign.objects.filter(closed_at__isnull=True).get()
    closed = Campaign.objects.filter(closed_at__isnull=False).get()
    department = Department.objects.get(code="OBRAS")
    framework = Framework.objects.order_by("-version").first()
    plans = list(Plan.objects.values_list("code", flat=True))
    urls = [
        reverse(name)
        for name in (
            "home", "login", "password_reset", "assessment:mine", "short:entry",
            "campaigns:list", "campaigns:create", "campaigns:privacy_notice",
            "reports:campaign_list", "reports:quality_list", "reports:plan_list",
            "reports:plan_create", "reports:plan_catalogue", "reports:plan_catalogue_upload",
            "hr:home", "hr:roster", "hr:departments", "hr:audit_log", "hr:exports",
            "hr:feed_tokens", "hr:feed_token_create", "hr:arco_list", "hr:arco_create",
            "framework:current", "imports:start",
        )
    ]  # fmt: skip
    for pk in (campaign.pk, closed.pk):
        for name in ("detail", "edit", "launch", "close", "extend", "sheet", "results_code"):
            urls.append(reverse(f"campaigns:{name}", args=[pk]))
    for code in (campaign.code, closed.code):
        urls += [
            reverse("reports:campaign_overview", args=[code]),
            reverse("reports:release_list", args=[code]),
            reverse("reports:quality", args=[code]),
            reverse("reports:department_report", args=[code, department.code]),
            reverse("reports:department_report", args=[code, "MUN"]),
        ]
    urls += [
        reverse("reports:release_detail", args=[r])
        for r in Release.objects.values_list("pk", flat=True)
    ]
    for code in plans:
        for name in ("plan_detail", "plan_for_departments", "plan_committee", "plan_enrolments"):
            urls.append(reverse(f"reports:{name}", args=[code]))
        urls.append(reverse("reports:plan_progress", args=[code, campaign.code]))
    urls.append(reverse("framework:version", args=[framework.code, framework.version]))
    return urls


def readers(editor) -> dict[str, User | None]:
    accounts = {a.role: User.objects.get(email=a.email) for a in DEMO_ACCOUNTS}
    return {"anonymous": None, **accounts, "editor": editor}


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_no_page_of_any_role_carries_the_other_language(city, editor, language):
    findings, read = [], {}
    urls = pages()
    for role, user in readers(editor).items():
        client = Client(headers={"accept-language": language})
        if user is not None:
            client.force_login(user)
        read[role] = 0
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            read[role] += 1
            with translation.override(language):
                for chunk in visible_text(response.content.decode()):
                    if words := foreign_words(chunk, language=language, data=city):
                        findings.append(f"{role} {url}: {words} in “{chunk[:160]}”")
    assert not findings, "\n".join(sorted(set(findings)))
    # Every role read pages: a test that read none would pass for a site in any language.
    assert all(count >= 2 for count in read.values()), read
    assert read["hr"] >= 40 and read["manager"] >= 5, read


def test_spanish_dates_write_the_month_in_lower_case():
    moment = timezone.make_aware(timezone.datetime(2026, 12, 21, 10, 0))
    from django.utils.formats import date_format

    with translation.override("es-mx"):
        assert date_format(moment, "DATE_FORMAT") == "21 de diciembre de 2026"
        assert date_format(moment, "MONTH_DAY_FORMAT") == "21 de diciembre"
    with translation.override("en"):
        assert date_format(moment, "DATE_FORMAT") == "Dec. 21, 2026"
