from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Employee
from .querysets import FRAMEWORK_EDITORS_GROUP, is_hr


def navigation_for(user) -> list[tuple[str, str]]:
    """The entries of the main navigation for this user, as (label, url).

    Other apps' pages are reached by URL name only: accounts does not import them.
    """
    if not user.is_authenticated:
        return []
    hr = is_hr(user)
    entries = [(_("Home"), reverse("home"))]
    if Employee.objects.filter(user=user, active=True).exists():
        entries.append((_("My assessment"), reverse("assessment:mine")))
    if hr:
        entries.append((_("Campaigns"), reverse("campaigns:list")))
    if hr or user.managed_departments.exists():
        entries.append((_("Reports"), reverse("reports:campaign_list")))
    if hr:
        entries.append((_("Roster"), reverse("admin:accounts_employee_changelist")))
        entries.append((_("Audit log"), reverse("admin:accounts_auditevent_changelist")))
    entries.append((_("Skills framework"), reverse("framework:current")))
    if user.is_superuser or user.groups.filter(name=FRAMEWORK_EDITORS_GROUP).exists():
        entries.append((_("Framework editing"), reverse("admin:index")))
    if user.is_superuser:
        entries.append((_("Administration"), reverse("admin:index")))
    return entries


def navigation(request) -> dict:
    return {"navigation": navigation_for(request.user)}
