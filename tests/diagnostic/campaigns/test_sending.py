"""Campaigns at scale, in process: batched and paced sending, resend without duplicates,
refused addresses listed for QR cards, plain-text subjects, and launches that survive a
broker that is down (the sweeper finishes them)."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from diagnostic import tasks
from diagnostic.campaigns import lifecycle, mailing, status
from diagnostic.campaigns.links import UNREACHED, invitations_for_links
from diagnostic.models import Campaign, Invitation
from tests.factories import EmployeeFactory, InvitationFactory


def test_subjects_are_plain_text_without_html_entities(draft, staff, launch, mailoutbox):
    Campaign.objects.filter(pk=draft.pk).update(name="O'Brien & Co")
    launch(draft)
    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects[staff["roads"].email] == "Your invitation: O'Brien & Co"
    assert subjects[staff["works"].email] == "Su invitación: O'Brien & Co"
    english = next(m for m in mailoutbox if m.to[0] == staff["roads"].email)
    assert "O'Brien & Co" in english.body
    assert "&amp;" not in english.body and "&#x27;" not in english.body


@pytest.fixture
def broker():
    """Tasks go to a broker (mocked per test) instead of running in process."""
    from config.celery_app import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_sending_goes_in_paced_batches(draft, tree, general_role, settings, mailoutbox, broker):
    settings.EMAIL_BATCH_SIZE = 2
    settings.EMAIL_RATE_PER_MINUTE = 4
    Campaign.objects.filter(pk=draft.pk).update(
        launched_at=timezone.now(), launch_completed_at=timezone.now()
    )
    for employee in EmployeeFactory.create_batch(
        5, department=tree["WORKS"], job_role=general_role
    ):
        InvitationFactory(campaign=draft, employee=employee)
    queued = []
    with mock.patch.object(
        tasks.send_invitation_batch, "apply_async", side_effect=lambda **kw: queued.append(kw)
    ):
        sent = tasks.send_invitation_batch.run(draft.pk, 0)
    assert sent == 2 and len(mailoutbox) == 2
    # The next batch waits 30 s: two messages at four a minute, starting after the last one.
    (next_batch,) = queued
    assert next_batch["countdown"] == 30.0
    assert next_batch["args"] == (draft.pk, draft.invitations.order_by("pk")[1].pk)


def test_a_resend_never_duplicates(launched, staff, mailoutbox):
    assert launched.invitations.filter(sent_at__isnull=False).count() == 3
    # One message was lost before it was recorded: only that one goes again, once, however
    # many chains of batches (the sweeper's, a redelivered one) run.
    Invitation.objects.filter(campaign=launched, employee=staff["roads"]).update(sent_at=None)
    Campaign.objects.filter(pk=launched.pk).update(
        launch_completed_at=timezone.now() - status.STALE_AFTER * 2
    )
    tasks.finish_unfinished_work()
    tasks.queue_invitations(launched.pk)
    tasks.send_invitation_batch(launched.pk, 0)
    assert [m.to[0] for m in mailoutbox] == [staff["roads"].email]
    assert mailing.unsent_invitations(campaign=launched).count() == 0


def test_a_refused_address_is_listed_for_a_qr_card_and_not_retried(
    draft, staff, launch, hr, mailoutbox
):
    refused = staff["potholes"].email

    def send(backend, messages):
        for message in messages:
            if refused in message.to:
                raise smtplib.SMTPRecipientsRefused({refused: (550, b"no such user")})
            mail.outbox.append(message)
        return len(messages)

    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        autospec=True,
        side_effect=send,
    ):
        launch(draft)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(staff[k].email for k in ("works", "roads"))
    bounced = draft.invitations.get(employee=staff["potholes"])
    assert bounced.bounced_at is not None and bounced.sent_at is None
    unreached = invitations_for_links(campaign=draft, user=hr, who=UNREACHED)
    assert sorted(i.employee_id for i in unreached) == sorted(
        [staff["potholes"].pk, staff["no_email"].pk]
    )
    assert status.sending_progress(campaign=draft) == {"sent": 2, "waiting": 0, "unreached": 2}
    tasks.queue_invitations(draft.pk)  # never tried again
    assert len(mailoutbox) == 2


def test_the_campaign_page_shows_sending_progress_and_who_needs_a_card(client_as, launched, staff):
    page = client_as("hr").get(reverse("campaigns:detail", args=[launched.pk]))
    body = page.content.decode()
    assert "3; por enviar: 0" in body  # "Correos enviados: 3; por enviar: 0."
    assert "1 persona no puede recibir correo" in body
    assert reverse("campaigns:links_csv", args=[launched.pk]) + "?who=unreached" in body


def test_the_links_csv_of_the_unreached(client_as, launched, staff):
    reply = client_as("hr").get(
        reverse("campaigns:links_csv", args=[launched.pk]), {"who": UNREACHED, "department": ""}
    )
    text = reply.content.decode()
    assert staff["no_email"].employee_number in text
    assert staff["works"].employee_number not in text


def test_a_launch_with_the_broker_down_is_saved_and_the_sweeper_finishes_it(
    client_as, draft, staff, mailoutbox, django_capture_on_commit_callbacks, broker
):
    """No HTTP 500: the launch is saved, the task is left; the sweeper makes and sends."""
    from config.celery_app import app

    down = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with (
        mock.patch.object(tasks.make_invitations, "delay", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reply = client_as("hr").post(reverse("campaigns:launch", args=[draft.pk]))
    app.conf.task_always_eager = True  # the broker is back
    assert reply.status_code == 302
    draft.refresh_from_db()
    assert draft.launched_at is not None and draft.launch_completed_at is None
    assert not Invitation.objects.filter(campaign=draft).exists()
    # Fifteen minutes later the beat's sweeper, with the broker back, finishes the launch.
    Campaign.objects.filter(pk=draft.pk).update(launched_at=draft.launched_at - status.STALE_AFTER)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.finish_unfinished_work()
    assert draft.invitations.count() == 4
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        staff[k].email for k in ("works", "roads", "potholes")
    )


@pytest.mark.parametrize("collisions", [1, 3])
def test_a_short_code_collision_still_invites_everyone(draft, staff, collisions):
    """`ignore_conflicts` would drop a row whose random code is taken; the next pass makes it."""
    lifecycle.campaign_launch(campaign=draft)
    taken = Invitation.objects.none()
    real = lifecycle.invitation_for
    calls = {"n": 0}

    def colliding(**kwargs):
        invitation = real(**kwargs)
        calls["n"] += 1
        if 1 < calls["n"] <= 1 + collisions:
            invitation.short_code = first_code["code"]
        return invitation

    first_code = {}
    with mock.patch.object(lifecycle, "invitation_for", side_effect=colliding):
        first = real(campaign=draft, employee=staff["works"])
        first.save()
        first_code["code"] = first.short_code
        lifecycle.invitations_make(campaign=draft)
    assert taken.count() == 0
    assert draft.invitations.count() == 4
    assert draft.invitations.values("short_code").distinct().count() == 4
