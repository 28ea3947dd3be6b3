"""HR's plan pages: thin views over plans.py, catalogue.py and pages.py."""

import base64

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, role_required
from diagnostic.exceptions import DiagnosticError, error_lines
from lib.spreadsheets import csv_writer, escape_formula

from ..querysets import campaigns_visible_to, may_export_identified
from . import enrolment, plans
from .catalogue import catalogue_import, catalogue_preview, offering_save
from .catalogue_workbook import catalogue_template as template_bytes
from .forms import (
    BudgetForm,
    CatalogueUploadForm,
    ChoiceForm,
    EnrolmentForm,
    OfferingForm,
    PlanForm,
)
from .manager import manager_plan
from .models import Enrolment, Offering, Plan
from .pages import plan_page
from .progress import plan_progress as progress_rows
from .workbook import plan_workbook

UPLOAD = "plan_catalogue_upload"


def _plan(request, code) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user), code=code)


def _refused(request, error: DiagnosticError) -> None:
    for line in error_lines(error):
        messages.error(request, line)


@role_required(Role.HR)
def plan_list(request):
    plans_ = Plan.objects.visible_to(request.user)
    return render(request, "reports/plan/list.html", {"plans": plans_})


@role_required(Role.HR)
def plan_create(request):
    form = PlanForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            plan = plans.plan_create(by=request.user, **form.cleaned_data)
        except DiagnosticError as error:
            form.add_error(None, error_lines(error))
        else:
            return redirect("reports:plan_detail", code=plan.code)
    return render(request, "reports/plan/form.html", {"form": form})


@role_required(Role.HR)
def plan_detail(request, code):
    page = plan_page(plan=_plan(request, code))
    later = campaigns_visible_to(request.user).filter(opens_at__gt=page.plan.campaign.opens_at)
    context = {"page": page, "later": [] if page.plan.is_draft else later}
    context["campaign_open"] = page.plan.is_draft and page.plan.campaign.is_open()
    return render(request, "reports/plan/detail.html", context)


@role_required(Role.HR)
def plan_committee(request, code):
    page = plan_page(plan=_plan(request, code))
    return render(request, "reports/plan/committee.html", {"page": page})


@require_POST
@role_required(Role.HR)
def plan_budget(request, code):
    plan = _plan(request, code)
    form = BudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The budget must be a number of pesos, zero or more."))
        return redirect("reports:plan_detail", code=plan.code)
    try:
        plans.plan_set_budget(plan=plan, budget=form.cleaned_data["budget"], by=request.user)
    except DiagnosticError as error:
        _refused(request, error)
    return redirect("reports:plan_detail", code=plan.code)


@require_POST
@role_required(Role.HR)
def plan_choice(request, code):
    plan = _plan(request, code)
    form = ChoiceForm(request.POST)
    try:
        if not form.is_valid():
            raise plans.PlanError(_("This line cannot be marked that way."))
        plans.plan_set_choice(plan=plan, by=request.user, **form.cleaned_data)
    except DiagnosticError as error:
        _refused(request, error)
    return redirect("reports:plan_detail", code=plan.code)


@require_POST
@role_required(Role.HR)
def plan_approve(request, code):
    plan = _plan(request, code)
    try:
        plans.plan_approve(plan=plan, by=request.user)
    except DiagnosticError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The plan is approved: its figures and prices are frozen."))
    return redirect("reports:plan_detail", code=plan.code)


