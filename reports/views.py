from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Department
from accounts.roles import Role, is_hr, role_required

from .exports.campaign import (
    AnswersExporter,
    DepartmentReportExporter,
    ReleaseExporter,
    ScoresExporter,
)
from .exports.responses import export_response, package_response
from .feed import serve_feed
from .models import ExportJob, Release
from .packages import package_job_retry, package_request
from .pages import department_page, overview_page
from .plan.manager import approved_plans_for
from .querysets import campaigns_visible_to, may_export_identified
from .releases import held_back_figures, release_for_hr
from .trend import release_change_of

INDIVIDUAL = {"answers": AnswersExporter, "scores": ScoresExporter}


@role_required(Role.REPORT_READER)
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).order_by("-opens_at")
    return render(request, "reports/campaign_list.html", {"campaigns": campaigns})


@role_required(Role.REPORT_READER)
def campaign_overview(request, code):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    page = overview_page(campaign=campaign, user=request.user)
    if page is None:
        return render(request, "reports/release_none.html", {"campaign": campaign})
    jobs = (
        ExportJob.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .order_by("-created_at")[:5]
    )
    context = {"campaign": campaign, "page": page, "is_hr": is_hr(request.user), "jobs": jobs}
    context["plans"] = approved_plans_for(user=request.user, campaign=campaign)
    return render(request, "reports/overview.html", context)


@role_required(Role.REPORT_READER)
def department_report(request, code, department):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    department = get_object_or_404(Department.objects.visible_to(request.user), code=department)
    measure = "gap" if request.GET.get("measure") == "gap" else "level"
    page = department_page(
        campaign=campaign, department=department, measure=measure, user=request.user
    )
    if page is None:
        return render(request, "reports/release_none.html", {"campaign": campaign})
    if department.pk not in page.report.departments:
        raise Http404
    return render(request, "reports/department.html", {"campaign": campaign, "page": page})


@role_required(Role.REPORT_READER)
def export_department_report(request, code, file_format):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    hr = is_hr(request.user)
    release = None if hr else Release.objects.current(campaign)
    if not hr and release is None:
        return render(request, "reports/release_none.html", {"campaign": campaign})
    departments = None if hr else Department.objects.visible_to(request.user)
    exporter = DepartmentReportExporter(campaign=campaign, departments=departments, release=release)
    rows = list(exporter.rows())
    return export_response(
        request=request, campaign=campaign, exporter=exporter, file_format=file_format, rows=rows
    )


@role_required(Role.HR)
def export_individual(request, code, what, file_format):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    identified = request.GET.get("identified") == "1"
    refuse_identified(request.user, identified=identified)
    exporter = INDIVIDUAL[what](campaign=campaign, identified=identified)
    return export_response(
        request=request, campaign=campaign, exporter=exporter, file_format=file_format
    )


@require_POST
@role_required(Role.HR)
def package_create(request, code):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    identified = request.POST.get("identified") == "1"
    refuse_identified(request.user, identified=identified)
    job = package_request(
        campaign=campaign,
        user=request.user,
        open_data=request.POST.get("open_data") == "1",
        identified=identified,
    )
    return redirect("reports:package_job", pk=job.pk)


@require_POST
@role_required(Role.HR)
def package_retry(request, pk):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    refuse_identified(request.user, identified=job.identified)
    if package_job_retry(job=job, user=request.user, request=request):
        messages.success(request, _("The data package is queued again."))
    else:
        messages.error(request, _("Only a failed or stalled data package can be retried."))
    return redirect("reports:package_job", pk=job.pk)


@role_required(Role.HR)
def package_job(request, pk):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    refuse_identified(request.user, identified=job.identified)
    template = "reports/_package_status.html" if request.htmx else "reports/package_job.html"
    return render(request, template, {"job": job})


@role_required(Role.HR)
def package_download(request, pk):
    job = get_object_or_404(ExportJob.objects.visible_to(request.user).ready(), pk=pk)
    refuse_identified(request.user, identified=job.identified)
    return package_response(request=request, job=job)


@role_required(Role.HR)
def release_list(request, code):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    releases = Release.objects.visible_to(request.user).filter(campaign=campaign)
    return render(
        request, "reports/release_list.html", {"campaign": campaign, "releases": releases}
    )


@require_POST
@role_required(Role.HR)
def release_create(request, code):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    release = release_for_hr(campaign=campaign, made_by=request.user)
    return redirect("reports:release_detail", pk=release.pk)


@role_required(Role.HR)
def release_detail(request, pk):
    release = get_object_or_404(Release.objects.visible_to(request.user), pk=pk)
    if request.htmx:
        return render(request, "reports/_release_status.html", {"release": release})
    context = {
        "release": release,
        "held": held_back_figures(release=release),
        "since": release_change_of(release=release),
    }
    return render(request, "reports/release_detail.html", context)


@role_required(Role.HR)
def release_csv(request, code):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    exporter = ReleaseExporter(campaign=campaign)
    rows = list(exporter.rows())
    return export_response(
        request=request, campaign=campaign, exporter=exporter, file_format="csv", rows=rows
    )


@require_GET
def feed(request, code, file_format):
    """The live feed: no session, a feed token (reports/feed.py checks it and the rest)."""
    return serve_feed(request=request, code=code, file_format=file_format)


def refuse_identified(user, *, identified: bool) -> None:
    """Identified data is refused (403) without its permission: checked when a package is
    built and again each time it is opened or downloaded (DESIGN.md "Privacy")."""
    if identified and not may_export_identified(user):
        raise PermissionDenied
