"""Invitations: tokens, links, e-mails and reminders, printed QR sheets and link lists.

Sending is idempotent: the invitation row is locked, its `sent_at` (or reminder count) is
read again under the lock, and only then is the message sent and recorded, so a retried
task or a second worker sends nothing more.
"""

import csv
import datetime as dt
import re
import secrets
from dataclasses import dataclass, field

import segno
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Department

from .models import Campaign, Invitation

TOKEN_BYTES = 32

LINK_COLUMNS = [
    "employee_number",
    "full_name",
    "department_code",
    "phone",
    "email",
    "language",
    "link",
]


def new_token() -> str:
    """43 URL-safe characters from 256 random bits: not guessable, not enumerable."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def invitation_url(invitation: Invitation) -> str:
    """The employee's own entry link (the `assessment:start` page)."""
    return f"{settings.SITE_URL}/a/{invitation.token}/"


def reminder_interval() -> dt.timedelta:
    return dt.timedelta(days=settings.REMINDER_INTERVAL_DAYS)


def _is_sendable(invitation: Invitation, now: dt.datetime) -> bool:
    campaign = invitation.campaign
    return bool(
        invitation.employee.email
        and campaign.launch_completed_at is not None
        and campaign.closed_at is None
        and campaign.closes_at > now
    )


def _send_message(*, invitation: Invitation, kind: str) -> None:
    context = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "employee": invitation.employee,
        "link": invitation_url(invitation),
    }
    with translation.override(invitation.language):
        subject = render_to_string(f"diagnostic/email/{kind}_subject.txt", context)
        text = render_to_string(f"diagnostic/email/{kind}.txt", context)
        html = render_to_string(f"diagnostic/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[invitation.employee.email],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _locked(invitation_id: int) -> Invitation | None:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("campaign", "employee")
        .filter(pk=invitation_id)
        .first()
    )


def send_invitation(*, invitation_id: int, now: dt.datetime | None = None) -> bool:
    """E-mail the invitation unless it went already. True when a message was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation_id)
        if invitation is None or invitation.sent_at is not None:
            return False
        if not _is_sendable(invitation, now):
            return False
        _send_message(invitation=invitation, kind="invitation")
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    return True


def unsent_invitations(*, campaign: Campaign):
    return campaign.invitations.filter(sent_at__isnull=True).exclude(employee__email="")


def due_reminders(*, now: dt.datetime | None = None):
    """Invitations that should get a reminder now: open campaign, e-mailed more than the
    interval ago, no submitted response, not declined, fewer than the maximum reminders, and
    none in the last interval."""
    now = now or timezone.now()
    cutoff = now - reminder_interval()
    open_campaigns = Campaign.objects.open(now=now)
    return (
        Invitation.objects.filter(
            campaign__in=open_campaigns,
            sent_at__lt=cutoff,
            reminder_count__lt=settings.REMINDER_MAX_COUNT,
            declined_at__isnull=True,
        )
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=cutoff))
        .exclude(response__submitted_at__isnull=False)
        .exclude(employee__email="")
    )


def send_reminder(*, invitation_id: int, now: dt.datetime | None = None) -> bool:
    """Send one reminder if the invitation is still due one. True when a message was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation_id)
        if invitation is None or not due_reminders(now=now).filter(pk=invitation_id).exists():
            return False
        _send_message(invitation=invitation, kind="reminder")
        invitation.last_reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["last_reminded_at", "reminder_count"])
    return True


# --- links for people without e-mail ------------------------------------------------------

# Cells a spreadsheet would read as a formula. Phone numbers such as "+52 55 1234 5678" are
# left alone: they hold no function call, and a quote in front would break bulk messaging
# tools that read this column.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
PHONE = re.compile(r"^\+?[0-9 ()\-]+$")


def spreadsheet_safe(value: str, *, column: str = "") -> str:
    if value.startswith(FORMULA_START) and not (column == "phone" and PHONE.match(value)):
        return "'" + value
    return value


def invitations_for_links(*, campaign: Campaign, department: Department | None = None):
    """The campaign's invitations (in a department's subtree, by snapshot), for link lists."""
    invitations = campaign.invitations.select_related("employee", "department")
    if department is not None:
        invitations = invitations.filter(department__path__startswith=department.path)
    return invitations.order_by("department__path", "employee__full_name", "pk")


def link_row(invitation: Invitation) -> list[str]:
    employee = invitation.employee
    values = {
        "employee_number": employee.employee_number,
        "full_name": employee.full_name,
        "department_code": invitation.department.code,
        "phone": employee.phone,
        "email": employee.email,
        "language": invitation.language,
        "link": invitation_url(invitation),
    }
    return [spreadsheet_safe(values[column], column=column) for column in LINK_COLUMNS]


def write_links_csv(*, invitations, stream) -> int:
    """Write the links CSV (UTF-8 with BOM, RFC 4180 quoting). Returns the number of rows."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(LINK_COLUMNS)
    rows = 0
    for invitation in invitations.iterator(chunk_size=2000):
        writer.writerow(link_row(invitation))
        rows += 1
    return rows


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data: URI, for an <img> that the CSP allows."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


@dataclass
class SheetCard:
    employee_number: str
    full_name: str
    link: str
    qr: str


@dataclass
class SheetGroup:
    department: Department
    cards: list[SheetCard] = field(default_factory=list)


def qr_sheet(*, invitations) -> list[SheetGroup]:
    """The printable sheet: one group per department, one card (name, link, QR) per person."""
    groups: list[SheetGroup] = []
    for invitation in invitations:
        if not groups or groups[-1].department.pk != invitation.department_id:
            groups.append(SheetGroup(department=invitation.department))
        link = invitation_url(invitation)
        groups[-1].cards.append(
            SheetCard(
                employee_number=invitation.employee.employee_number,
                full_name=invitation.employee.full_name,
                link=link,
                qr=qr_data_uri(link),
            )
        )
    return groups
