"""HR's roster, department tree and audit log, in the site's own look (not only the admin)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ..roles import Role, role_required
from .forms import AuditFilterForm, RosterFilterForm
from .listing import PAGE_SIZE, audit_events, department_tree, roster


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@role_required(Role.HR)
def roster_list(request):
    form = RosterFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, roster(user=request.user, **filters))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "accounts/workspace/roster.html", context)


@role_required(Role.HR)
def departments(request):
    rows = department_tree(user=request.user)
    return render(request, "accounts/workspace/departments.html", {"departments": rows})


@role_required(Role.HR)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, audit_events(**filters))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "accounts/workspace/audit_log.html", context)
