"""Campaign rules without HTTP: create, launch, close, extend, participation."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEvent, Employee
from diagnostic import tasks
from diagnostic.campaigns import lifecycle, participation, status
from diagnostic.campaigns.notices import notice_create
from diagnostic.exceptions import (
    CampaignAlreadyClosedError,
    CampaignEndedError,
    CampaignNotLaunchedError,
    EmptyPopulationError,
    ExtensionNotLaterError,
    FrameworkLockedError,
    FrameworkNotPublishedError,
    NoPrivacyNoticeError,
    PopulationLockedError,
    ThresholdLoweredError,
    ThresholdTooLowError,
)
from diagnostic.models import Campaign, Framework, Invitation, PrivacyNotice
from tests.factories import (
    CampaignFactory,
    EmployeeFactory,
    FrameworkFactory,
    InvitationFactory,
    JobRoleFactory,
    ResponseFactory,
)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def create_kwargs(tree, framework, **overrides):
    now = timezone.now()
    return {
        "code": "2026-2",
        "name_es_mx": "Segundo diagnóstico",
        "framework": framework,
        "departments": [tree["WORKS"]],
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=14),
        "anonymity_threshold": 5,
        **overrides,
    }


# --- create -------------------------------------------------------------------------------


def test_create_stores_the_campaign_and_its_population(tree, framework, hr):
    campaign = lifecycle.campaign_create(created_by=hr, **create_kwargs(tree, framework))
    assert list(campaign.departments.all()) == [tree["WORKS"]]
    assert campaign.created_by == hr
    assert status.campaign_status(campaign=campaign) == status.Status.DRAFT


def test_create_refuses_a_framework_that_is_not_published(tree, db):
    draft_framework = FrameworkFactory(status=Framework.Status.DRAFT)
    with pytest.raises(FrameworkNotPublishedError):
        lifecycle.campaign_create(**create_kwargs(tree, draft_framework))
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("threshold", [0, 1, 2])
def test_create_refuses_a_threshold_below_three(tree, framework, threshold):
    with pytest.raises(ThresholdTooLowError):
        lifecycle.campaign_create(**create_kwargs(tree, framework, anonymity_threshold=threshold))


def test_database_refuses_a_threshold_below_three(framework):
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(framework=framework, anonymity_threshold=2)


def test_threshold_of_three_is_allowed(tree, framework):
    campaign = lifecycle.campaign_create(**create_kwargs(tree, framework, anonymity_threshold=3))
    assert campaign.anonymity_threshold == 3


# --- launch -------------------------------------------------------------------------------


def test_launch_invites_each_active_employee_of_the_subtree_once(launched, staff):
    invited = set(launched.invitations.values_list("employee__employee_number", flat=True))
    expected = {staff[key].employee_number for key in ("works", "roads", "potholes", "no_email")}
    assert invited == expected


def test_launch_records_department_role_and_language_snapshots(launched, staff):
    invitation = launched.invitations.get(employee=staff["roads"])
    assert invitation.department == staff["roads"].department
    assert invitation.job_role == staff["roads"].job_role
    assert invitation.language == "en"


def test_launch_takes_the_latest_privacy_notice_and_marks_the_campaign(draft, staff, launch):
    latest = notice_create(
        short_text_es_mx="corto 2", short_text_en="short 2", full_text_es_mx="x", full_text_en="x"
    )
    assert launch(draft) is True
    assert draft.privacy_notice == latest
    assert draft.launched_at is not None
    assert draft.launch_completed_at is not None
    assert status.campaign_status(campaign=draft) == status.Status.OPEN


def test_later_roster_changes_do_not_rewrite_invitations(launched, staff, tree, general_role):
    moved = staff["works"]
    new_role = JobRoleFactory(code="ANA")
    Employee.objects.filter(pk=moved.pk).update(department=tree["WELFARE"], job_role=new_role)
    EmployeeFactory(department=tree["WORKS"], job_role=general_role)
    lifecycle.invitations_make(campaign=launched)

    invitation = launched.invitations.get(employee=moved)
    assert (invitation.department, invitation.job_role) == (tree["WORKS"], general_role)
    assert launched.invitations.count() == 4


def test_launching_twice_creates_nothing_new(launched, launch, tree, general_role):
    tokens = set(launched.invitations.values_list("token", flat=True))
    EmployeeFactory(department=tree["WORKS"], job_role=general_role)
    assert launch(launched) is False
    assert set(launched.invitations.values_list("token", flat=True)) == tokens


def test_an_interrupted_launch_is_finished_by_running_the_task_again(draft, staff):
    # As if the task died after its first batch: launched, one invitation made, not complete.
    Campaign.objects.filter(pk=draft.pk).update(launched_at=timezone.now())
    InvitationFactory(campaign=draft, employee=staff["works"])

    made = lifecycle.invitations_make(campaign=draft, batch_size=1)

    assert made == 3
    assert draft.invitations.count() == 4
    draft.refresh_from_db()
    assert draft.launch_completed_at is not None


def test_tokens_are_unique_unguessable_and_url_safe(draft, tree, general_role, launch):
    EmployeeFactory.create_batch(40, department=tree["ROADS"], job_role=general_role)
    launch(draft)
    tokens = list(draft.invitations.values_list("token", flat=True))
    assert len(tokens) == 40
    assert len(set(tokens)) == 40
    assert all(TOKEN.match(token) for token in tokens)


def test_framework_is_locked_after_launch(launched):
    other = FrameworkFactory(code="otro")
    with pytest.raises(FrameworkLockedError):
        lifecycle.campaign_update(campaign=launched, framework=other)
    launched.refresh_from_db()
    assert launched.framework.code == "datos"


def test_framework_can_change_before_launch(draft):
    other = FrameworkFactory(code="otro")
    lifecycle.campaign_update(campaign=draft, framework=other)
    draft.refresh_from_db()
    assert draft.framework == other


def test_population_and_dates_are_locked_after_launch(launched, tree):
    with pytest.raises(PopulationLockedError):
        lifecycle.campaign_update(campaign=launched, departments=[tree["CITY"]])
    with pytest.raises(PopulationLockedError):
        lifecycle.campaign_update(campaign=launched, opens_at=timezone.now())
    lifecycle.campaign_update(campaign=launched, name="Nuevo nombre")
    launched.refresh_from_db()
    assert launched.name == "Nuevo nombre"


def test_after_launch_the_threshold_may_change_but_never_below_three(launched):
    lifecycle.campaign_update(campaign=launched, anonymity_threshold=8)
    with pytest.raises(ThresholdTooLowError):
        lifecycle.campaign_update(campaign=launched, anonymity_threshold=2)
    launched.refresh_from_db()
    assert launched.anonymity_threshold == 8


def threshold_events() -> list[dict]:
    events = AuditEvent.objects.filter(action=AuditEvent.Action.THRESHOLD_CHANGED)
    return [{"user": e.user, **e.detail} for e in events.order_by("pk")]


@pytest.mark.parametrize("submitted", [False, True])
def test_the_threshold_is_never_lowered_once_a_response_exists(launched, hr, submitted):
    # A started response counts: its answers were given on the promise of the current k.
    invitation = launched.invitations.first()
    ResponseFactory(invitation=invitation, submitted_at=timezone.now() if submitted else None)
    with pytest.raises(ThresholdLoweredError):
        lifecycle.campaign_update(campaign=launched, anonymity_threshold=4, by=hr)
    launched.refresh_from_db()
    assert launched.anonymity_threshold == 5
    assert threshold_events() == []


def test_the_threshold_may_be_raised_once_responses_exist(launched, hr):
    ResponseFactory(invitation=launched.invitations.first(), submitted_at=timezone.now())
    lifecycle.campaign_update(campaign=launched, anonymity_threshold=7, by=hr)
    launched.refresh_from_db()
    assert launched.anonymity_threshold == 7
    assert threshold_events() == [{"user": hr, "campaign": "2026-1", "old": 5, "new": 7}]


def test_the_threshold_may_be_lowered_after_launch_while_nobody_has_started(launched, hr):
    lifecycle.campaign_update(campaign=launched, anonymity_threshold=4, by=hr)
    launched.refresh_from_db()
    assert launched.anonymity_threshold == 4
    assert threshold_events() == [{"user": hr, "campaign": "2026-1", "old": 5, "new": 4}]


def test_every_change_of_the_threshold_is_audited_and_no_other_save_is(draft, hr):
    lifecycle.campaign_update(campaign=draft, anonymity_threshold=6, by=hr)
    lifecycle.campaign_update(campaign=draft, anonymity_threshold=6, name="Otro", by=hr)
    lifecycle.campaign_update(campaign=draft, anonymity_threshold=3, by=hr)
    assert [(e["old"], e["new"]) for e in threshold_events()] == [(5, 6), (6, 3)]


def test_a_response_of_another_campaign_does_not_lock_the_threshold(launched, hr):
    ResponseFactory(submitted_at=timezone.now())  # an invitation of some other campaign
    lifecycle.campaign_update(campaign=launched, anonymity_threshold=3, by=hr)
    launched.refresh_from_db()
    assert launched.anonymity_threshold == 3


def test_launch_refuses_a_campaign_whose_closing_date_has_passed(draft, staff, launch):
    Campaign.objects.filter(pk=draft.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=10),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(CampaignEndedError):
        launch(draft)
    assert not Invitation.objects.exists()


def test_launch_refuses_without_a_privacy_notice(draft, staff, launch):
    PrivacyNotice.objects.all().delete()
    with pytest.raises(NoPrivacyNoticeError):
        launch(draft)
    draft.refresh_from_db()
    assert draft.launched_at is None


def test_launch_refuses_an_empty_population(draft, launch):
    with pytest.raises(EmptyPopulationError):
        launch(draft)


def test_launch_refuses_a_framework_retired_since_creation(draft, staff, launch):
    Framework.objects.filter(pk=draft.framework_id).update(status=Framework.Status.RETIRED)
    with pytest.raises(FrameworkNotPublishedError):
        launch(draft)


# --- close and extend ---------------------------------------------------------------------


def test_closing_a_draft_is_refused(draft):
    with pytest.raises(CampaignNotLaunchedError):
        lifecycle.campaign_close(campaign=draft)


def test_close_ends_an_open_campaign(launched):
    lifecycle.campaign_close(campaign=launched)
    launched.refresh_from_db()
    assert launched.closed_at is not None
    assert status.campaign_status(campaign=launched) == status.Status.CLOSED
    assert not Campaign.objects.open().filter(pk=launched.pk).exists()


def test_closing_twice_is_refused(launched):
    lifecycle.campaign_close(campaign=launched)
    with pytest.raises(CampaignAlreadyClosedError):
        lifecycle.campaign_close(campaign=launched)


def test_extend_refuses_a_date_not_later_than_the_current_one(launched):
    with pytest.raises(ExtensionNotLaterError):
        lifecycle.campaign_extend(campaign=launched, closes_at=launched.closes_at)
    with pytest.raises(ExtensionNotLaterError):
        lifecycle.campaign_extend(
            campaign=launched, closes_at=launched.closes_at - dt.timedelta(days=1)
        )


def test_extend_reopens_a_closed_campaign(launched):
    lifecycle.campaign_close(campaign=launched)
    later = launched.closes_at + dt.timedelta(days=7)
    lifecycle.campaign_extend(campaign=launched, closes_at=later)
    launched.refresh_from_db()
    assert launched.closes_at == later
    assert launched.closed_at is None
    assert Campaign.objects.open().filter(pk=launched.pk).exists()


def test_extend_reopens_a_campaign_past_its_closing_date(launched):
    now = launched.closes_at + dt.timedelta(days=1)
    assert status.campaign_status(campaign=launched, now=now) == status.Status.CLOSED
    lifecycle.campaign_extend(campaign=launched, closes_at=now + dt.timedelta(days=3), now=now)
    launched.refresh_from_db()
    assert status.campaign_status(campaign=launched, now=now) == status.Status.OPEN


def test_extending_a_draft_is_refused(draft):
    with pytest.raises(CampaignNotLaunchedError):
        lifecycle.campaign_extend(campaign=draft, closes_at=draft.closes_at + dt.timedelta(days=1))


def test_a_launched_campaign_before_its_opening_is_scheduled(launched):
    before = launched.opens_at - dt.timedelta(minutes=1)
    assert status.campaign_status(campaign=launched, now=before) == status.Status.SCHEDULED


# --- participation ------------------------------------------------------------------------


def answer(invitation, *, submitted: bool):
    ResponseFactory(invitation=invitation, submitted_at=timezone.now() if submitted else None)


def test_participation_counts_each_department_with_its_subtree(launched, staff):
    answer(launched.invitations.get(employee=staff["roads"]), submitted=True)
    answer(launched.invitations.get(employee=staff["potholes"]), submitted=False)

    result = participation.participation(campaign=launched)

    figures = {
        row.department.code: (row.invited, row.started, row.submitted) for row in result.rows
    }
    assert figures == {"WORKS": (4, 2, 1), "ROADS": (3, 2, 1), "POTHOLES": (1, 1, 0)}
    assert (result.total.invited, result.total.started, result.total.submitted) == (4, 2, 1)
    assert result.total.emailed == 3
    assert result.rows[0].response_rate == pytest.approx(0.25)
    assert [row.depth for row in result.rows] == [0, 1, 2]


def make_people(campaign, tree, general_role, count: int) -> None:
    departments = [tree["WORKS"], tree["ROADS"], tree["POTHOLES"]]
    for number in range(count):
        invitation = InvitationFactory(
            campaign=campaign,
            employee=EmployeeFactory(department=departments[number % 3], job_role=general_role),
        )
        if number % 2:
            answer(invitation, submitted=number % 4 == 1)


@pytest.mark.parametrize("people", [3, 30])
def test_participation_takes_three_queries_whatever_the_size(
    draft, tree, general_role, people, django_assert_num_queries
):
    make_people(draft, tree, general_role, people)
    with django_assert_num_queries(3):
        result = participation.participation(campaign=draft)
    assert result.total.invited == people


@pytest.mark.parametrize("extra", [1, 8])
def test_campaign_list_is_two_queries_whatever_the_number(
    hr, framework, extra, django_assert_num_queries
):
    for _ in range(extra):
        InvitationFactory(campaign=CampaignFactory(framework=framework))
    # One to know the user is HR, one for the campaigns and their counts.
    with django_assert_num_queries(2):
        rows = list(status.campaigns_with_counts(user=hr))
    assert [row.invited for row in rows] == [1] * extra


# --- recovering lost tasks ----------------------------------------------------------------


def test_a_launch_whose_task_was_lost_is_finished_by_the_periodic_task(draft, staff, mailoutbox):
    # Launched long ago, but the task that makes the invitations never ran.
    Campaign.objects.filter(pk=draft.pk).update(launched_at=timezone.now() - dt.timedelta(hours=1))
    assert list(status.stalled_launches()) == [draft]

    tasks.finish_unfinished_work.delay()

    assert draft.invitations.count() == 4
    assert not status.stalled_launches().exists()


def test_a_recent_launch_is_left_to_its_own_task(draft, staff):
    Campaign.objects.filter(pk=draft.pk).update(launched_at=timezone.now())
    assert not status.stalled_launches().exists()


def test_invitations_whose_email_task_was_lost_are_sent_later(launched, staff, mailoutbox):
    later = timezone.now() + dt.timedelta(hours=1)
    assert not status.campaigns_with_unsent_invitations(now=later).exists()
    Invitation.objects.filter(employee=staff["works"]).update(sent_at=None)
    assert list(status.campaigns_with_unsent_invitations(now=later)) == [launched]

    Campaign.objects.filter(pk=launched.pk).update(
        launch_completed_at=timezone.now() - dt.timedelta(hours=1)
    )
    tasks.finish_unfinished_work.delay()

    assert [m.to for m in mailoutbox] == [[staff["works"].email]]
    assert (
        not launched.invitations.filter(sent_at__isnull=True).exclude(employee__email="").exists()
    )
