from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import Role, roles_of


def navigation_for(user) -> list[tuple[str, str]]:
    """The entries of the main navigation for this user, as (label, url).

    Other apps' pages are reached by URL name only: accounts does not import them.
    """
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    entries = [(_("Home"), reverse("home"))]
    if Role.EMPLOYEE in roles:
        entries.append((_("My assessment"), reverse("assessment:mine")))
    if Role.HR in roles:
        entries.append((_("Campaigns"), reverse("campaigns:list")))
    if Role.REPORT_READER in roles:
        entries.append((_("Reports"), reverse("reports:campaign_list")))
    if Role.HR in roles:
        entries.append((_("Roster"), reverse("admin:accounts_employee_changelist")))
        entries.append((_("Imports"), reverse("imports:start")))
        entries.append((_("Audit log"), reverse("admin:accounts_auditevent_changelist")))
    entries.append((_("Skills framework"), reverse("framework:current")))
    if Role.FRAMEWORK_EDITOR in roles:
        entries.append((_("Framework editing"), reverse("admin:index")))
    if Role.ADMINISTRATOR in roles:
        entries.append((_("Administration"), reverse("admin:index")))
    return entries


def navigation(request) -> dict:
    """The navigation, and the roles for templates (`{% if "hr" in roles %}`)."""
    return {"navigation": navigation_for(request.user), "roles": roles_of(request.user)}
