"""Who is who: the roles of the site, worked out once per request, and the one decorator that
lets a role in.

A role is a fact about the signed-in person that decides what they may open:

- HR: in the group HR (administrators count as HR);
- framework editor: holds `diagnostic.publish_framework`, which the group Framework editors
  grants;
- report reader: HR, or a person who manages at least one department;
- identified exporter: holds `reports.export_identified` (HR need it, besides being HR, for
  identified exports);
- employee: has an active record on the roster;
- administrator: a superuser.

Permissions are named by their "app_label.codename" strings, so accounts imports no app to its
right. The roles are kept on the user object: the decorator, the navigation, the querysets and
the templates of one request all read `request.user`, so they share one lookup. A user object
that has been asked about its roles keeps them, as Django's permission cache does: load the
user again to see a change of groups or departments.

The standing groups are kept in step with `ROLE_PERMISSIONS` after every migration, so a
permission that a later app adds is granted as soon as its model exists.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

HR_GROUP = "HR"
FRAMEWORK_EDITORS_GROUP = "Framework editors"
PUBLISH_FRAMEWORK = "diagnostic.publish_framework"
EXPORT_IDENTIFIED = "reports.export_identified"


class Role(StrEnum):
    HR = "hr"
    FRAMEWORK_EDITOR = "framework_editor"
    REPORT_READER = "report_reader"
    IDENTIFIED_EXPORTER = "identified_exporter"
    EMPLOYEE = "employee"
    ADMINISTRATOR = "administrator"


# Roles that are a permission: Django's own check answers them, from its per-user cache.
PERMISSION_ROLES = {
    Role.FRAMEWORK_EDITOR: PUBLISH_FRAMEWORK,
    Role.IDENTIFIED_EXPORTER: EXPORT_IDENTIFIED,
}


class Roles:
    """The roles of one signed-in user. Each family is looked up on its first check, so a
    page that never asks about a permission does not pay for it: the memberships in one
    query, the permissions through `has_perm` (two queries, shared with `perms` in templates).
    """

    def __init__(self, user) -> None:
        self.user = user
        self._memberships: frozenset[Role] | None = None

    def __contains__(self, role) -> bool:
        if role in PERMISSION_ROLES:
            return self.user.has_perm(PERMISSION_ROLES[role])
        if self.user.is_superuser and role != Role.EMPLOYEE:
            return True
        if self._memberships is None:
            self._memberships = memberships(user=self.user)
        return role in self._memberships


NO_ROLES: frozenset[Role] = frozenset()


def roles_of(user) -> Roles | frozenset[Role]:
    """The roles of this user, kept on the user object: every check of one request (decorator,
    navigation, querysets, templates) reads `request.user`, so they share one lookup."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    roles = getattr(user, "_roles", None)
    if roles is None:
        roles = user._roles = Roles(user)
    return roles


def memberships(*, user) -> frozenset[Role]:
    """HR (in the group), report reader (HR or manager of a department), employee (an active
    roster record): one query for the three."""
    # Imported here: accounts.models imports the querysets, which read the roles.
    from .models import Department, Employee, User

    hr, manages, on_roster = (
        User.objects.filter(pk=user.pk)
        .annotate(
            hr=Exists(Group.objects.filter(user=OuterRef("pk"), name=HR_GROUP)),
            manages=Exists(Department.objects.filter(managers=OuterRef("pk"))),
            on_roster=Exists(Employee.objects.filter(user=OuterRef("pk"), active=True)),
        )
        .values_list("hr", "manages", "on_roster")
        .get()
    )
    held = {Role.HR} if hr else set()
    if hr or manages:
        held.add(Role.REPORT_READER)
    if on_roster:
        held.add(Role.EMPLOYEE)
    return frozenset(held)


def is_hr(user) -> bool:
    """HR analysts and administrators see the whole organisation."""
    return Role.HR in roles_of(user)


def may_read_reports(user) -> bool:
    return Role.REPORT_READER in roles_of(user)


def role_required(*roles: Role):
    """The view is for signed-in people holding any of `roles`: anyone else is sent to sign in,
    and a signed-in person without the role gets 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            held = roles_of(request.user)
            if not any(role in held for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


ROLE_PERMISSIONS: dict[str, list[str]] = {
    HR_GROUP: [
        "accounts.view_department",
        "accounts.add_department",
        "accounts.change_department",
        "accounts.view_jobrole",
        "accounts.add_jobrole",
        "accounts.change_jobrole",
        "accounts.view_employee",
        "accounts.add_employee",
        "accounts.change_employee",
        "accounts.view_auditevent",
        "diagnostic.view_framework",
        "diagnostic.view_campaign",
        "diagnostic.add_campaign",
        "diagnostic.change_campaign",
        "diagnostic.view_invitation",
        "diagnostic.view_privacynotice",
        "diagnostic.add_privacynotice",
        "diagnostic.change_privacynotice",
    ],
    FRAMEWORK_EDITORS_GROUP: [
        "diagnostic.view_framework",
        "diagnostic.add_framework",
        "diagnostic.change_framework",
        "diagnostic.publish_framework",
        "diagnostic.view_proficiencylevel",
        "diagnostic.add_proficiencylevel",
        "diagnostic.change_proficiencylevel",
        "diagnostic.delete_proficiencylevel",
        "diagnostic.view_area",
        "diagnostic.add_area",
        "diagnostic.change_area",
        "diagnostic.delete_area",
        "diagnostic.view_competency",
        "diagnostic.add_competency",
        "diagnostic.change_competency",
        "diagnostic.delete_competency",
        "diagnostic.view_leveldescriptor",
        "diagnostic.add_leveldescriptor",
        "diagnostic.change_leveldescriptor",
        "diagnostic.delete_leveldescriptor",
        "diagnostic.view_question",
        "diagnostic.add_question",
        "diagnostic.change_question",
        "diagnostic.delete_question",
        "diagnostic.view_option",
        "diagnostic.add_option",
        "diagnostic.change_option",
        "diagnostic.delete_option",
        "diagnostic.view_roletarget",
        "diagnostic.add_roletarget",
        "diagnostic.change_roletarget",
        "diagnostic.delete_roletarget",
        "accounts.view_jobrole",
    ],
}


def sync_role_groups(**kwargs) -> None:
    for group_name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*wanted)
