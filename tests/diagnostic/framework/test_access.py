"""The framework pages, and the framework admin, with the answer each role gets.

Named test_access_framework.py so that the campaign pages' test_access.py can sit beside it;
tests/test_url_coverage.py reads COVERED_URLS from every tests/*/test_access*.py.
"""

import pytest
from django.urls import reverse

from diagnostic.framework.store import export_framework
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


def framework_state() -> dict:
    """Every framework row and the whole content of each version."""
    frameworks = Framework.objects.order_by("pk")
    return {
        "frameworks": list(frameworks.values()),
        "content": [export_framework(framework=framework) for framework in frameworks],
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_framework_editors_can_publish_a_draft(role, client_as, draft):
    client = client_as(role)
    before = framework_state()
    response = client.post(reverse("framework:publish", kwargs=DRAFT))
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
    else:
        assert framework_state() == before


EDITORS = {"editor", "admin_user"}

# The admin's writes to a draft, as a framework editor would make them:
# name -> (url name, draft -> url args, draft -> POST data)
ADMIN_WRITES = {
    "add an area": (
        "admin:diagnostic_area_add",
        lambda draft: [],
        lambda draft: {
            "framework": draft.pk,
            "code": "Z",
            "name_es_mx": "Nueva",
            "name_en": "New",
            "position": 9,
        },
    ),
    "delete an area": (
        "admin:diagnostic_area_delete",
        lambda draft: [draft.areas.order_by("pk").first().pk],
        lambda draft: {"post": "yes"},
    ),
    "publish from the list": (
        "admin:diagnostic_framework_changelist",
        lambda draft: [],
        lambda draft: {"action": "publish", "_selected_action": [draft.pk]},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", list(ADMIN_WRITES))
def test_the_framework_admin_writes_only_for_editors(write, role, client_as, draft):
    url_name, args, data = ADMIN_WRITES[write]
    client = client_as(role)
    before = framework_state()
    response = client.post(reverse(url_name, args=args(draft)), data(draft))
    if role in EDITORS:
        # The same request from an editor does write: what keeps the others out is the refusal.
        assert response.status_code == 302
        assert framework_state() != before
    else:
        assert response.status_code in (200, 302, 403)
        assert framework_state() == before
