"""Every reports URL, with the answer each role gets.

Managers read their own subtrees (WORKS for `manager`, WELFARE for `outsider_manager`), from
the campaign's current release; HR and administrators read everything, and alone make, review
and download releases; employees and framework editors get 403.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import AuditEvent
from reports.models import ExportJob, Release, ReleaseFigure
from tests.conftest import ROLES

OK, FOUND, FORBIDDEN, NOT_FOUND, LOGIN = 200, 302, 403, 404, "login"
REFUSED = {FORBIDDEN, NOT_FOUND, LOGIN}

READERS = {
    "anonymous": LOGIN,
    "employee": FORBIDDEN,
    "other_employee": FORBIDDEN,
    "manager": OK,
    "outsider_manager": OK,
    "hr": OK,
    "editor": FORBIDDEN,
    "admin_user": OK,
}
HR_ONLY = {
    **READERS,
    "manager": FORBIDDEN,
    "outsider_manager": FORBIDDEN,
}

# url name -> (method, args builder, {role: expected})
ACCESS = {
    "reports:campaign_list": ("get", lambda c, j: [], READERS),
    "reports:campaign_overview": ("get", lambda c, j: [c.code], READERS),
    "reports:department_report": (
        "get",
        lambda c, j: [c.code, "WORKS"],
        {**READERS, "outsider_manager": NOT_FOUND},
    ),
    "reports:export_department_report": ("get", lambda c, j: [c.code, "csv"], READERS),
    "reports:export_individual": ("get", lambda c, j: [c.code, "scores", "csv"], HR_ONLY),
    "reports:package_create": (
        "post",
        lambda c, j: [c.code],
        {**HR_ONLY, "hr": FOUND, "admin_user": FOUND},
    ),
    "reports:package_job": ("get", lambda c, j: [j.pk], HR_ONLY),
    "reports:package_download": ("get", lambda c, j: [j.pk], HR_ONLY),
    # The job here is built: HR is sent back to it with a message, and nothing is queued.
    "reports:package_retry": (
        "post",
        lambda c, j: [j.pk],
        {**HR_ONLY, "hr": FOUND, "admin_user": FOUND},
    ),
    "reports:release_list": ("get", lambda c, j: [c.code], HR_ONLY),
    "reports:release_create": (
        "post",
        lambda c, j: [c.code],
        {**HR_ONLY, "hr": FOUND, "admin_user": FOUND},
    ),
    "reports:release_detail": ("get", lambda c, j: [c.releases.get(number=1).pk], HR_ONLY),
    "reports:release_csv": ("get", lambda c, j: [c.code], HR_ONLY),
}

COVERED_URLS = set(ACCESS)

CASES = [(name, role) for name, (_, _, expected) in ACCESS.items() for role in expected]


@pytest.fixture
def job(results, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(campaign=results, status=ExportJob.Status.DONE, progress=100)
    job.file.save("package.zip", ContentFile(b"PK"), save=True)
    return job


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as, results, job, django_capture_on_commit_callbacks):
    method, args, expected = ACCESS[url_name]
    client = client_as(role)
    before = database_state()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = getattr(client, method)(reverse(url_name, args=args(results, job)))
    if response.streaming:  # reading it to the end closes it (and any file behind it)
        b"".join(response.streaming_content)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want
    if want in REFUSED:  # nothing was written, nothing was queued
        assert database_state() == before and queued == []


def database_state() -> tuple:
    """What a refused request must leave as it was: the jobs, the releases and the audit log."""
    return (
        list(ExportJob.objects.order_by("pk").values()),
        list(Release.objects.order_by("pk").values()),
        ReleaseFigure.objects.count(),
        list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "detail")),
    )


def test_every_role_is_covered_for_every_url():
    for name, (_, _, expected) in ACCESS.items():
        assert set(expected) == set(ROLES), name


@pytest.mark.django_db
def test_employee_cannot_reach_any_figure_of_their_own_department(client_as, results):
    client = client_as("employee")
    for name, args in (
        ("reports:department_report", [results.code, "WORKS"]),
        ("reports:export_department_report", [results.code, "json"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.django_db
def test_manager_cannot_open_a_department_outside_the_campaign(client_as, results, tree):
    from tests.factories import DepartmentFactory

    DepartmentFactory(code="ELSEWHERE", parent=None)
    url = reverse("reports:department_report", args=[results.code, "ELSEWHERE"])
    assert client_as("hr").get(url).status_code == 404
    assert client_as("manager").get(url).status_code == 404


@pytest.mark.django_db
def test_package_for_identified_data_needs_the_permission(client_as, results):
    response = client_as("hr").post(
        reverse("reports:package_create", args=[results.code]), {"identified": "1"}
    )
    assert response.status_code == 403
    assert not ExportJob.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
