"""The respondent's pages. Each checks the token in its URL against the session's binding
(`access`), and a link that opens nothing is counted (`attempts`); results and downloads also
need proof of being the employee (`access.may_read_results`), else they answer with the
results-code form. The work is done by `questionnaire`, `results`, `downloads` and `codes`."""

import re
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..campaigns.invitations import typed_short_code
from ..exceptions import (
    AlreadySubmittedError,
    AssessmentError,
    CampaignNotOpenError,
    EmployeeInactiveError,
    InvitationNotFoundError,
    PrivacyNoticeNotAcceptedError,
    TooManyAttemptsError,
    error_lines,
)
from ..framework.length import length_estimate
from . import access, attempts, charts, codes, page_shell, questionnaire
from .downloads import own_data_file
from .results import results_of, results_sections

TEMPLATES = "diagnostic/assessment/"
PLAIN_CODE = re.compile(r"[A-Za-z0-9._~-]+")  # what an address never quotes
STATUS = {EmployeeInactiveError: 403, TooManyAttemptsError: 429}  # any other: not found
TITLES = {
    InvitationNotFoundError: _("Link not valid"),
    TooManyAttemptsError: _("Too many attempts"),
    EmployeeInactiveError: _("Link no longer active"),
    CampaignNotOpenError: _("The assessment is not open"),
}


def refuse(request, error: AssessmentError, *, status: int) -> HttpResponse:
    """The message in the current language and then in the other: a link may be opened
    before anyone chose a language."""
    current = translation.get_language()
    texts = []
    for code, _name in sorted(settings.LANGUAGES, key=lambda lang: lang[0] != current):
        with translation.override(code):
            title = TITLES.get(type(error), _("This cannot be done"))
            texts.append(
                {
                    "lang": "es-MX" if code == "es-mx" else code,
                    "title": str(title),
                    "text": " ".join(error_lines(error)),
                }
            )
    template = "_error.html" if request.htmx else "refused.html"
    return render(request, TEMPLATES + template, {"texts": texts}, status=status)


def assessment_page(view=None, *, entry: bool = False):
    """The page of the URL's invitation, as `access.respondent_invitation` allows it; the
    entry link (`entry`) binds the session anew."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, token, **kwargs):
            try:
                if attempts.links_limited(request=request):
                    raise TooManyAttemptsError
                invitation = access.respondent_invitation(
                    token=token, user=request.user, session=request.session, entry=entry
                )
            except AssessmentError as error:
                if isinstance(error, InvitationNotFoundError):
                    attempts.link_refused(request=request, token=token)
                return refuse(request, error, status=STATUS.get(type(error), 404))
            try:
                return view(request, invitation, **kwargs)
            except AssessmentError as error:
                return _domain_error(request, invitation, error)

        return wrapper

    return decorator(view) if view else decorator


def _domain_error(request, invitation, error: AssessmentError) -> HttpResponse:
    if request.method == "GET" and isinstance(error, AlreadySubmittedError):
        return redirect("assessment:results", token=invitation.token)
    if request.method == "GET" and isinstance(error, PrivacyNoticeNotAcceptedError):
        return redirect("assessment:privacy", token=invitation.token)
    default = 403 if request.method == "GET" else 400
    return refuse(request, error, status=STATUS.get(type(error), default))


@require_GET
def short_entry(request):
    """The short address of a QR card: a box to type the card's code in."""
    typed = request.GET.get("code", "").strip()
    if typed:
        return redirect("short:open", code=typed_short_code(typed) or "-")
    return render(request, TEMPLATES + "short_entry.html")


@require_GET
def short_open(request, code):
    """/c/<code>/ opens what the card's long link opens, with the same limits on guessing."""
    try:
        if attempts.links_limited(request=request):
            raise TooManyAttemptsError
        token = access.token_of_short_code(code=code, user=request.user)
    except AssessmentError as error:
        if isinstance(error, InvitationNotFoundError):
            attempts.link_refused(request=request, token=code)
        return refuse(request, error, status=STATUS.get(type(error), 404))
    return redirect("assessment:start", token=token)


