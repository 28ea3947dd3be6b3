"""Fixtures for the campaign tests: a published framework, a privacy notice, a draft campaign
over WORKS (and so ROADS and POTHOLES below it), and a way to launch it as HR would."""

import datetime as dt

import pytest
from django.utils import timezone

from diagnostic.campaigns import lifecycle
from diagnostic.models import PrivacyNotice
from tests.factories import CampaignFactory, EmployeeFactory, FrameworkFactory


@pytest.fixture
def notice(db):
    # The data migration ships version 1, but a transactional test may have flushed it.
    return PrivacyNotice.objects.order_by("-version").first() or PrivacyNotice.objects.create(
        version=1,
        short_text_es_mx="Aviso corto",
        short_text_en="Short notice",
        full_text_es_mx="Aviso integral",
        full_text_en="Full notice",
    )


@pytest.fixture
def framework(db):
    return FrameworkFactory(code="datos")


@pytest.fixture
def draft(tree, framework, notice):
    campaign = CampaignFactory(
        code="2026-1",
        name="Diagnóstico 2026",
        framework=framework,
        launched_at=None,
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(days=30),
    )
    campaign.departments.set([tree["WORKS"]])
    return campaign


@pytest.fixture
def staff(tree, general_role):
    """Active people across the WORKS subtree, one inactive, one outside it."""
    return {
        "works": EmployeeFactory(department=tree["WORKS"], job_role=general_role),
        "roads": EmployeeFactory(department=tree["ROADS"], job_role=general_role, language="en"),
        "potholes": EmployeeFactory(department=tree["POTHOLES"], job_role=general_role),
        "no_email": EmployeeFactory(department=tree["ROADS"], job_role=general_role, email=""),
        "inactive": EmployeeFactory(department=tree["WORKS"], job_role=general_role, active=False),
        "welfare": EmployeeFactory(department=tree["WELFARE"], job_role=general_role),
    }


@pytest.fixture
def launch(django_capture_on_commit_callbacks):
    """Launch as the view does, running the tasks queued on commit (eagerly, in process)."""

    def run(campaign):
        with django_capture_on_commit_callbacks(execute=True):
            started = lifecycle.campaign_launch(campaign=campaign)
        campaign.refresh_from_db()
        return started

    return run


@pytest.fixture
def launched(draft, staff, launch, mailoutbox):
    launch(draft)
    mailoutbox.clear()
    return draft
