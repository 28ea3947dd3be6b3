"""The HR campaign pages, with the answer each role gets: HR and administrators in, everyone
else refused (anonymous people are sent to sign in)."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES

LOGIN_REDIRECT = "login"
OK, FOUND, FORBIDDEN = 200, 302, 403
NOT_HR = ["employee", "other_employee", "manager", "outsider_manager", "editor"]


def hr_only(ok=OK):
    return {
        "anonymous": LOGIN_REDIRECT,
        **dict.fromkeys(NOT_HR, FORBIDDEN),
        "hr": ok,
        "admin_user": ok,
    }


# url name -> (method, needs a launched campaign, {role: expected})
ACCESS: dict[str, tuple[str, bool, dict[str, object]]] = {
    "campaigns:list": ("get", False, hr_only()),
    "campaigns:create": ("get", False, hr_only()),
    "campaigns:privacy_notice": ("get", False, hr_only()),
    "campaigns:detail": ("get", True, hr_only()),
    "campaigns:edit": ("get", True, hr_only()),
    "campaigns:progress": ("get", True, hr_only()),
    "campaigns:extend": ("get", True, hr_only()),
    "campaigns:sheet": ("get", True, hr_only()),
    "campaigns:links_csv": ("get", True, hr_only()),
    "campaigns:launch": ("post", True, hr_only(FOUND)),
    "campaigns:close": ("post", True, hr_only(FOUND)),
}

COVERED_URLS = set(ACCESS)

CASES = [(name, role) for name, (_, _, expected) in ACCESS.items() for role in expected]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as, launched):
    method, needs_campaign, expected = ACCESS[url_name]
    kwargs = {"pk": launched.pk} if needs_campaign else {}
    client = client_as(role)
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs))
    want = expected[role]
    if want == LOGIN_REDIRECT:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want


def test_every_role_is_covered_for_every_url():
    for name, (_, _, expected) in ACCESS.items():
        assert set(expected) == set(ROLES), name


def test_close_refuses_get(client_as, launched):
    response = client_as("hr").get(reverse("campaigns:close", kwargs={"pk": launched.pk}))
    assert response.status_code == 405


@pytest.mark.parametrize("role", NOT_HR)
def test_launch_confirmation_is_refused_to_everyone_but_hr(role, client_as, draft):
    response = client_as(role).get(reverse("campaigns:launch", kwargs={"pk": draft.pk}))
    assert response.status_code == FORBIDDEN


def test_an_unknown_campaign_is_not_found_for_hr(client_as, db):
    assert client_as("hr").get(reverse("campaigns:detail", kwargs={"pk": 999})).status_code == 404
