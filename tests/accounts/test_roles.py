"""Who is who (accounts/roles.py): each standing user's roles, the one decorator, and one
lookup of the roles per request however often a page asks."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, is_hr, may_read_reports, role_required, roles_of
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

EVERY_ROLE_BUT_EMPLOYEE = set(Role) - {Role.EMPLOYEE}
EXPECTED = {
    "anonymous": set(),
    "employee": {Role.EMPLOYEE},
    "other_employee": {Role.EMPLOYEE},
    "manager": {Role.REPORT_READER},
    "outsider_manager": {Role.REPORT_READER},
    "hr": {Role.HR, Role.REPORT_READER},
    "identified_exporter": {Role.HR, Role.REPORT_READER, Role.IDENTIFIED_EXPORTER},
    "editor": {Role.FRAMEWORK_EDITOR},
    "admin_user": EVERY_ROLE_BUT_EMPLOYEE,
}
# The tables that say who is who: groups, permissions, managed departments.
ROLE_TABLES = ('"accounts_user_groups"', '"auth_permission"', '"accounts_department_managers"')


def held(user) -> set[Role]:
    return {role for role in Role if role in roles_of(user)}


def fresh(user) -> User:
    """The user as the next request loads it, with nothing looked up yet."""
    return User.objects.get(pk=user.pk)


def role_queries(queries) -> list[str]:
    return sorted(q["sql"] for q in queries if any(table in q["sql"] for table in ROLE_TABLES))


def test_every_standing_role_is_expected():
    assert set(EXPECTED) == set(ROLES) | {"identified_exporter"}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_standing_user_holds_exactly_their_roles(who, request):
    user = request.getfixturevalue(who) or AnonymousUser()
    assert held(user) == EXPECTED[who]
    assert is_hr(user) == (Role.HR in EXPECTED[who])
    assert may_read_reports(user) == (Role.REPORT_READER in EXPECTED[who])


def test_an_administrator_on_the_roster_is_also_an_employee(admin_user, tree, general_role):
    from tests.factories import EmployeeFactory

    EmployeeFactory(user=admin_user, department=tree["WORKS"], job_role=general_role)
    assert held(fresh(admin_user)) == set(Role)


def test_an_inactive_person_holds_no_role(hr, tree):
    tree["WORKS"].managers.add(hr)
    hr.is_active = False
    hr.save()
    assert held(fresh(hr)) == set()


def test_a_deactivated_roster_record_is_no_longer_the_employee_role(employee):
    employee.employee.active = False
    employee.employee.save()
    assert Role.EMPLOYEE not in roles_of(fresh(employee))


def test_managing_a_department_makes_a_report_reader_but_not_hr(employee, tree):
    tree["ROADS"].managers.add(employee)
    assert held(fresh(employee)) == {Role.EMPLOYEE, Role.REPORT_READER}


def test_the_export_permission_alone_does_not_make_hr(employee):
    from django.contrib.auth.models import Permission

    employee.user_permissions.add(Permission.objects.get(codename="export_identified"))
    assert held(fresh(employee)) == {Role.EMPLOYEE, Role.IDENTIFIED_EXPORTER}


def test_roles_are_looked_up_once_however_often_they_are_checked(
    identified_exporter, django_assert_num_queries
):
    user = fresh(identified_exporter)
    # One query for the memberships, Django's two for the user's and the groups' permissions.
    with django_assert_num_queries(3):
        for _ in range(3):
            assert held(user) == EXPECTED["identified_exporter"]
            assert user.has_perm("reports.export_identified")


def test_checking_only_memberships_costs_one_query(manager, django_assert_num_queries):
    user = fresh(manager)
    with django_assert_num_queries(1):
        for _ in range(3):
            assert not is_hr(user)
            assert may_read_reports(user)
            assert Role.EMPLOYEE not in roles_of(user)


def test_a_page_that_checks_roles_many_times_looks_them_up_once(
    client, identified_exporter, launched, django_assert_num_queries
):
    user = fresh(identified_exporter)
    with django_assert_num_queries(3) as lookup:
        held(user)
    client.force_login(identified_exporter)
    # The decorator (report reader), the navigation (every role), the view and its querysets
    # (HR) and the template (`perms.reports.export_identified`) all ask.
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("reports:campaign_overview", args=[launched.code]))
    assert response.status_code == 200
    assert "Reportes" in response.content.decode()
    assert role_queries(page.captured_queries) == role_queries(lookup.captured_queries)


def test_templates_read_the_same_roles(hr):
    request = RequestFactory().get("/")
    request.user = fresh(hr)
    template = Template(
        '{% if "hr" in roles %}HR{% endif %}{% if "framework_editor" in roles %}EDITOR{% endif %}'
    )
    assert template.render(RequestContext(request)) == "HR"


def protected(*roles):
    return role_required(*roles)(lambda request: HttpResponse("in"))


def call(view, user):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    return view(request)


def test_role_required_sends_anonymous_people_to_sign_in(db):
    response = call(protected(Role.HR), AnonymousUser())
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/somewhere/"


def test_role_required_refuses_a_signed_in_person_without_the_role(manager):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        call(protected(Role.HR), fresh(manager))


@pytest.mark.parametrize("who", ["hr", "editor", "admin_user"])
def test_role_required_lets_in_anyone_holding_one_of_the_roles(who, request):
    user = fresh(request.getfixturevalue(who))
    response = call(protected(Role.HR, Role.FRAMEWORK_EDITOR), user)
    assert response.status_code == 200
    assert response.content == b"in"


def test_a_refused_role_gets_403_from_the_site(client, manager):
    client.force_login(manager)
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 403
