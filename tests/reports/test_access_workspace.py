"""HR's workspace (/hr/) and the live feed, with the answer each role gets.

Only HR (and administrators, who are HR) open the workspace; managers, employees and framework
editors get 403 and write nothing. The feed ignores the session: without a feed token every
role gets 401, whoever is signed in.
"""

import pytest
from django.urls import reverse

from accounts.models import ArcoRequest, AuditEvent, Employee
from reports.feed import issue_token
from reports.models import ExportJob, FeedToken, Release
from tests.conftest import ROLES

OK, FOUND, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 401, 403, 404, "login"
REFUSED = {UNAUTHORIZED, FORBIDDEN, NOT_FOUND, LOGIN}

HR_ONLY = {
    "anonymous": LOGIN,
    "employee": FORBIDDEN,
    "other_employee": FORBIDDEN,
    "manager": FORBIDDEN,
    "outsider_manager": FORBIDDEN,
    "hr": OK,
    "editor": FORBIDDEN,
    "admin_user": OK,
}
HR_WRITES = {**HR_ONLY, "hr": FOUND, "admin_user": FOUND}


def arco_form(objects):
    return {
        "employee_number": objects["person"].employee_number,
        "kind": "access",
        "received_on": "2026-11-30",
    }


# url name -> (method, args builder, POST data builder, {role: expected})
ACCESS = {
    "hr:home": ("get", lambda o: [], None, HR_ONLY),
    "hr:exports": ("get", lambda o: [], None, HR_ONLY),
    "hr:feed_tokens": ("get", lambda o: [], None, HR_ONLY),
    "hr:feed_token_create": ("post", lambda o: [], lambda o: {"name": "Power BI"}, HR_WRITES),
    # A token is its owner's to revoke: another HR person (the administrator) gets 404.
    "hr:feed_token_revoke": (
        "post",
        lambda o: [o["token"].pk],
        lambda o: {},
        {**HR_WRITES, "admin_user": NOT_FOUND},
    ),
    "hr:arco_list": ("get", lambda o: [], None, HR_ONLY),
    "hr:arco_create": ("post", lambda o: [], arco_form, HR_WRITES),
    "hr:arco_detail": ("get", lambda o: [o["opposition"].pk], None, HR_ONLY),
    "hr:arco_carry_out": ("post", lambda o: [o["opposition"].pk], lambda o: {}, HR_WRITES),
    "hr:arco_download": ("get", lambda o: [o["access"].pk], None, HR_ONLY),
    "reports:feed": (
        "get",
        lambda o: [o["campaign"].code, "csv"],
        None,
        dict.fromkeys(ROLES, UNAUTHORIZED),
    ),
}

COVERED_URLS = set(ACCESS)
CASES = [(name, role) for name, (*_, expected) in ACCESS.items() for role in expected]


@pytest.fixture
def objects(results, hr):
    person = Employee.objects.filter(invitations__campaign=results).first()
    token, _raw = issue_token(user=hr, name="Excel")
    return {
        "campaign": results,
        "person": person,
        "token": token,
        "access": ArcoRequest.objects.create(
            employee=person, kind="access", received_on="2026-11-01"
        ),
        "opposition": ArcoRequest.objects.create(
            employee=person, kind="opposition", received_on="2026-11-01"
        ),
    }


def database_state() -> tuple:
    return (
        list(ArcoRequest.objects.order_by("pk").values()),
        list(Employee.objects.order_by("pk").values("pk", "opted_out_at", "full_name")),
        list(FeedToken.objects.order_by("pk").values()),
        list(ExportJob.objects.order_by("pk").values()),
        list(Release.objects.order_by("pk").values("pk", "status")),
        list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "detail")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as, objects, django_capture_on_commit_callbacks):
    method, args, data, expected = ACCESS[url_name]
    client = client_as(role)
    before = database_state()
    url = reverse(url_name, args=args(objects))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, data(objects)) if method == "post" else client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want
    if want in REFUSED:  # nothing written but the feed's own count of failures (the cache)
        assert database_state() == before and queued == []


def test_every_role_is_covered_for_every_url():
    for name, (*_, expected) in ACCESS.items():
        assert set(expected) == set(ROLES), name
