"""The questions of an area page, rendered once per framework version and language.

A published (or retired) version never changes, so its questions, choices and labels are the
same for every respondent: the fieldsets are rendered once from `_question_fieldsets.html`
and kept in Django's cache as text cut at each radio button. A request only puts ` checked`
on the chosen buttons and its own save address into that text, which gives the bytes the
template would give (tests/diagnostic/assessment/test_question_fieldsets.py). A draft is
rendered on every request: its questions may still change.

The cache key names the version (its primary key, code, version and creation time, so a
database rebuilt with reused keys finds nothing), the language, the area, and a stamp of the
template and the compiled catalogues, so a deploy that changes a label or the markup does not
serve the old text.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..framework.immutability import is_locked
from .published_questions import version_key

TEMPLATE = "diagnostic/assessment/_question_fieldsets.html"
# Where a chosen button takes " checked", and where the save address goes: characters of
# Unicode's private use area, which no question is expected to contain (a text that does is
# rendered per request instead, see `_cut`).
CHECK_MARK = "\ue000"
URL_MARK = "\ue001"
TIMEOUT = 7 * 24 * 60 * 60
_stamp: str | None = None


@dataclass(frozen=True)
class Fieldsets:
    """The area's question pks, and its rendered text cut at each radio button: `parts` has
    one more element than `slots`, the (question pk, value) of each button in order."""

    question_ids: list[int]
    parts: list[str]
    slots: list[tuple[int, str]]

    def html(self, *, selected: dict[int, str], save_url: str) -> SafeString:
        out = [self.parts[0]]
        for (question_id, value), part in zip(self.slots, self.parts[1:], strict=True):
            if selected.get(question_id) == value:
                out.append(" checked")
            out.append(part)
        text = "".join(out).replace(URL_MARK, conditional_escape(save_url))
        return mark_safe(text)  # noqa: S308 - the template's escaped output, and an escaped URL


@dataclass(frozen=True)
class Uncached:
    """A draft's questions (or a text that holds a mark): the template on every request."""

    items: list

    @property
    def question_ids(self) -> list[int]:
        return [question.pk for question, _choices in self.items]

    def html(self, *, selected: dict[int, str], save_url: str) -> SafeString:
        return render_fieldsets(items=self.items, selected=selected, save_url=save_url)


def render_fieldsets(*, items, selected: dict[int, str], save_url: str) -> SafeString:
    """The template itself, with each question's chosen value: the reference rendering."""
    context = {
        "items": [(q, choices, selected.get(q.pk)) for q, choices in items],
        "save_url": save_url,
        "mark": "",
    }
    return mark_safe(render_to_string(TEMPLATE, context))  # noqa: S308 - autoescaped template


def area_fieldsets(*, framework, area, items: Callable[[], list]) -> Fieldsets | Uncached:
    """The fieldsets of `area`; `items` gives its (question, choices) pairs when they must be
    rendered (a cache miss, or a draft)."""
    if not is_locked(framework):
        return Uncached(items=items())
    key = _key(framework=framework, area=area)
    found = cache.get(key)
    if found is None:
        found = _cut(items())
        if isinstance(found, Fieldsets):
            cache.set(key, found, TIMEOUT)
    return found


def forget(*, framework, area_codes) -> None:
    """Drop the cached fieldsets of a version's areas in every language: only for test data,
    which may rebuild a published version in place (tests/factories.py `editable`)."""
    cache.delete_many(
        [
            _key(framework=framework, area_code=code, language=language)
            for code in area_codes
            for language, _name in settings.LANGUAGES
        ]
    )


def _cut(items) -> Fieldsets | Uncached:
    slots = [(q.pk, choice.value) for q, choices in items for choice in choices]
    context = {
        "items": [(q, choices, None) for q, choices in items],
        "save_url": URL_MARK,
        "mark": CHECK_MARK,
    }
    text = render_to_string(TEMPLATE, context)
    if text.count(CHECK_MARK) != len(slots) or text.count(URL_MARK) != len(items):
        return Uncached(items=items)
    return Fieldsets(
        question_ids=[q.pk for q, _choices in items], parts=text.split(CHECK_MARK), slots=slots
    )


def _key(*, framework, area=None, area_code: str | None = None, language=None) -> str:
    parts = [
        version_key(framework),
        language or get_language(),
        area.code if area is not None else area_code,
        _render_stamp(),
    ]
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"assessment-fieldsets:{digest}"


def _render_stamp() -> str:
    """The template's source and the compiled catalogues, as they are in this process."""
    global _stamp
    if _stamp is None:
        digest = hashlib.sha256(get_template(TEMPLATE).template.source.encode())
        for root in settings.LOCALE_PATHS:
            for mo in sorted(Path(root).glob("*/LC_MESSAGES/*.mo")):
                stat = mo.stat()
                digest.update(f"{mo}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        _stamp = digest.hexdigest()[:16]
    return _stamp
