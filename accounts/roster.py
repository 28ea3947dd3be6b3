"""Changes to the roster that carry rules beyond a plain save."""

from django.db import transaction

from . import audit
from .models import AuditEvent, Employee


@transaction.atomic
def employee_set_active(*, employee: Employee, active: bool, by=None) -> Employee:
    """Activate or deactivate an employee.

    A deactivated employee's account is disabled too, which ends every session of theirs at
    the next request (Django refuses a session whose user is inactive).
    """
    was_active = (
        Employee.objects.select_for_update().values_list("active", flat=True).get(pk=employee.pk)
    )
    employee.active = active
    employee.save(update_fields=["active", "updated_at"])
    sync_account_status(employee=employee)
    if was_active and not active:
        audit.record(
            action=AuditEvent.Action.EMPLOYEE_DEACTIVATED,
            user=by,
            employee_number=employee.employee_number,
        )
    return employee


def sync_account_status(*, employee: Employee) -> None:
    """Keep the linked account's `is_active` in step with the roster.

    Administrators' accounts are left alone so that a roster file cannot lock them out.
    """
    user = employee.user
    if user is not None and user.is_active != employee.active and not user.is_superuser:
        user.is_active = employee.active
        user.save(update_fields=["is_active"])
