"""The standing groups and what each may do.

Groups are kept in step with this table after every migration, so a permission that a later
app adds is granted as soon as its model exists.
"""

from django.contrib.auth.models import Group, Permission

from .querysets import FRAMEWORK_EDITORS_GROUP, HR_GROUP

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
