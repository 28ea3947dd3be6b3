import csv
import io
import json
import threading
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from frictionless import Package

from accounts.models import AuditEvent
from reports.models import ExportJob
from reports.packages import FIELDS, build_package

pytestmark = pytest.mark.django_db

FILES = {
    "campaign.json",
    "departments.csv",
    "questions.csv",
    "role_targets.csv",
    "answers.csv",
    "scores.csv",
    "department_report.csv",
    "catalogue.csv",
    "plans.csv",
    "plan_lines.csv",
    "datapackage.json",
}


def unpack(data: bytes, where) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    archive.extractall(where)
    return archive


def test_package_holds_every_file_and_validates_with_frictionless(results, tmp_path):
    stream = io.BytesIO()
    rows = build_package(campaign=results, stream=stream)
    archive = unpack(stream.getvalue(), tmp_path)
    assert set(archive.namelist()) == FILES
    descriptor = json.loads(archive.read("datapackage.json"))
    for resource in descriptor["resources"][1:]:
        header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode("utf-8-sig"))))
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert all(f["description"] for f in resource["schema"]["fields"])
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    campaign = json.loads(archive.read("campaign.json"))
    assert campaign["code"] == results.code and campaign["anonymity_threshold"] == 3
    assert rows > 0


def test_open_data_package_leaves_out_individual_files(results, tmp_path):
    stream = io.BytesIO()
    build_package(campaign=results, stream=stream, open_data=True)
    archive = unpack(stream.getvalue(), tmp_path)
    assert set(archive.namelist()) == FILES - {"answers.csv", "scores.csv"}
    assert Package(str(tmp_path / "datapackage.json")).validate().valid


def test_every_column_is_described():
    assert all(kind and description for kind, description in FIELDS.values())


def test_export_package_command_writes_the_zip_and_audits(results, tmp_path, capsys):
    out = tmp_path / "package.zip"
    call_command("export_package", results.code, "--out", str(out), "--open-data")
    assert "answers.csv" not in zipfile.ZipFile(out).namelist()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.detail["what"] == "package-open-data" and event.detail["rows"] > 0


def test_export_package_lists_campaign_codes(results, capsys):
    call_command("export_package", "--list")
    assert capsys.readouterr().out.split() == ["diag-2025", "diag-2026"]


