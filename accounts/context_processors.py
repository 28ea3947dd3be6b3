from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import FRAMEWORK_EDITORS_GROUP, is_hr


def navigation_for(user) -> list[tuple[str, str]]:
    """The entries of the main navigation for this user, as (label, url)."""
    if not user.is_authenticated:
        return []
    entries = [(_("Home"), reverse("home"))]
    if is_hr(user):
        entries.append((_("Campaigns"), reverse("campaigns:list")))
        entries.append((_("Roster"), reverse("admin:accounts_employee_changelist")))
        entries.append((_("Audit log"), reverse("admin:accounts_auditevent_changelist")))
    elif user.managed_departments.exists():
        entries.append((_("My departments"), reverse("home") + "#departments"))
    if user.is_superuser or user.groups.filter(name=FRAMEWORK_EDITORS_GROUP).exists():
        entries.append((_("Framework editing"), reverse("admin:index")))
    if user.is_superuser:
        entries.append((_("Administration"), reverse("admin:index")))
    return entries


def navigation(request) -> dict:
    return {"navigation": navigation_for(request.user)}
