"""The import pages are HR's alone: everyone else is sent to sign in or refused (403), and a
refused upload or confirmation writes nothing."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Employee, ImportJob
from tests.accounts.test_access import roster_state
from tests.conftest import ROLES

OK, FOUND, FORBIDDEN, LOGIN = 200, 302, 403, "login"
HR_ONLY = {
    "anonymous": LOGIN,
    **dict.fromkeys(
        ["employee", "other_employee", "manager", "outsider_manager", "editor"], FORBIDDEN
    ),
    "hr": OK,
    "admin_user": OK,
}
POSTS = {"imports:confirm", "imports:recheck"}
COVERED_URLS = {"imports:start", "imports:job", "imports:template"} | POSTS
CSV = b"employee_number,full_name,department_code,role_code\nE1,Ana L\xc3\xb3pez,ROADS,GEN\n"


@pytest.fixture
def job(db, tree, general_role):
    job = ImportJob(kind="roster", file_name="r.csv", status=ImportJob.Status.PREVIEWED)
    job.file.save("r.csv", ContentFile(CSV), save=False)
    job.save()
    return job


def url_of(name: str, job) -> str:
    if name == "imports:template":
        return reverse(name, kwargs={"kind": "roster"})
    if name == "imports:start":
        return reverse(name)
    return reverse(name, kwargs={"pk": job.pk})


def check(response, want) -> None:
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["imports:start", "imports:job", "imports:template"])
@pytest.mark.parametrize("role", ROLES)
def test_pages_are_for_hr_only(name, role, client_as, job):
    check(client_as(role).get(url_of(name, job)), HR_ONLY[role])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POSTS))
@pytest.mark.parametrize("role", ROLES)
def test_confirm_and_recheck_are_hr_only_and_refusals_write_nothing(
    name, role, client_as, job, django_capture_on_commit_callbacks
):
    client = client_as(role)
    before = roster_state()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url_of(name, job), {"create_departments": "on"})
    want = HR_ONLY[role]
    check(response, FOUND if want == OK else want)
    job.refresh_from_db()
    if want != OK:
        assert roster_state() == before
        assert (job.status, job.create_departments) == ("previewed", False)
    else:
        assert job.status in ("done", "previewed")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if HR_ONLY[r] != OK])
def test_an_upload_by_anyone_but_hr_stores_nothing(role, client_as, tree, general_role):
    client = client_as(role)
    before = roster_state()
    upload = SimpleUploadedFile("r.csv", CSV)
    response = client.post(reverse("imports:start"), {"kind": "roster", "file": upload})
    check(response, HR_ONLY[role])
    assert not ImportJob.objects.exists()
    assert not Employee.objects.filter(employee_number="E1").exists()
    assert roster_state() == before