@login_required
@require_GET
def mine(request):
    invitations = questionnaire.open_invitations_of(user=request.user)
    return render(request, TEMPLATES + "mine.html", {"invitations": invitations})


@require_GET
@assessment_page(entry=True)
def start(request, invitation):
    response = access.response_of(invitation=invitation)
    if response is not None and response.submitted_at is not None:
        return redirect("assessment:results", token=invitation.token)
    response = questionnaire.start_response(invitation=invitation)
    if response.privacy_accepted_at is None:
        return redirect("assessment:privacy", token=invitation.token)
    area = questionnaire.resume_area(response=response)
    if area is None:
        return redirect("assessment:review", token=invitation.token)
    return redirect("assessment:area", token=invitation.token, code=area.code)


@require_http_methods(["GET", "POST"])
@assessment_page
def privacy(request, invitation):
    response = access.response_of(invitation=invitation)
    if response is not None and response.submitted_at is not None:
        raise AlreadySubmittedError
    response = response or questionnaire.start_response(invitation=invitation)
    questionnaire.require_open(campaign=invitation.campaign)
    notice = questionnaire.privacy_notice_for(campaign=invitation.campaign)
    if request.method == "POST":
        if request.POST.get("decision") == "decline":
            questionnaire.decline(invitation=invitation)
            return redirect("assessment:declined", token=invitation.token)
        questionnaire.accept_privacy_notice(response=response, notice=notice)
        return redirect("assessment:start", token=invitation.token)
    estimate = length_estimate(framework=invitation.campaign.framework)
    context = {"invitation": invitation, "notice": notice, "estimate": estimate}
    return render(request, TEMPLATES + "privacy.html", context)


@require_GET
@assessment_page
def declined(request, invitation):
    return render(request, TEMPLATES + "declined.html", {"invitation": invitation})


@require_http_methods(["GET", "POST"])
@assessment_page
def area(request, invitation, code):
    response = access.response_of(invitation=invitation)
    if response is None:
        return redirect("assessment:start", token=invitation.token)
    data = request.POST if request.method == "POST" else None
    page = questionnaire.area_page(response=response, code=code, data=data)
    if page is None:
        raise Http404
    if page.saved:
        after = page.next_page(request.POST.get("action"))
        if after is None:
            return redirect("assessment:review", token=invitation.token)
        return redirect("assessment:area", token=invitation.token, code=after.code)
    save_url = reverse("assessment:save", kwargs={"token": invitation.token})
    context = {
        "invitation": invitation,
        "page": page,
        "fieldsets": page.fieldsets_html(save_url=save_url),
        "area_links": area_links(areas=page.areas, token=invitation.token),
    }
    status = 400 if page.error else 200
    return HttpResponse(page_shell.render_area(request, context, status=status), status=status)


def area_links(*, areas, token: str) -> list[tuple[object, str]]:
    """Each area with the address of its page, as `{% url %}` gives it, from one reverse():
    a code made only of characters an address keeps as they are takes the placeholder's
    place, any other code is reversed on its own."""
    mark = "area-code-placeholder"
    pattern = reverse("assessment:area", kwargs={"token": token, "code": mark})
    return [
        (
            area,
            pattern.replace(mark, area.code)
            if PLAIN_CODE.fullmatch(area.code)
            else reverse("assessment:area", kwargs={"token": token, "code": area.code}),
        )
        for area in areas
    ]


@require_POST
@assessment_page
def save(request, invitation):
    """One radio group, saved as it is answered (htmx); returns the group's status line."""
    response = access.response_of(invitation=invitation)
    if response is None:
        raise PrivacyNoticeNotAcceptedError
    answers = questionnaire.parse_answers(response=response, data=request.POST)
    answered = questionnaire.save_and_count(response=response, answers=answers)
    total = questionnaire.questions_total(response=response)
    context = {"count": len(answers), "answered": answered, "total": total}
    return render(request, TEMPLATES + "_saved.html", context)


