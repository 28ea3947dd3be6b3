import io
import tempfile

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Department
from accounts.roles import Role, is_hr, role_required

from .exports.campaign import AnswersExporter, DepartmentReportExporter, ScoresExporter
from .exports.recording import record_export
from .exports.writers import csv_chunks, write_json, write_xlsx
from .models import ExportJob
from .pages import department_page, overview_page
from .querysets import campaigns_visible_to
from .tasks import build_package_task

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
INDIVIDUAL = {"answers": AnswersExporter, "scores": ScoresExporter}


@role_required(Role.REPORT_READER)
def campaign_list(request):
    campaigns = campaigns_visible_to(request.user).order_by("-opens_at")
    return render(request, "reports/campaign_list.html", {"campaigns": campaigns})


@role_required(Role.REPORT_READER)
def campaign_overview(request, code):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    page = overview_page(campaign=campaign, user=request.user)
    jobs = []
    if is_hr(request.user):
        jobs = list(ExportJob.objects.filter(campaign=campaign).order_by("-created_at")[:5])
    context = {"campaign": campaign, "page": page, "is_hr": is_hr(request.user), "jobs": jobs}
    return render(request, "reports/overview.html", context)


@role_required(Role.REPORT_READER)
def department_report(request, code, department):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    department = get_object_or_404(Department.objects.visible_to(request.user), code=department)
    measure = "gap" if request.GET.get("measure") == "gap" else "level"
    page = department_page(campaign=campaign, department=department, measure=measure)
    if department.pk not in page.report.departments:
        raise Http404
    return render(request, "reports/department.html", {"campaign": campaign, "page": page})


@role_required(Role.REPORT_READER)
def export_department_report(request, code, file_format):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    departments = None if is_hr(request.user) else Department.objects.visible_to(request.user)
    exporter = DepartmentReportExporter(campaign=campaign, departments=departments)
    rows = list(exporter.rows())
    return export_response(request, campaign, exporter, rows, file_format, len(rows))


@role_required(Role.HR)
def export_individual(request, code, what, file_format):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    identified = request.GET.get("identified") == "1"
    if identified and not request.user.has_perm("reports.export_identified"):
        raise PermissionDenied
    exporter = INDIVIDUAL[what](campaign=campaign, identified=identified)
    return export_response(request, campaign, exporter, None, file_format, exporter.count())


def export_response(request, campaign, exporter, rows, file_format, count):
    """Record the export, then stream the file: CSV row by row, XLSX from a temporary file."""
    record_export(
        campaign=campaign,
        what=exporter.name,
        rows=count,
        user=request.user,
        request=request,
        file_format=file_format,
        identified=exporter.identified,
    )
    filename = f"{campaign.code}-{exporter.name}.{file_format}"
    rows = exporter.rows() if rows is None else rows
    if file_format == "csv":
        response = StreamingHttpResponse(
            csv_chunks(exporter.headers, rows), content_type=FORMATS["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    if file_format == "xlsx":
        write_xlsx(exporter.headers, rows, stream, title=exporter.name)
    else:
        text = io.TextIOWrapper(stream, encoding="utf-8")
        write_json(exporter.headers, rows, text)
        text.flush()
        text.detach()
    stream.seek(0)
    return FileResponse(
        stream, as_attachment=True, filename=filename, content_type=FORMATS[file_format]
    )


@require_POST
@role_required(Role.HR)
def package_create(request, code):
    campaign = get_object_or_404(campaigns_visible_to(request.user), code=code)
    identified = request.POST.get("identified") == "1"
    if identified and not request.user.has_perm("reports.export_identified"):
        raise PermissionDenied
    job = ExportJob.objects.create(
        campaign=campaign,
        requested_by=request.user,
        open_data=request.POST.get("open_data") == "1",
        identified=identified,
    )
    transaction.on_commit(lambda: build_package_task.delay(job.pk))
    return redirect("reports:package_job", pk=job.pk)


@role_required(Role.HR)
def package_job(request, pk):
    job = get_object_or_404(
        ExportJob.objects.filter(campaign__in=campaigns_visible_to(request.user)), pk=pk
    )
    template = "reports/_package_status.html" if request.htmx else "reports/package_job.html"
    return render(request, template, {"job": job})


@role_required(Role.HR)
def package_download(request, pk):
    job = get_object_or_404(
        ExportJob.objects.filter(
            campaign__in=campaigns_visible_to(request.user), status=ExportJob.Status.DONE
        ),
        pk=pk,
    )
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file.name.split("/")[-1]
    )
