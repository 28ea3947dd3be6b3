"""Which campaigns and departments a user may read reports of."""

from django.db.models import QuerySet

from accounts.models import Department
from accounts.roles import Role, is_hr, roles_of
from diagnostic.models import Campaign


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """HR: every launched campaign; a manager: those that invited someone in their subtrees."""
    launched = Campaign.objects.filter(launched_at__isnull=False).select_related("framework")
    if is_hr(user):
        return launched
    departments = Department.objects.visible_to(user)
    return launched.filter(
        pk__in=Campaign.objects.filter(invitations__department__in=departments).values("pk")
    )


def may_export_identified(user) -> bool:
    """Identified (non-pseudonymous) data needs its own permission, on top of being HR."""
    held = roles_of(user)
    return Role.HR in held and Role.IDENTIFIED_EXPORTER in held


def quality_campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Instrument quality is for HR and framework editors: every launched campaign."""
    held = roles_of(user)
    if Role.HR not in held and Role.FRAMEWORK_EDITOR not in held:
        return Campaign.objects.none()
    return Campaign.objects.filter(launched_at__isnull=False).select_related("framework")
