"""HR's workspace pages kept by reports: the home, the exports page, the live feed's tokens
and ARCO requests (they reach campaigns and releases, so they sit at this end of the
dependency chain). config/urls.py mounts them under /hr/ (namespace `hr`)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import ArcoRequest
from accounts.roles import Role, role_required

from .. import arco, feed
from ..models import ExportJob, FeedToken
from ..querysets import campaigns_visible_to, may_export_identified
from .forms import ArcoRequestForm, FeedTokenForm, RectificationForm
from .summary import hr_summary

NEW_TOKEN_KEY = "feed_new_token"  # noqa: S105 - a session key, not a secret


@role_required(Role.HR)
def home(request):
    summary = hr_summary(user=request.user, campaign_code=request.GET.get("campaign"))
    return render(request, "hr/home.html", {"summary": summary})


@role_required(Role.HR)
def exports(request):
    campaigns = list(campaigns_visible_to(request.user).order_by("-opens_at", "code"))
    code = request.GET.get("campaign")
    selected = next((c for c in campaigns if c.code == code), campaigns[0] if campaigns else None)
    jobs = ExportJob.objects.visible_to(request.user).order_by("-created_at")[:20]
    context = {
        "campaigns": campaigns,
        "selected": selected,
        "jobs": jobs,
        "may_identify": may_export_identified(request.user),
        "retention_hours": settings.EXPORT_RETENTION_HOURS,
    }
    return render(request, "hr/exports.html", context)


@role_required(Role.HR)
def feed_tokens(request):
    context = {
        "tokens": FeedToken.objects.visible_to(request.user),
        "form": FeedTokenForm(),
        "new_token": request.session.pop(NEW_TOKEN_KEY, None),
        "campaigns": campaigns_visible_to(request.user).order_by("-opens_at", "code"),
        "site_url": settings.SITE_URL,
    }
    return render(request, "hr/feed_tokens.html", context)


@require_POST
@role_required(Role.HR)
def feed_token_create(request):
    form = FeedTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("hr:feed_tokens")
    _token, raw = feed.issue_token(user=request.user, name=form.cleaned_data["name"])
    # Shown on the next page only: the session forgets it as soon as it is read.
    request.session[NEW_TOKEN_KEY] = raw
    return redirect("hr:feed_tokens")


@require_POST
@role_required(Role.HR)
def feed_token_revoke(request, pk):
    token = get_object_or_404(FeedToken.objects.visible_to(request.user), pk=pk)
    if feed.revoke_token(token=token, by=request.user):
        messages.success(request, _("The token was revoked: it no longer opens the feed."))
    return redirect("hr:feed_tokens")


@role_required(Role.HR)
def arco_list(request):
    form = ArcoRequestForm(user=request.user)
    requests = ArcoRequest.objects.visible_to(request.user)[:100]
    return render(request, "hr/arco_list.html", {"form": form, "requests": requests})


@require_POST
@role_required(Role.HR)
def arco_create(request):
    form = ArcoRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        requests = ArcoRequest.objects.visible_to(request.user)[:100]
        context = {"form": form, "requests": requests}
        return render(request, "hr/arco_list.html", context, status=400)
    data = form.cleaned_data
    record = arco.arco_record(
        employee=data["employee"],
        kind=data["kind"],
        received_on=data["received_on"],
        notes=data["notes"],
        by=request.user,
    )
    return redirect("hr:arco_detail", pk=record.pk)


@role_required(Role.HR)
def arco_detail(request, pk):
    record = get_object_or_404(ArcoRequest.objects.visible_to(request.user), pk=pk)
    form = RectificationForm(instance=record.employee)
    return render(request, "hr/arco_detail.html", {"arco": record, "form": form})


@require_POST
@role_required(Role.HR)
def arco_carry_out(request, pk):
    record = get_object_or_404(ArcoRequest.objects.visible_to(request.user), pk=pk)
    if record.is_done or record.kind == ArcoRequest.Kind.ACCESS:
        return redirect("hr:arco_detail", pk=record.pk)
    if record.kind == ArcoRequest.Kind.RECTIFICATION:
        form = RectificationForm(request.POST, instance=record.employee)
        if not form.is_valid():
            context = {"arco": record, "form": form}
            return render(request, "hr/arco_detail.html", context, status=400)
        arco.arco_rectify(arco=record, changes=form.cleaned_data, by=request.user)
    else:
        arco.CARRY_OUT[record.kind](arco=record, by=request.user)
    messages.success(request, _("The request was carried out."))
    return redirect("hr:arco_detail", pk=record.pk)


@role_required(Role.HR)
def arco_download(request, pk):
    kind = ArcoRequest.Kind.ACCESS
    record = get_object_or_404(ArcoRequest.objects.visible_to(request.user), pk=pk, kind=kind)
    filename, body = arco.arco_access(arco=record, by=request.user)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
