"""ARCO opposition (`Employee.opted_out_at`) and offboarding, as campaigns see them: launches
leave an opposed person out, no e-mail or reminder reaches them, and a deactivated person's
open invitation link opens nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Employee
from accounts.roster import employee_set_active
from diagnostic.campaigns.mailing import due_reminders, send_invitation, unsent_invitations
from diagnostic.models import Invitation, Response
from tests.diagnostic.assessment.data import make_assessment, open_link
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_a_launch_leaves_out_whoever_opposed(draft, staff, launch, mailoutbox):
    Employee.objects.filter(pk=staff["roads"].pk).update(opted_out_at=timezone.now())
    launch(draft)
    invited = set(Invitation.objects.filter(campaign=draft).values_list("employee_id", flat=True))
    assert staff["roads"].pk not in invited and staff["works"].pk in invited
    assert staff["roads"].email not in {m.to[0] for m in mailoutbox}


def test_no_email_nor_reminder_reaches_someone_who_opposed_after_launch(
    launched, staff, mailoutbox
):
    invitation = Invitation.objects.get(campaign=launched, employee=staff["works"])
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=None, last_reminded_at=None, reminder_count=0
    )
    Employee.objects.filter(pk=staff["works"].pk).update(opted_out_at=timezone.now())
    assert not unsent_invitations(campaign=launched).filter(pk=invitation.pk).exists()
    assert send_invitation(invitation_id=invitation.pk) is False
    assert mailoutbox == []
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=30)
    )
    assert not due_reminders().filter(pk=invitation.pk).exists()


def test_offboarding_voids_the_open_invitation_link(client):
    person = EmployeeFactory()
    assessment = make_assessment(employee=person)
    employee_set_active(employee=person, active=False)
    reply = open_link(client, assessment)
    assert reply.status_code == 403
    assert not Response.objects.exists()
