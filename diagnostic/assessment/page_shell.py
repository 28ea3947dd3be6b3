"""The area page around its per-request parts, rendered once per process.

Everything on an area page but the answers' checked states, the counter, the progress bar,
the CSRF token and the link's token is the same for every respondent of a campaign who sees
that area in that language, not signed in and with no message waiting: the page is rendered
once with marks (characters of Unicode's private use area) in those places and kept, cut at
the marks, in this process. A request joins the pieces with its own parts, which gives the
bytes the template gives (tests/diagnostic/assessment/test_page_shell.py).

The shell is rendered twice with two sets of marks and kept only if both cut the same way, so a
name that holds a mark character is rendered per request instead. The link's token is put back
as a mark before the shell is kept: no respondent's token, answers or count stays in it. The
key names the framework version, campaign (and its name), area, language, the page's path
without its token and the organisation shown; the templates are read once per process.
"""

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .published_questions import version_key
from .question_fieldsets import Fieldsets

TEMPLATE = "diagnostic/assessment/area.html"
PARTS = ("fieldsets", "counter", "progress_bar", "csrf_token", "token")
MARKS = {part: chr(0xE010 + i) for i, part in enumerate(PARTS)}
OTHER_MARKS = {part: chr(0xE020 + i) for i, part in enumerate(PARTS)}
MAX_SHELLS = 512
_shells: dict[tuple, "Shell | None"] = {}


@dataclass(frozen=True)
class Shell:
    """The page's text cut at each mark: `texts` has one more element than `parts`."""

    texts: list[str]
    parts: list[str]

    def html(self, values: dict[str, str]) -> str:
        out = [self.texts[0]]
        for part, text in zip(self.parts, self.texts[1:], strict=True):
            out.append(values[part])
            out.append(text)
        return "".join(out)


def render_area(request, context: dict, *, status: int) -> str:
    """The area page's HTML for `context` (the view's), from the shell when it applies."""
    page, invitation = context["page"], context["invitation"]
    counter = render_to_string(
        "diagnostic/assessment/_answered.html", {"answered": page.answered, "total": page.total}
    )
    progress_bar = render_to_string(
        "diagnostic/assessment/_progress_bar.html",
        {"answered": page.answered, "total": page.total},
    )
    context = context | {"counter": counter, "progress_bar": progress_bar}
    key = _key(request, page=page, invitation=invitation, status=status)
    if key is None:
        return render_to_string(TEMPLATE, context, request=request)
    shell = _shells.get(key, False)
    if shell is False:
        shell = _cut(request, context, token=invitation.token)
        if len(_shells) >= MAX_SHELLS:
            _shells.clear()
        _shells[key] = shell
    if shell is None:
        return render_to_string(TEMPLATE, context, request=request)
    values = {
        "fieldsets": str(context["fieldsets"]),
        "counter": conditional_escape(counter),
        "progress_bar": conditional_escape(progress_bar),
        "csrf_token": conditional_escape(_csrf_token(request)),
        "token": conditional_escape(invitation.token),
    }
    return shell.html(values)


def _key(request, *, page, invitation, status: int) -> tuple | None:
    """None when the page must be rendered whole: signed in, a message, an error, a draft, a
    query string, or a token the path does not hold as it is."""
    if (
        status != 200
        or page.error
        or not isinstance(page.fieldsets, Fieldsets)
        or request.user.is_authenticated
        or request.GET
        or _has_messages(request)
        or invitation.token not in request.path
    ):
        return None
    campaign = invitation.campaign
    return (
        version_key(campaign.framework),
        campaign.pk,
        campaign.name,
        page.area.code,
        get_language(),
        request.path.replace(invitation.token, MARKS["token"]),
    )


def _has_messages(request) -> bool:
    messages = getattr(request, "_messages", None)
    return messages is not None and len(messages) > 0


def _csrf_token(request) -> str:
    from django.middleware.csrf import get_token

    return get_token(request)


def _cut(request, context: dict, *, token: str) -> Shell | None:
    cuts = []
    for marks in (MARKS, OTHER_MARKS):
        marked = context | {
            "fieldsets": mark_safe(marks["fieldsets"]),  # noqa: S308 - one private-use character
            "counter": marks["counter"],
            "progress_bar": mark_safe(marks["progress_bar"]),  # noqa: S308 - the same
            "csrf_token": marks["csrf_token"],
        }
        text = render_to_string(TEMPLATE, marked, request=request)
        text = text.replace(token, marks["token"])
        back = {mark: part for part, mark in marks.items()}
        pieces = re.split(f"([{''.join(marks.values())}])", text)
        cuts.append((pieces[0::2], [back[mark] for mark in pieces[1::2]]))
    (texts, parts), (other_texts, other_parts) = cuts
    if texts != other_texts or parts != other_parts or parts.count("fieldsets") != 1:
        return None
    return Shell(texts=texts, parts=parts)
