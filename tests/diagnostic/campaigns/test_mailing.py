"""Invitation e-mails and reminders: language, idempotency, who is due a reminder."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from diagnostic import tasks
from diagnostic.campaigns.invitations import invitation_url
from diagnostic.campaigns.mailing import due_reminders, send_invitation
from diagnostic.models import Campaign, Invitation
from tests.factories import EmployeeFactory, InvitationFactory, ResponseFactory

DAY = dt.timedelta(days=1)


def test_launch_emails_everyone_with_an_address_once(draft, staff, launch, mailoutbox):
    launch(draft)
    recipients = sorted(message.to[0] for message in mailoutbox)
    expected = sorted(staff[k].email for k in ("works", "roads", "potholes"))
    assert recipients == expected
    assert draft.invitations.filter(sent_at__isnull=True).get().employee == staff["no_email"]


def test_invitation_link_is_the_site_url_and_the_token(launched, settings):
    settings.SITE_URL = "https://diagnostico.example.gob.mx"
    invitation = launched.invitations.first()
    assert invitation_url(invitation) == (
        f"https://diagnostico.example.gob.mx/a/{invitation.token}/"
    )


def test_invitation_is_in_spanish_by_default(launched, staff, mailoutbox):
    invitation = launched.invitations.get(employee=staff["works"])
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    tasks.send_invitation.delay(invitation.pk)
    (message,) = mailoutbox
    assert message.subject == "Su invitación: Diagnóstico 2026"
    assert "Hola" in message.body
    assert invitation_url(invitation) in message.body
    html = message.alternatives[0][0]
    assert 'lang="es-MX"' in html
    assert invitation_url(invitation) in html


def test_invitation_is_in_the_employees_language(launched, staff, mailoutbox):
    invitation = launched.invitations.get(employee=staff["roads"])
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    tasks.send_invitation.delay(invitation.pk)
    (message,) = mailoutbox
    assert message.subject == "Your invitation: Diagnóstico 2026"
    assert message.body.startswith("Hello")
    assert 'lang="en"' in message.alternatives[0][0]


def test_sending_an_invitation_twice_sends_one_email(launched, staff, mailoutbox):
    invitation = launched.invitations.get(employee=staff["works"])
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    tasks.send_invitation.delay(invitation.pk)
    tasks.send_invitation.delay(invitation.pk)
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_no_invitation_is_sent_for_a_closed_campaign(launched, staff, mailoutbox):
    invitation = launched.invitations.get(employee=staff["works"])
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    Campaign.objects.filter(pk=launched.pk).update(closed_at=timezone.now())
    assert send_invitation(invitation_id=invitation.pk) is False
    assert mailoutbox == []


def test_no_invitation_is_sent_to_someone_without_email(launched, staff, mailoutbox):
    invitation = launched.invitations.get(employee=staff["no_email"])
    assert send_invitation(invitation_id=invitation.pk) is False
    assert mailoutbox == []


# --- reminders ----------------------------------------------------------------------------


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def invite(launched, tree, general_role, now):
    """An invitation to the launched campaign in a given state, named by its employee."""

    def make(name: str, *, sent_days_ago=8, reminded_days_ago=None, reminders=0, email=True):
        employee = EmployeeFactory(
            full_name=name,
            department=tree["WORKS"],
            job_role=general_role,
            email=f"{name}@example.gob.mx" if email else "",
        )
        return InvitationFactory(
            campaign=launched,
            employee=employee,
            sent_at=None if sent_days_ago is None else now - sent_days_ago * DAY,
            last_reminded_at=None if reminded_days_ago is None else now - reminded_days_ago * DAY,
            reminder_count=reminders,
        )

    return make


def test_reminders_go_only_to_those_due_one(invite, now):
    invite("due")
    invite("started_not_submitted")
    ResponseFactory(invitation=Invitation.objects.get(employee__full_name="started_not_submitted"))
    invite("reminded_long_ago", reminded_days_ago=8, reminders=1)
    invite("invited_recently", sent_days_ago=2)
    invite("never_sent", sent_days_ago=None)
    invite("reminded_recently", reminded_days_ago=3, reminders=1)
    invite("had_all_reminders", reminded_days_ago=8, reminders=settings.REMINDER_MAX_COUNT)
    invite("no_email", email=False)
    submitted = invite("submitted")
    ResponseFactory(invitation=submitted, submitted_at=now - DAY)
    declined = invite("declined")
    Invitation.objects.filter(pk=declined.pk).update(declined_at=now - DAY)

    due = set(due_reminders(now=now).values_list("employee__full_name", flat=True))

    assert due == {"due", "started_not_submitted", "reminded_long_ago"}


def test_no_reminders_for_a_closed_or_ended_campaign(launched, invite, now):
    invite("due")
    Campaign.objects.filter(pk=launched.pk).update(closed_at=now)
    assert not due_reminders(now=now).exists()
    Campaign.objects.filter(pk=launched.pk).update(closed_at=None)
    assert due_reminders(now=now).exists()
    assert not due_reminders(now=launched.closes_at + DAY).exists()


def test_reminder_interval_and_maximum_come_from_settings(invite, now, settings):
    invite("reminded_three_days_ago", reminded_days_ago=3, reminders=1)
    settings.REMINDER_INTERVAL_DAYS = 2
    assert due_reminders(now=now).count() == 1
    settings.REMINDER_MAX_COUNT = 1
    assert due_reminders(now=now).count() == 0


def test_a_reminder_task_run_twice_sends_one_reminder(invite, mailoutbox):
    invitation = invite("due")
    tasks.send_reminder.delay(invitation.pk)
    tasks.send_reminder.delay(invitation.pk)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Recordatorio: Diagnóstico 2026"
    invitation.refresh_from_db()
    assert invitation.reminder_count == 1
    assert invitation.last_reminded_at is not None


def test_periodic_task_reminds_everyone_due_and_nobody_else(invite, mailoutbox):
    invite("due")
    invite("also_due", reminded_days_ago=9, reminders=1)
    invite("invited_recently", sent_days_ago=1)
    assert tasks.send_due_reminders.delay().get() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "also_due@example.gob.mx",
        "due@example.gob.mx",
    ]
    # An hour later nobody is due again.
    mailoutbox.clear()
    assert tasks.send_due_reminders.delay().get() == 0
    assert mailoutbox == []


def test_reminders_are_scheduled_by_beat_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert entry["task"] == tasks.send_due_reminders.name
    assert entry["schedule"] == 3600


def test_reminder_is_in_the_employees_language(invite, mailoutbox):
    invitation = invite("english")
    Invitation.objects.filter(pk=invitation.pk).update(language="en")
    tasks.send_reminder.delay(invitation.pk)
    (message,) = mailoutbox
    assert message.subject == "Reminder: Diagnóstico 2026"
    assert invitation_url(invitation) in message.body


def test_invitation_and_reminder_say_how_long_it_takes_and_whom_to_ask(
    launched, invite, staff, mailoutbox
):
    from diagnostic.framework.length import length_estimate

    Campaign.objects.filter(pk=launched.pk).update(contact_email="rh@ciudad.example.gob.mx")
    invitation = launched.invitations.get(employee=staff["works"])
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    tasks.send_invitation.delay(invitation.pk)
    tasks.send_reminder.delay(invite("due").pk)
    minutes = length_estimate(framework=launched.framework).minutes
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        for body in (message.body, message.alternatives[0][0]):
            assert f"unos {minutes} minutos" in body
            assert "rh@ciudad.example.gob.mx" in body


def test_without_a_campaign_contact_the_e_mails_give_the_site_s_address(
    launched, staff, mailoutbox, settings
):
    settings.DEFAULT_FROM_EMAIL = "diagnostico@ciudad.example.gob.mx"
    settings.ORGANIZATION_CONTACT = ""
    invitation = launched.invitations.get(employee=staff["works"])
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
    tasks.send_invitation.delay(invitation.pk)
    (message,) = mailoutbox
    assert "diagnostico@ciudad.example.gob.mx" in message.body
