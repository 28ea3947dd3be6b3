"""HR pages for campaigns: list, create, edit, launch, close, extend, participation,
the privacy notice, the links for people without e-mail, and a new results code for an
employee who lost theirs."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, role_required

from ..assessment import codes
from ..exceptions import DiagnosticError, error_lines
from ..models import Campaign
from . import lifecycle, links, participation, status
from .forms import CampaignForm, ExtendForm, LinksForm, PrivacyNoticeForm, ResultsCodeForm
from .notices import latest_notice, notice_create


def get_campaign(request, pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("framework", "privacy_notice"),
        pk=pk,
    )


@role_required(Role.HR)
def campaign_list(request):
    rows = status.campaigns_with_counts(user=request.user)
    now = timezone.now()
    for campaign in rows:
        campaign.status = status.campaign_status(campaign=campaign, now=now)
    return render(request, "diagnostic/campaigns/list.html", {"campaigns": rows})


@role_required(Role.HR)
def campaign_create(request):
    form = CampaignForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            campaign = lifecycle.campaign_create(created_by=request.user, **form.cleaned_data)
        except DiagnosticError as error:
            form.add_error(None, error_lines(error))
        else:
            messages.success(request, _("Campaign created. Launch it when it is ready."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "diagnostic/campaigns/form.html", {"form": form})


@role_required(Role.HR)
def campaign_edit(request, pk: int):
    campaign = get_campaign(request, pk)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            lifecycle.campaign_update(campaign=campaign, by=request.user, **fields)
        except DiagnosticError as error:
            form.add_error(None, error_lines(error))
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "diagnostic/campaigns/form.html", {"form": form, "campaign": campaign})


@role_required(Role.HR)
def campaign_detail(request, pk: int):
    campaign = get_campaign(request, pk)
    current = status.campaign_status(campaign=campaign)
    context = {
        "campaign": campaign,
        "status": current,
        "participation": participation.participation(campaign=campaign),
        "departments": campaign.departments.order_by("path"),
    }
    if current == status.Status.LAUNCHING:
        context["made"], context["total"] = status.launch_progress(campaign=campaign)
    if campaign.launch_completed_at is not None:
        context["sending"] = status.sending_progress(campaign=campaign)
    return render(request, "diagnostic/campaigns/detail.html", context)


@role_required(Role.HR)
def launch_progress(request, pk: int):
    campaign = get_campaign(request, pk)
    made, total = status.launch_progress(campaign=campaign)
    context = {
        "campaign": campaign,
        "status": status.campaign_status(campaign=campaign),
        "made": made,
        "total": total,
    }
    if campaign.launch_completed_at is not None:
        context["sending"] = status.sending_progress(campaign=campaign)
    return render(request, "diagnostic/campaigns/_progress.html", context)


def _act(request, action, success: str, **kwargs):
    try:
        action(**kwargs)
    except DiagnosticError as error:
        for line in error_lines(error):
            messages.error(request, line)
    else:
        messages.success(request, success)


@role_required(Role.HR)
def campaign_launch(request, pk: int):
    """Asks for confirmation (who will be invited and e-mailed), then launches."""
    campaign = get_campaign(request, pk)
    if request.method == "POST":
        _act(
            request,
            lifecycle.campaign_launch,
            _("Campaign launched: invitations are being made and sent."),
            campaign=campaign,
        )
        return redirect("campaigns:detail", pk=campaign.pk)
    if campaign.launched_at is not None:
        return redirect("campaigns:detail", pk=campaign.pk)
    context = {"campaign": campaign, "preview": status.launch_preview(campaign=campaign)}
    return render(request, "diagnostic/campaigns/launch.html", context)


@require_POST
@role_required(Role.HR)
def campaign_close(request, pk: int):
    campaign = get_campaign(request, pk)
    _act(request, lifecycle.campaign_close, _("Campaign closed."), campaign=campaign)
    return redirect("campaigns:detail", pk=campaign.pk)


@role_required(Role.HR)
def campaign_extend(request, pk: int):
    campaign = get_campaign(request, pk)
    form = ExtendForm(request.POST or None, campaign=campaign)
    if form.is_valid():
        try:
            lifecycle.campaign_extend(campaign=campaign, closes_at=form.cleaned_data["closes_at"])
        except DiagnosticError as error:
            form.add_error("closes_at", error_lines(error))
        else:
            messages.success(request, _("Closing date moved; the campaign is open until then."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "diagnostic/campaigns/extend.html", {"form": form, "campaign": campaign})


def _links_form(request, campaign: Campaign, *, department_required: bool) -> LinksForm:
    return LinksForm(
        request.GET or None,
        departments=status.population_departments(campaign=campaign, user=request.user),
        department_required=department_required,
    )


@role_required(Role.HR)
def links_sheet(request, pk: int):
    campaign = get_campaign(request, pk)
    form = _links_form(request, campaign, department_required=True)
    groups = None
    if form.is_valid():
        groups = links.sheet_export(
            campaign=campaign, user=request.user, request=request, **form.cleaned_data
        )
    context = {"campaign": campaign, "form": form, "groups": groups}
    return render(request, "diagnostic/campaigns/sheet.html", context)


@role_required(Role.HR)
def links_csv(request, pk: int):
    campaign = get_campaign(request, pk)
    form = _links_form(request, campaign, department_required=False)
    if not form.is_valid():
        return render(
            request, "diagnostic/campaigns/links.html", {"campaign": campaign, "form": form}
        )
    filename = links.links_csv_filename(campaign=campaign)
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    links.links_csv_export(
        campaign=campaign, user=request.user, request=request, stream=response, **form.cleaned_data
    )
    return response


# The code HR just made, until the page after the redirect has shown it once.
HR_NEW_CODE = "campaigns_new_results_code"


@role_required(Role.HR)
def results_code(request, pk: int):
    """HR makes a new results code for an employee who lost theirs, shown once to hand over;
    the page shows who it is for, never their answers."""
    campaign = get_campaign(request, pk)
    form = ResultsCodeForm(request.POST or None)
    if form.is_valid():
        try:
            invitation, code = codes.replace_code_for_hr(
                campaign=campaign, by=request.user, request=request, **form.cleaned_data
            )
        except DiagnosticError as error:
            form.add_error("employee_number", error_lines(error))
        else:
            issued = {"campaign": campaign.pk, "for": str(invitation.employee)}
            request.session[HR_NEW_CODE] = {**issued, "code": codes.shown(code)}
            return redirect("campaigns:results_code", pk=campaign.pk)
    issued = request.session.pop(HR_NEW_CODE, None) if request.method == "GET" else None
    if issued and issued["campaign"] != campaign.pk:
        issued = None
    context = {"campaign": campaign, "form": form, "issued": issued}
    return render(request, "diagnostic/campaigns/results_code.html", context)


@role_required(Role.HR)
def privacy_notice(request):
    form = PrivacyNoticeForm(request.POST or None, initial=_notice_initial())
    if form.is_valid():
        notice = notice_create(**form.cleaned_data)
        messages.success(
            request,
            _("Privacy notice version %(version)s saved; campaigns launched from now on use it.")
            % {"version": notice.version},
        )
        return redirect("campaigns:privacy_notice")
    return render(
        request,
        "diagnostic/campaigns/privacy_notice.html",
        {"form": form, "notice": latest_notice()},
    )


def _notice_initial() -> dict:
    notice = latest_notice()
    if notice is None:
        return {}
    return {name: getattr(notice, name) for name in PrivacyNoticeForm.base_fields}


def public_privacy_notice(request):
    """The current privacy notice, for anyone: the footer of every page links here."""
    return render(request, "diagnostic/campaigns/public_privacy.html", {"notice": latest_notice()})
