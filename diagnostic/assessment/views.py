"""The respondent's pages. Each checks the token in its URL against the session's binding;
the work is done by `questionnaire` and `results`."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..exceptions import (
    AlreadySubmittedError,
    AssessmentError,
    CampaignNotOpenError,
    EmployeeInactiveError,
    InvalidAnswerError,
    InvitationNotFoundError,
    PrivacyNoticeNotAcceptedError,
    error_lines,
)
from ..models import Invitation, Response
from . import charts, questionnaire
from .downloads import (
    ANSWER_COLUMNS,
    SCORE_COLUMNS,
    answer_rows,
    own_data_json,
    rows_as_csv,
    score_rows,
)
from .results import personal_results

SESSION_KEY = "assessment_invitations"
TEMPLATES = "diagnostic/assessment/"
TITLES = {
    InvitationNotFoundError: _("Link not valid"),
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
    return render(request, TEMPLATES + template, {"texts": texts, "error": error}, status=status)


def assessment_page(view=None, *, entry: bool = False):
    """Load the invitation of the URL's token; bind it to the session or check the binding.

    The entry link (/a/<token>/) always binds, with a new session key. Later pages bind only
    an unbound session (so an expired session loses nothing) and refuse one bound to other
    invitations: the session alone never grants anything.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, token, **kwargs):
            try:
                invitation = questionnaire.invitation_for_token(token=token, user=request.user)
            except InvitationNotFoundError as error:
                return refuse(request, error, status=404)
            except EmployeeInactiveError as error:
                return refuse(request, error, status=403)
            bound = request.session.get(SESSION_KEY, [])
            if entry or not bound:
                request.session.cycle_key()
                request.session[SESSION_KEY] = _binding(invitation, bound if entry else [])
            elif invitation.pk not in bound:
                return refuse(request, InvitationNotFoundError(), status=404)
            try:
                return view(request, invitation, **kwargs)
            except AssessmentError as error:
                return _domain_error(request, invitation, error)

        return wrapper

    return decorator(view) if view else decorator


def _binding(invitation, bound: list[int]) -> list[int]:
    """This invitation, and the same person's others already open (two campaigns in two
    tabs); on a shared computer the next person's link forgets the previous person's."""
    kept = Invitation.objects.filter(
        pk__in=[pk for pk in bound if pk != invitation.pk], employee_id=invitation.employee_id
    ).values_list("pk", flat=True)
    return [invitation.pk, *kept] if bound else [invitation.pk]


def _domain_error(request, invitation, error: AssessmentError) -> HttpResponse:
    if request.method == "GET" and isinstance(error, AlreadySubmittedError):
        return redirect("assessment:results", token=invitation.token)
    if request.method == "GET" and isinstance(error, PrivacyNoticeNotAcceptedError):
        return redirect("assessment:privacy", token=invitation.token)
    return refuse(request, error, status=403 if request.method == "GET" else 400)


def _response(invitation) -> Response | None:
    response = Response.objects.filter(invitation=invitation).first()
    if response is not None:
        response.invitation = invitation
    return response


@login_required
@require_GET
def mine(request):
    invitations = questionnaire.open_invitations_of(user=request.user)
    return render(request, TEMPLATES + "mine.html", {"invitations": invitations})


@require_GET
@assessment_page(entry=True)
def start(request, invitation):
    response = _response(invitation)
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
    response = _response(invitation)
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
    context = {"invitation": invitation, "notice": notice, "response": response}
    return render(request, TEMPLATES + "privacy.html", context)


@require_GET
@assessment_page
def declined(request, invitation):
    return render(request, TEMPLATES + "declined.html", {"invitation": invitation})


@require_http_methods(["GET", "POST"])
@assessment_page
def area(request, invitation, code):
    response = _response(invitation)
    if response is None:
        return redirect("assessment:start", token=invitation.token)
    questionnaire.require_answerable(response=response)
    areas = questionnaire.areas_of(campaign=invitation.campaign)
    position = next((i for i, a in enumerate(areas) if a.code == code), None)
    if position is None:
        raise Http404
    error, posted = None, {}
    if request.method == "POST":
        try:
            answers = questionnaire.parse_answers(response=response, data=request.POST)
            questionnaire.save_answers(response=response, answers=answers)
        except InvalidAnswerError as invalid:
            error = invalid.message
            posted = {int(k[1:]): v for k, v in request.POST.items() if k[1:].isdigit()}
        else:
            return redirect(_after_page(invitation, areas, position, request.POST.get("action")))
    questions = questionnaire.questions_of(area=areas[position])
    selected = questionnaire.answered_values(response=response, questions=questions) | posted
    context = {
        "invitation": invitation,
        "areas": areas,
        "area": areas[position],
        "number": position + 1,
        "previous": areas[position - 1] if position else None,
        "items": [(q, questionnaire.choices_for(q), selected.get(q.pk)) for q in questions],
        "answered": questionnaire.answered_count(response=response),
        "total": sum(a.question_count for a in areas),
        "error": error,
    }
    return render(request, TEMPLATES + "area.html", context, status=400 if error else 200)


def _after_page(invitation, areas, position: int, action: str | None) -> str:
    token = invitation.token
    if action == "previous" and position > 0:
        return reverse("assessment:area", args=[token, areas[position - 1].code])
    if action == "next" and position + 1 < len(areas):
        return reverse("assessment:area", args=[token, areas[position + 1].code])
    if action == "stay":
        return reverse("assessment:area", args=[token, areas[position].code])
    return reverse("assessment:review", args=[token])


@require_POST
@assessment_page
def save(request, invitation):
    """One radio group, saved as it is answered (htmx); returns the group's status line."""
    response = _response(invitation)
    if response is None:
        raise PrivacyNoticeNotAcceptedError
    answers = questionnaire.parse_answers(response=response, data=request.POST)
    questionnaire.save_answers(response=response, answers=answers)
    return render(request, TEMPLATES + "_saved.html", {"count": len(answers)})


@require_GET
@assessment_page
def review(request, invitation):
    response = _response(invitation)
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
    response = _response(invitation)
    if response is None:
        raise PrivacyNoticeNotAcceptedError
    if response.submitted_at is None:
        questionnaire.submit_response(response=response)
    return redirect("assessment:results", token=invitation.token)


@require_GET
@assessment_page
def results(request, invitation):
    response = _response(invitation)
    if response is None or response.submitted_at is None:
        return redirect("assessment:start", token=invitation.token)
    data = personal_results(response=response) if response.scored_at else None
    context = {
        "invitation": invitation,
        "response": response,
        "results": data,
        "figure": charts.levels_against_targets(results=data) if data else None,
    }
    return render(request, TEMPLATES + "results.html", context)


DOWNLOADS = {
    "answers.csv": ("text/csv; charset=utf-8", ANSWER_COLUMNS, answer_rows),
    "results.csv": ("text/csv; charset=utf-8", SCORE_COLUMNS, score_rows),
}


@require_GET
@assessment_page
def download(request, invitation, what):
    response = _response(invitation)
    if response is None or what not in {*DOWNLOADS, "data.json"}:
        raise Http404
    if what == "data.json":
        body, content_type = own_data_json(response=response), "application/json; charset=utf-8"
    else:
        content_type, columns, rows = DOWNLOADS[what]
        body = rows_as_csv(rows=rows(response=response), columns=columns)
    filename = f"{invitation.campaign.code}-{what}"
    return HttpResponse(
        body,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