def test_hr_builds_a_package_in_the_background_and_downloads_it(
    client_as, results, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as("hr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:package_create", args=[results.code]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:package_job", args=[job.pk]
    )
    assert (job.status, job.progress) == (ExportJob.Status.DONE, 100)
    page = client.get(reverse("reports:package_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in page.content and b"100" in page.content
    download = client.get(reverse("reports:package_download", args=[job.pk]))
    assert (
        "answers.csv"
        in zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    )
    assert AuditEvent.objects.filter(action="export", detail__what="package").count() == 1
    assert AuditEvent.objects.filter(action="export", detail__what="package-download").count() == 1


def test_running_package_polls_every_two_seconds(client_as, results):
    job = ExportJob.objects.create(campaign=results, status=ExportJob.Status.RUNNING, progress=40)
    page = client_as("hr").get(reverse("reports:package_job", args=[job.pk]))
    assert b'hx-trigger="every 2s"' in page.content and b'value="40"' in page.content


def test_building_twice_changes_nothing(results, settings, tmp_path):
    from reports.tasks import build_package_task

    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(campaign=results, open_data=True)
    build_package_task(job.pk)
    job.refresh_from_db()
    name = job.file.name
    build_package_task(job.pk)
    job.refresh_from_db()
    assert job.file.name == name and job.status == ExportJob.Status.DONE
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_frictionless_would_catch_a_wrong_value(results, tmp_path):
    stream = io.BytesIO()
    build_package(campaign=results, stream=stream, open_data=True)
    unpack(stream.getvalue(), tmp_path)
    path = tmp_path / "department_report.csv"
    text = path.read_text(encoding="utf-8-sig").splitlines()
    cells = text[1].split(",")
    cells[6] = "not-a-number"
    path.write_text("\ufeff" + "\n".join([text[0], ",".join(cells), *text[2:]]), encoding="utf-8")
    assert not Package(str(tmp_path / "datapackage.json")).validate().valid


def test_package_queries_do_not_grow_with_respondents(
    tree, general_role, framework, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CampaignFactory

    from .conftest import populate

    framework, competencies = framework
    small = CampaignFactory(code="small", framework=framework, anonymity_threshold=3)
    populate(small, competencies, tree, general_role)
    large = CampaignFactory(code="large", framework=framework, anonymity_threshold=3)
    populate(large, competencies, tree, general_role, scale=4)
    with CaptureQueriesContext(connection) as queries:
        build_package(campaign=small, stream=io.BytesIO())
    with django_assert_num_queries(len(queries)):
        build_package(campaign=large, stream=io.BytesIO())


def test_progress_is_reported_as_rows_are_written(results, monkeypatch):
    monkeypatch.setattr("reports.packages.PROGRESS_EVERY", 10)
    seen = []
    build_package(campaign=results, stream=io.BytesIO(), progress=seen.append)
    assert seen and seen == sorted(seen) and all(0 < p < 100 for p in seen)


@pytest.mark.django_db(transaction=True)
def test_progress_may_query_the_database_between_batches(results, monkeypatch):
    """The worker records progress on its job (a query) between batches. On PostgreSQL a
    COPY held open across them made that query wait on the COPY, and the worker hung."""
    monkeypatch.setattr("reports.packages.PROGRESS_EVERY", 1)
    seen = []

    def build():
        try:
            build_package(
                campaign=results,
                stream=io.BytesIO(),
                progress=lambda p: seen.append((p, ExportJob.objects.count())),
            )
        finally:
            connection.close()

    thread = threading.Thread(target=build, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the package build hung on its own progress query"
    assert seen and all(0 < percent < 100 and jobs == 0 for percent, jobs in seen)


# --- identified packages and downloads: the permission checked again, every download recorded


@pytest.fixture
def built(results, settings, tmp_path):
    """A built package of each kind: pseudonymous and identified."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path

    def build(*, identified: bool) -> ExportJob:
        job = ExportJob.objects.create(
            campaign=results, identified=identified, status=ExportJob.Status.DONE, rows=42
        )
        job.file.save(f"package-{identified}.zip", ContentFile(b"PK-zip"), save=True)
        return job

    return build


def downloads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="export", detail__what__endswith="-download"))


@pytest.mark.parametrize("url_name", ["reports:package_job", "reports:package_download"])
def test_identified_package_is_refused_to_hr_without_the_permission(client_as, built, url_name):
    job = built(identified=True)
    client = client_as("hr")
    events = AuditEvent.objects.count()
    response = client.get(reverse(url_name, args=[job.pk]))
    assert response.status_code == 403
    assert not response.streaming and b"PK-zip" not in response.content
    assert AuditEvent.objects.count() == events


def test_identified_package_opens_and_downloads_with_the_permission(client_as, built, hr):
    from django.contrib.auth.models import Permission

    hr.user_permissions.add(Permission.objects.get(codename="export_identified"))
    job = built(identified=True)
    client = client_as("hr")
    assert client.get(reverse("reports:package_job", args=[job.pk])).status_code == 200
    response = client.get(reverse("reports:package_download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK-zip"
    (event,) = downloads()
    assert event.user == hr and event.detail["identified"] is True


def test_every_package_download_is_recorded_once(client_as, built, hr):
    job = built(identified=False)
    client = client_as("hr")
    for expected in (1, 2):
        response = client.get(reverse("reports:package_download", args=[job.pk]))
        assert b"".join(response.streaming_content) == b"PK-zip"
        assert len(downloads()) == expected
    event = downloads()[-1]
    assert event.user == hr and event.created_at is not None
    assert event.detail == {
        "campaign": job.campaign.code,
        "what": "package-download",
        "format": "zip",
        "rows": 42,
        "identified": False,
        "job": job.pk,
    }


def test_a_failed_build_marks_the_job_and_a_retry_builds_it(
    results, settings, tmp_path, monkeypatch
):
    from reports.packages import package_job_build

    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(campaign=results, open_data=True)

    def broken(**kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr("reports.packages.build_package", broken)
        with pytest.raises(OSError, match="disk full"):
            package_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.file.name) == (ExportJob.Status.FAILED, "disk full", "")
    assert not AuditEvent.objects.filter(action="export").exists()
    package_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.error == "" and job.rows > 0
    assert AuditEvent.objects.filter(action="export", detail__job=job.pk).count() == 1


def test_the_task_builds_through_the_domain_function(monkeypatch):
    from reports.tasks import build_package_task

    seen = []
    monkeypatch.setattr(
        "reports.packages.package_job_build", lambda *, job_id, takeover: seen.append(job_id)
    )
    build_package_task.delay(7)
    assert seen == [7]


def test_departments_and_department_report_compute_the_report_once(results, monkeypatch):
    from reports.exports import campaign as exporters

    calls = []
    real = exporters.campaign_report

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(exporters, "campaign_report", counted)
    build_package(campaign=results, stream=io.BytesIO(), open_data=True)
    assert len(calls) == 1