@require_GET
@assessment_page
def review(request, invitation):
    response = access.response_of(invitation=invitation)
    if response is None:
        return redirect("assessment:start", token=invitation.token)
    questionnaire.require_answerable(response=response)
    context = {
        "invitation": invitation,
        "unanswered": questionnaire.unanswered_by_area(response=response),
        "areas": questionnaire.areas_of(campaign=invitation.campaign),
    }
    return render(request, TEMPLATES + "review.html", context)


@require_POST
@assessment_page
def submit(request, invitation):
    response = access.response_of(invitation=invitation)
    if response is None:
        raise PrivacyNoticeNotAcceptedError
    if response.submitted_at is None:
        code = questionnaire.submit_response(response=response)
        if code is not None:
            access.grant_results(session=request.session, invitation=invitation)
            access.keep_new_code(
                session=request.session, invitation=invitation, code=codes.shown(code)
            )
    return redirect("assessment:results", token=invitation.token)


def code_form(request, invitation, *, status: int, wrong: bool = False) -> HttpResponse:
    """The results-code form, where results were asked for without proof of who asks."""
    context = {"invitation": invitation, "wrong": wrong}
    return render(request, TEMPLATES + "code.html", context, status=status)


@require_http_methods(["GET", "POST"])
@assessment_page
def code(request, invitation):
    response = access.response_of(invitation=invitation)
    if response is None or response.submitted_at is None:
        return redirect("assessment:start", token=invitation.token)
    if request.method == "GET":
        return code_form(request, invitation, status=200)
    if attempts.codes_limited(request=request, invitation=invitation):
        raise TooManyAttemptsError
    if not codes.matches(response=response, typed=request.POST.get("code", "")):
        attempts.code_refused(request=request, invitation=invitation)
        return code_form(request, invitation, status=400, wrong=True)
    access.grant_results(session=request.session, invitation=invitation)
    return redirect("assessment:results", token=invitation.token)


@require_http_methods(["GET", "POST"])
@assessment_page
def new_code(request, invitation):
    """A new results code for the employee, proven as `results` asks: the old code stops
    working, the new one is shown once on the results page and e-mailed."""
    response = access.response_of(invitation=invitation)
    if response is None or response.submitted_at is None:
        return redirect("assessment:start", token=invitation.token)
    if not access.may_read_results(
        invitation=invitation, user=request.user, session=request.session
    ):
        return code_form(request, invitation, status=403)
    if request.method == "GET":
        context = {"invitation": invitation, "has_code": bool(response.results_code)}
        return render(request, TEMPLATES + "new_code.html", context)
    if not attempts.new_code_allowed(request=request, invitation=invitation):
        raise TooManyAttemptsError
    code = codes.replace_code(response=response, by=request.user, request=request)
    access.keep_new_code(session=request.session, invitation=invitation, code=codes.shown(code))
    return redirect("assessment:results", token=invitation.token)


@require_GET
@assessment_page
def results(request, invitation):
    response = access.response_of(invitation=invitation)
    if response is None or response.submitted_at is None:
        return redirect("assessment:start", token=invitation.token)
    if not access.may_read_results(
        invitation=invitation, user=request.user, session=request.session
    ):
        return code_form(request, invitation, status=403)
    data = results_of(response=response)
    context = {
        "invitation": invitation,
        "results": data,
        "figure": charts.levels_against_targets(results=data) if data else None,
        "sections": results_sections(results=data, response=response) if data else [],
        "new_code": access.pop_new_code(session=request.session, invitation=invitation),
        "has_code": bool(response.results_code),
    }
    return render(request, TEMPLATES + "results.html", context)


@require_GET
@assessment_page
def download(request, invitation, what):
    response = access.response_of(invitation=invitation)
    submitted = response is not None and response.submitted_at is not None
    if submitted and not access.may_read_results(
        invitation=invitation, user=request.user, session=request.session
    ):
        return code_form(request, invitation, status=403)
    file = own_data_file(response=response, what=what) if response else None
    if file is None:
        raise Http404
    return HttpResponse(
        file.body,
        content_type=file.content_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )
