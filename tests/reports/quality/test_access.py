"""Every instrument-quality URL, with the answer each role gets: HR, framework editors and
administrators read the page and its files; only editors (and administrators) start a draft
from it; managers and employees get 403."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from diagnostic.models import Framework
from reports.models import QualitySnapshot
from tests.conftest import ROLES

from .test_snapshots import calibrated

OK, FOUND, FORBIDDEN, LOGIN = 200, 302, 403, "login"
REFUSED = {FORBIDDEN, LOGIN}

READERS = {
    "anonymous": LOGIN,
    "employee": FORBIDDEN,
    "other_employee": FORBIDDEN,
    "manager": FORBIDDEN,
    "outsider_manager": FORBIDDEN,
    "hr": OK,
    "editor": OK,
    "admin_user": OK,
}
POSTERS = {**READERS, "hr": FOUND, "editor": FOUND, "admin_user": FOUND}

ACCESS = {
    "reports:quality_list": ("get", lambda c: [], READERS),
    "reports:quality": ("get", lambda c: [c.code], READERS),
    "reports:quality_compute": ("post", lambda c: [c.code], POSTERS),
    "reports:quality_download": ("get", lambda c: [c.code, "items", "xlsx"], READERS),
    "reports:quality_new_draft": ("post", lambda c: [c.code], {**POSTERS, "hr": FORBIDDEN}),
}
COVERED_URLS = set(ACCESS)
CASES = [(name, role) for name, (_, _, expected) in ACCESS.items() for role in expected]


@pytest.fixture
def measured(db):
    campaign = calibrated().campaign
    snapshot = QualitySnapshot.objects.create(campaign=campaign)
    from reports.quality.snapshots import quality_build

    quality_build(snapshot_id=snapshot.pk)
    return campaign


def database_state() -> tuple:
    return (
        list(QualitySnapshot.objects.order_by("pk").values_list("pk", "status")),
        list(Framework.objects.order_by("pk").values_list("pk", "version", "status")),
        list(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).values_list("pk")),
    )


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as, measured, django_capture_on_commit_callbacks):
    method, args, expected = ACCESS[url_name]
    client = client_as(role)
    before = database_state()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = getattr(client, method)(reverse(url_name, args=args(measured)))
    if response.streaming:
        b"".join(response.streaming_content)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want
    if want in REFUSED:
        assert database_state() == before and queued == []


def test_every_role_is_covered_for_every_url():
    for name, (_, _, expected) in ACCESS.items():
        assert set(expected) == set(ROLES), name
