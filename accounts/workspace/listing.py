"""What HR's roster, department tree and audit log pages list: querysets filtered by the
pages' forms, each page one query for its rows whatever the size of the data."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from ..models import AuditEvent, Department, Employee
from .forms import start_of_day

PAGE_SIZE = 50


def roster(
    *, user, q: str = "", department=None, job_role=None, active: str = ""
) -> QuerySet[Employee]:
    """The roster `user` may read, searched by name, number or e-mail and filtered by a
    department subtree, a job role and active or not."""
    rows = Employee.objects.visible_to(user).select_related("department", "job_role")
    if q:
        rows = rows.filter(
            Q(full_name__icontains=q) | Q(employee_number__icontains=q) | Q(email__icontains=q)
        )
    if department is not None:
        rows = rows.filter(department__path__startswith=department.path)
    if job_role is not None:
        rows = rows.filter(job_role=job_role)
    if active in ("0", "1"):
        rows = rows.filter(active=active == "1")
    return rows.order_by("employee_number")


def department_tree(*, user) -> QuerySet[Department]:
    """Every department `user` may see in tree order, with its direct staff counted."""
    return (
        Department.objects.visible_to(user)
        .select_related("parent")
        .annotate(
            staff=Count("employees", filter=Q(employees__active=True)),
            managers_count=Count("managers", distinct=True),
        )
        .order_by("path")
    )


def audit_events(
    *,
    action: str = "",
    user: str = "",
    campaign: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log filtered by kind, user (e-mail, in part), campaign code and local dates
    (both ends included)."""
    rows = AuditEvent.objects.all()
    if action:
        rows = rows.filter(action=action)
    if user:
        rows = rows.filter(username__icontains=user)
    if campaign:
        rows = rows.filter(detail__campaign=campaign)
    if since:
        rows = rows.filter(created_at__gte=start_of_day(since))
    if until:
        rows = rows.filter(created_at__lt=start_of_day(until + dt.timedelta(days=1)))
    return rows.order_by("-created_at", "-pk")
