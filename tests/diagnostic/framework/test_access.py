"""The framework pages, and the framework admin, with the answer each role gets.

Named test_access_framework.py so that the campaign pages' test_access.py can sit beside it;
tests/test_url_coverage.py reads COVERED_URLS from every tests/*/test_access*.py.
"""

import pytest
from django.urls import reverse

from diagnostic.models import Framework
from tests.conftest import ROLES

from .fixtures import draft, published  # noqa: F401 (fixtures)

LOGIN_REDIRECT, ADMIN_LOGIN = "login", "admin-login"
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
NOT_STAFF = ["anonymous", "employee", "other_employee", "manager", "outsider_manager"]
EVERYONE_SIGNED_IN = {"anonymous": LOGIN_REDIRECT, **dict.fromkeys(ROLES[1:], OK)}
PUBLISHED = {"code": "prueba", "version": 1}
DRAFT = {"code": "borrador", "version": 1}

# (url name, kwargs) -> {role: expected answer to a GET}
ACCESS: dict[tuple[str, tuple], dict[str, object]] = {
    ("framework:current", ()): EVERYONE_SIGNED_IN,
    ("framework:version", tuple(PUBLISHED.items())): EVERYONE_SIGNED_IN,
    ("framework:version", tuple(DRAFT.items())): {
        "anonymous": LOGIN_REDIRECT,
        **dict.fromkeys(["employee", "other_employee", "manager", "outsider_manager"], NOT_FOUND),
        "hr": NOT_FOUND,
        "editor": OK,
        "admin_user": OK,
    },
    # Publishing is a POST; a GET is refused before and after the permission check.
    ("framework:publish", tuple(DRAFT.items())): {
        "anonymous": LOGIN_REDIRECT,
        **dict.fromkeys(["employee", "other_employee", "manager", "outsider_manager"], FORBIDDEN),
        "hr": FORBIDDEN,
        "editor": NOT_ALLOWED,
        "admin_user": NOT_ALLOWED,
    },
    ("admin:diagnostic_framework_changelist", ()): {
        **dict.fromkeys(NOT_STAFF, ADMIN_LOGIN),
        "hr": OK,
        "editor": OK,
        "admin_user": OK,
    },
    ("admin:diagnostic_competency_changelist", ()): {
        **dict.fromkeys(NOT_STAFF, ADMIN_LOGIN),
        "hr": FORBIDDEN,
        "editor": OK,
        "admin_user": OK,
    },
    ("admin:diagnostic_competency_import", ()): {
        **dict.fromkeys(NOT_STAFF, ADMIN_LOGIN),
        "hr": FORBIDDEN,
        "editor": OK,
        "admin_user": OK,
    },
}

COVERED_URLS = {name for name, _ in ACCESS if not name.startswith("admin:")}

CASES = [(key, role) for key, expected in ACCESS.items() for role in expected]


@pytest.fixture(autouse=True)
def frameworks(published, draft):
    return published, draft


@pytest.mark.parametrize(("key", "role"), CASES, ids=lambda v: v[0] if isinstance(v, tuple) else v)
def test_access(key, role, client_as):
    name, kwargs = key
    response = client_as(role).get(reverse(name, kwargs=dict(kwargs)))
    want = ACCESS[key][role]
    if want == LOGIN_REDIRECT:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif want == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == want


def test_every_role_is_covered_for_every_url():
    for key, expected in ACCESS.items():
        assert set(expected) == set(ROLES), key


PUBLISH_POST = {
    "anonymous": LOGIN_REDIRECT,
    **dict.fromkeys(["employee", "other_employee", "manager", "outsider_manager"], FORBIDDEN),
    "hr": FORBIDDEN,
    "editor": 302,
    "admin_user": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_framework_editors_can_publish_a_draft(role, client_as, draft):
    response = client_as(role).post(reverse("framework:publish", kwargs=DRAFT))
    want = PUBLISH_POST[role]
    draft.refresh_from_db()
    if want == LOGIN_REDIRECT:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want
    assert (draft.status == Framework.Status.PUBLISHED) == (want == 302)
    if want == 302:
        assert response["Location"] == reverse("framework:version", kwargs=DRAFT)