@role_required(Role.HR)
def plan_xlsx(request, code):
    page = plan_page(plan=_plan(request, code))
    response = HttpResponse(
        plan_workbook(page),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{page.plan.code}.xlsx"'
    return response


@role_required(Role.HR)
def catalogue(request):
    offerings = Offering.objects.visible_to(request.user).current()
    context = {"offerings": offerings, "form": CatalogueUploadForm()}
    return render(request, "reports/plan/catalogue.html", context)


@role_required(Role.HR)
def catalogue_template(request):
    response = HttpResponse(
        template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="catalogue-template.xlsx"'
    return response


@require_POST
@role_required(Role.HR)
def catalogue_upload(request):
    """Read the file and show what importing it would do; the file waits in the session."""
    form = CatalogueUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        context = {"offerings": Offering.objects.visible_to(request.user).current(), "form": form}
        return render(request, "reports/plan/catalogue.html", context, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    preview = catalogue_preview(data=data, filename=upload.name)
    if preview.ok:
        request.session[UPLOAD] = [upload.name, base64.b64encode(data).decode()]
    context = {"preview": preview, "filename": upload.name}
    return render(request, "reports/plan/catalogue_preview.html", context)


@require_POST
@role_required(Role.HR)
def catalogue_confirm(request):
    stored = request.session.pop(UPLOAD, None)
    if stored is None:
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect("reports:plan_catalogue")
    try:
        preview = catalogue_import(data=base64.b64decode(stored[1]), filename=stored[0])
    except DiagnosticError as error:
        _refused(request, error)
    else:
        count = len(preview.rows) - len(preview.of("unchanged"))
        messages.success(
            request, _("Catalogue imported: %(count)s offerings changed.") % {"count": count}
        )
    return redirect("reports:plan_catalogue")


@role_required(Role.HR)
def offering_edit(request, offering):
    """Edit one current offering; if an approved plan uses it, saving makes a new version."""
    found = get_object_or_404(Offering.objects.visible_to(request.user).current(), code=offering)
    form = OfferingForm(request.POST or None, initial=OfferingForm.initial_of(found))
    if form.is_valid():
        try:
            offering_save(values={**form.cleaned_data, "offering_code": found.code})
        except DiagnosticError as error:
            form.add_error(None, error_lines(error))
        else:
            messages.success(request, _("Offering %(code)s saved.") % {"code": found.code})
            return redirect("reports:plan_catalogue")
    context = {"offering": found, "form": form}
    return render(
        request, "reports/plan/offering_form.html", context, status=400 if form.errors else 200
    )


def _named_plan(request, code) -> Plan:
    """An approved plan whose named lists this user may read: HR with the identified
    permission, checked on every request."""
    if not may_export_identified(request.user):
        raise PermissionDenied
    return get_object_or_404(Plan.objects.visible_to(request.user).approved(), code=code)


@role_required(Role.HR)
def plan_enrolments(request, code):
    plan = _named_plan(request, code)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            found = get_object_or_404(
                Enrolment.objects.visible_to(request.user).filter(line__plan=plan),
                pk=form.cleaned_data["enrolment"],
            )
            enrolment.enrolment_set_state(enrolment=found, state=form.cleaned_data["state"])
        return redirect("reports:plan_enrolments", code=plan.code)
    enrolments = Enrolment.objects.visible_to(request.user).filter(line__plan=plan)
    context = {
        "plan": plan,
        "delivery": enrolment.delivery(plan=plan),
        "by_department": enrolment.cohorts_by_department(plan=plan),
        "enrolments": enrolments,
        "states": Enrolment.State.choices,
    }
    return render(request, "reports/plan/enrolments.html", context)


@role_required(Role.HR)
def plan_named_list(request, code):
    plan = _named_plan(request, code)
    enrolments = Enrolment.objects.visible_to(request.user).filter(line__plan=plan)
    rows = enrolment.named_list_rows(enrolments)
    enrolment.record_named_list(plan=plan, rows=len(rows), request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-named_list.csv"'
    writer = csv_writer(response)
    writer.writerow(enrolment.NAMED_LIST_HEADERS)
    writer.writerows([[escape_formula(str(v)) for v in row] for row in rows])
    return response


@require_POST
@role_required(Role.HR)
def plan_enrolments_import(request, code):
    plan = _named_plan(request, code)
    form = CatalogueUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or XLSX file of at most 2 MB."))
        return redirect("reports:plan_enrolments", code=plan.code)
    upload = form.cleaned_data["file"]
    try:
        count = enrolment.enrolment_import(plan=plan, data=upload.read(), filename=upload.name)
    except DiagnosticError as error:
        _refused(request, error)
    else:
        messages.success(request, _("%(count)s enrolments updated.") % {"count": count})
    return redirect("reports:plan_enrolments", code=plan.code)


@role_required(Role.REPORT_READER)
def plan_for_departments(request, code):
    """The approved plan for the reader's departments: released figures only, no names."""
    plan = get_object_or_404(Plan.objects.readable_by(request.user), code=code)
    departments = manager_plan(plan=plan, user=request.user)
    if departments is None:
        return render(request, "reports/release_none.html", {"campaign": plan.campaign})
    context = {"plan": plan, "departments": departments, "k": plan.campaign.anonymity_threshold}
    return render(request, "reports/plan/departments.html", context)


@role_required(Role.HR)
def plan_progress(request, code, campaign):
    """An approved plan's competencies at a later campaign (an association, not a cause)."""
    plan = get_object_or_404(Plan.objects.visible_to(request.user).approved(), code=code)
    later = get_object_or_404(
        campaigns_visible_to(request.user).filter(opens_at__gt=plan.campaign.opens_at),
        code=campaign,
    )
    context = {
        "plan": plan,
        "later": later,
        "rows": progress_rows(plan=plan, later=later),
        "k": later.anonymity_threshold,
    }
    return render(request, "reports/plan/progress.html", context)
