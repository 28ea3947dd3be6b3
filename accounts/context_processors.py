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
        # One entry: the workspace's own menu (templates/hr/_nav.html) lists its sections,
        # so the header stays on one line at 1366 px.
        entries.append((_("HR workspace"), reverse("hr:home")))
    entries.append((_("Skills framework"), reverse("framework:current")))
    if Role.FRAMEWORK_EDITOR in roles:
        entries.append((_("Instrument quality"), reverse("reports:quality_list")))
        entries.append((_("Framework editing"), reverse("admin:index")))
    if Role.ADMINISTRATOR in roles:
        entries.append((_("Administration"), reverse("admin:index")))
    return entries


def navigation(request) -> dict:
    """The navigation, and the roles for templates (`{% if "hr" in roles %}`)."""
    return {"navigation": navigation_for(request.user), "roles": roles_of(request.user)}
