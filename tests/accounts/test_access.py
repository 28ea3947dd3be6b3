"""The accounts URLs and the admin, with the answer each role gets.

Each app's `test_access.py` declares `COVERED_URLS`; `tests/test_url_coverage.py` fails for a
URL of the site that no access test covers.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from accounts.models import AuditEvent, Department, Employee
from tests.conftest import ROLES
from tests.factories import EmployeeFactory

LOGIN_REDIRECT = "login"
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
ADMIN_LOGIN = "admin-login"

# url name -> (kwargs, {role: expected}); "login" means a redirect to the sign-in page.
ACCESS: dict[str, tuple[dict, dict[str, object]]] = {
    "home": ({}, {"anonymous": LOGIN_REDIRECT, **dict.fromkeys(ROLES[1:], OK)}),
    "login": ({}, dict.fromkeys(ROLES, OK)),
    "password_reset": ({}, dict.fromkeys(ROLES, OK)),
    "password_reset_done": ({}, dict.fromkeys(ROLES, OK)),
    "password_reset_complete": ({}, dict.fromkeys(ROLES, OK)),
    "admin:index": (
        {},
        {
            "anonymous": ADMIN_LOGIN,
            "employee": ADMIN_LOGIN,
            "other_employee": ADMIN_LOGIN,
            "manager": ADMIN_LOGIN,
            "outsider_manager": ADMIN_LOGIN,
            "hr": OK,
            "editor": OK,
            "admin_user": OK,
        },
    ),
    "admin:accounts_employee_changelist": (
        {},
        {
            "anonymous": ADMIN_LOGIN,
            "employee": ADMIN_LOGIN,
            "other_employee": ADMIN_LOGIN,
            "manager": ADMIN_LOGIN,
            "outsider_manager": ADMIN_LOGIN,
            "hr": OK,
            "editor": FORBIDDEN,
            "admin_user": OK,
        },
    ),
    # The roster's import and export: HR only, whatever else a staff account may open.
    "admin:accounts_employee_export": (
        {},
        {
            "anonymous": ADMIN_LOGIN,
            "employee": ADMIN_LOGIN,
            "other_employee": ADMIN_LOGIN,
            "manager": ADMIN_LOGIN,
            "outsider_manager": ADMIN_LOGIN,
            "hr": OK,
            "editor": FORBIDDEN,
            "admin_user": OK,
        },
    ),
    # The admin's import button leads HR to the site's import page (accounts/imports).
    "admin:accounts_employee_import": (
        {},
        {
            "anonymous": ADMIN_LOGIN,
            "employee": ADMIN_LOGIN,
            "other_employee": ADMIN_LOGIN,
            "manager": ADMIN_LOGIN,
            "outsider_manager": ADMIN_LOGIN,
            "hr": 302,
            "editor": FORBIDDEN,
            "admin_user": 302,
        },
    ),
    "admin:accounts_auditevent_changelist": (
        {},
        {
            "anonymous": ADMIN_LOGIN,
            "employee": ADMIN_LOGIN,
            "other_employee": ADMIN_LOGIN,
            "manager": ADMIN_LOGIN,
            "outsider_manager": ADMIN_LOGIN,
            "hr": OK,
            "editor": FORBIDDEN,
            "admin_user": OK,
        },
    ),
}

# URLs that take a POST and answer by redirecting, checked in their own tests.
POST_ONLY = {"logout", "set_language"}
# Token-bearing URLs checked by their own tests (an invalid token is refused for everyone).
TOKEN_URLS = {"password_reset_confirm"}


COVERED_URLS = set(ACCESS) | POST_ONLY | TOKEN_URLS


CASES = [(name, role) for name, (_, expected) in ACCESS.items() for role in expected]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as):
    kwargs, expected = ACCESS[url_name]
    client = client_as(role)
    response = client.get(reverse(url_name, kwargs=kwargs))
    want = expected[role]
    if want == LOGIN_REDIRECT:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif want == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == want


@pytest.mark.django_db
def test_every_role_is_covered_for_every_url():
    for name, (_, expected) in ACCESS.items():
        assert set(expected) == set(ROLES), name


# Writes through the admin: staff with the permission succeed, other staff get 403, everyone
# else is sent to the admin's sign-in. A refused POST writes nothing.
FOUND = 302
ADMIN_WRITE = {
    "anonymous": ADMIN_LOGIN,
    "employee": ADMIN_LOGIN,
    "other_employee": ADMIN_LOGIN,
    "manager": ADMIN_LOGIN,
    "outsider_manager": ADMIN_LOGIN,
    "hr": FOUND,
    "editor": FORBIDDEN,
    "admin_user": FOUND,
}


def new_employee(tree, general_role, employee_record) -> tuple[str, list, dict]:
    data = {
        "employee_number": "N-NEW-1",
        "full_name": "Persona Nueva",
        "email": "nueva@example.gob.mx",
        "phone": "",
        "department": tree["ROADS"].pk,
        "job_role": general_role.pk,
        "position": "Auxiliar",
        "active": "on",
        "language": "es-mx",
        "user": "",
    }
    return "admin:accounts_employee_add", [], data


def renamed_employee(tree, general_role, employee_record) -> tuple[str, list, dict]:
    data = {
        "employee_number": employee_record.employee_number,
        "full_name": "Nombre Cambiado",
        "email": employee_record.email,
        "phone": "",
        "department": tree["WELFARE"].pk,
        "job_role": general_role.pk,
        "position": employee_record.position,
        "active": "on",
        "language": "es-mx",
        "user": "",
    }
    return "admin:accounts_employee_change", [employee_record.pk], data


def new_department(tree, general_role, employee_record) -> tuple[str, list, dict]:
    data = {"code": "NEWDEPT", "name": "Nueva Dirección", "parent": tree["CITY"].pk}
    return "admin:accounts_department_add", [], data


ADMIN_POSTS = {
    "employee_add": new_employee,
    "employee_change": renamed_employee,
    "department_add": new_department,
}


def roster_state() -> dict[str, list[tuple]]:
    """Every row the admin POSTs above can write, the audit log and the admin's own log."""
    return {
        "employees": list(Employee.objects.order_by("pk").values_list()),
        "departments": list(Department.objects.order_by("pk").values_list()),
        "managers": list(Department.managers.through.objects.order_by("pk").values_list()),
        "audit": list(AuditEvent.objects.order_by("pk").values_list("action", "username")),
        "admin_log": list(LogEntry.objects.order_by("pk").values_list("action_flag", "object_id")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("write", "role"), [(w, r) for w in ADMIN_POSTS for r in ROLES])
def test_admin_writes_by_role(write, role, client_as, tree, general_role):
    record = EmployeeFactory(department=tree["WORKS"], job_role=general_role)
    url_name, args, data = ADMIN_POSTS[write](tree, general_role, record)
    client = client_as(role)
    before = roster_state()
    response = client.post(reverse(url_name, args=args), data)
    want = ADMIN_WRITE[role]
    if want == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == want
    if want == FOUND:
        assert roster_state() != before
        assert not response["Location"].startswith(reverse("admin:login"))
    else:
        assert roster_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        (
            "employee",
            ["Inicio", "Mi evaluación"],
            ["Recursos humanos", "Campañas", "Reportes", "Administración"],
        ),
        ("manager", ["Inicio", "Reportes"], ["Recursos humanos", "Campañas", "Administración"]),
        ("hr", ["Inicio", "Campañas", "Reportes", "Recursos humanos"], ["Administración"]),
        ("editor", ["Edición del marco"], ["Recursos humanos", "Administración"]),
        ("admin_user", ["Recursos humanos", "Administración"], []),
    ],
)
def test_navigation_shows_each_role_its_own_entries(who, present, absent, client_as):
    body = client_as(who).get(reverse("home")).content.decode()
    nav = body.split('data-testid="navigation"', 1)[1].split("</ul>", 1)[0]
    for label in present:
        assert label in nav
    for label in absent:
        assert label not in nav
