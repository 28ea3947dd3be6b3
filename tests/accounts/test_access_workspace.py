"""HR's roster, department tree and audit log pages (/hr/): HR and administrators only."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES

OK, FORBIDDEN = 200, 403
HR_ONLY = {
    "anonymous": "login",
    "employee": FORBIDDEN,
    "other_employee": FORBIDDEN,
    "manager": FORBIDDEN,
    "outsider_manager": FORBIDDEN,
    "hr": OK,
    "editor": FORBIDDEN,
    "admin_user": OK,
}
ACCESS = {"hr:roster": HR_ONLY, "hr:departments": HR_ONLY, "hr:audit_log": HR_ONLY}
COVERED_URLS = set(ACCESS)
CASES = [(name, role) for name, expected in ACCESS.items() for role in expected]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as, employee, other_employee):
    response = client_as(role).get(reverse(url_name))
    want = ACCESS[url_name][role]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want


def test_every_role_is_covered_for_every_url():
    for name, expected in ACCESS.items():
        assert set(expected) == set(ROLES), name
