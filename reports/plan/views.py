"""HR's plan pages: thin views over plans.py, catalogue.py and pages.py."""

import base64

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role, role_required
from diagnostic.exceptions import DiagnosticError, error_lines

from . import plans
from .catalogue import catalogue_import, catalogue_preview
from .forms import BudgetForm, CatalogueUploadForm, ChoiceForm, PlanForm
from .models import Offering, Plan
from .pages import plan_page
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
    context = {"page": page, "budget_form": BudgetForm(initial={"budget": page.plan.budget})}
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
