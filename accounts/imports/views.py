"""HR's import pages: upload, preview (polled while the file is read), confirm, template."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import ImportJob
from ..roles import Role, role_required
from . import jobs
from .forms import RecheckForm, UploadForm
from .workbook import template_response

RECENT = 10


@role_required(Role.HR)
def start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.import_start(
            kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
        )
        return redirect("imports:job", pk=job.pk)
    recent = ImportJob.objects.visible_to(request.user).select_related("requested_by")[:RECENT]
    status = 400 if form.errors else 200
    return render(
        request, "accounts/imports/start.html", {"form": form, "recent": recent}, status=status
    )


@role_required(Role.HR)
def job(request, pk):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    context = {
        "job": job,
        "problems": jobs.problems_of(job),
    }
    template = "accounts/imports/_status.html" if request.htmx else "accounts/imports/job.html"
    return render(request, template, context)


@require_POST
@role_required(Role.HR)
def confirm(request, pk):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if not jobs.import_confirm(job=job):
        messages.error(request, _("This import cannot be confirmed: upload the file again."))
    return redirect("imports:job", pk=job.pk)


@require_POST
@role_required(Role.HR)
def recheck(request, pk):
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    form = RecheckForm(request.POST)
    form.is_valid()
    jobs.import_recheck(
        job=job, create_departments=form.cleaned_data.get("create_departments", False)
    )
    return redirect("imports:job", pk=job.pk)


@role_required(Role.HR)
def template(request, kind):
    if kind not in ImportJob.Kind.values:
        raise Http404
    return template_response(kind=kind)
