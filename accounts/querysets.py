"""Access starts from the queryset: every view fetches through one of these methods."""

from functools import reduce
from operator import or_

from django.db import models

from .roles import is_hr


class DepartmentQuerySet(models.QuerySet):
    def subtree(self, department) -> "DepartmentQuerySet":
        """The department and everything below it, in one prefix query."""
        return self.filter(path__startswith=department.path)

    def subtrees_of(self, departments) -> "DepartmentQuerySet":
        paths = sorted({d.path for d in departments})
        # A managed department inside another managed one adds nothing.
        roots = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        if not roots:
            return self.none()
        return self.filter(reduce(or_, (models.Q(path__startswith=p) for p in roots)))

    def visible_to(self, user) -> "DepartmentQuerySet":
        """HR sees every department; a manager the subtrees of the departments they manage."""
        if is_hr(user):
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.none()
        managed = list(user.managed_departments.only("path"))
        return self.subtrees_of(managed)


class EmployeeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EmployeeQuerySet":
        """HR sees the roster; anyone else only their own record. Managers see aggregates,
        never individuals, so the roster of their departments is not theirs to read."""
        if is_hr(user):
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def in_departments(self, departments) -> "EmployeeQuerySet":
        from .models import Department

        return self.filter(department__in=Department.objects.subtrees_of(departments))


class ArcoRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ArcoRequestQuerySet":
        """ARCO requests are HR's to record and carry out; nobody else sees them."""
        if not is_hr(user):
            return self.none()
        return self.select_related("employee__department", "employee__job_role", "recorded_by")
