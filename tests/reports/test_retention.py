"""Retention across reports: the purge keeps every release figure identical; built export
files expire after EXPORT_RETENTION_HOURS."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from diagnostic.assessment.retention import purge_individual_data
from diagnostic.models import Campaign, CompetencyScore
from reports.models import ExportJob, ReleaseFigure
from reports.retention import expire_exports

pytestmark = pytest.mark.django_db


def figures() -> list[dict]:
    return list(ReleaseFigure.objects.order_by("pk").values())


def test_the_purge_keeps_every_release_figure_identical_and_is_idempotent(results):
    earlier = Campaign.objects.get(code="diag-2025")  # closed about a year ago, released
    before = figures()
    assert CompetencyScore.objects.filter(campaign=earlier).exists()
    counts = purge_individual_data(older_than_months=6)
    assert counts.campaigns == 1 and counts.scores > 0
    assert not CompetencyScore.objects.filter(campaign=earlier).exists()
    assert CompetencyScore.objects.filter(campaign=results).exists()  # still open
    assert figures() == before
    assert purge_individual_data(older_than_months=6).total == 0
    assert figures() == before


@pytest.fixture
def built(results, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_RETENTION_HOURS = 24
    job = ExportJob.objects.create(
        campaign=results,
        status=ExportJob.Status.DONE,
        progress=100,
        finished_at=timezone.now() - dt.timedelta(hours=25),
    )
    job.file.save("old.zip", ContentFile(b"PK"), save=True)
    fresh = ExportJob.objects.create(
        campaign=results, status=ExportJob.Status.DONE, progress=100, finished_at=timezone.now()
    )
    fresh.file.save("fresh.zip", ContentFile(b"PK"), save=True)
    return job, fresh


def test_files_past_their_retention_are_removed_and_the_job_marked(built):
    job, fresh = built
    name = job.file.name
    assert expire_exports() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.expired_at is not None and not job.file
    assert not default_storage.exists(name)
    assert fresh.expired_at is None and default_storage.exists(fresh.file.name)
    assert expire_exports() == 0  # idempotent


def test_an_expired_package_is_no_longer_downloaded(built, client_as):
    job, _fresh = built
    expire_exports()
    response = client_as("hr").get(reverse("reports:package_download", args=[job.pk]))
    assert response.status_code == 404


def test_the_exports_page_shows_the_expiry(built, client_as):
    expire_exports()
    page = client_as("hr").get(reverse("hr:exports"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("reports:package_download", args=[built[1].pk]) in page
    assert reverse("reports:package_download", args=[built[0].pk]) not in page
