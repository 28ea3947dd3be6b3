"""Link lists and printed QR sheets, for employees without an e-mail address."""

from dataclasses import dataclass, field

import segno

from accounts.audit import record
from accounts.models import AuditEvent, Department
from lib.spreadsheets import escape_formula, write_csv

from ..models import Campaign, Invitation
from .invitations import invitation_url, short_address, shown_short_code

LINK_COLUMNS = [
    "employee_number",
    "full_name",
    "department_code",
    "phone",
    "email",
    "language",
    "link",
    "short_code",
]
# Whom a sheet or list covers.
ONLY_WITHOUT_EMAIL, UNREACHED, EVERYONE = "no_email", "unreached", "all"


def invitations_for_links(
    *, campaign: Campaign, user, department: Department | None = None, who: str = EVERYONE
):
    """The campaign's invitations that `user` may see, in a department's subtree (by snapshot),
    everyone's or only those of people without an e-mail address, for link lists."""
    invitations = (
        Invitation.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("employee", "department")
    )
    if department is not None:
        invitations = invitations.filter(department__path__startswith=department.path)
    if who == ONLY_WITHOUT_EMAIL:
        invitations = invitations.filter(employee__email="")
    elif who == UNREACHED:
        invitations = invitations.unreached()
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
        "short_code": shown_short_code(invitation),
    }
    return [escape_formula(values[column]) for column in LINK_COLUMNS]


def write_links_csv(*, invitations, stream) -> int:
    """Write the links CSV (lib/spreadsheets.py: BOM, RFC 4180, formulas escaped, phone
    numbers kept as they are for bulk messaging tools). Returns the number of rows."""
    rows = (link_row(invitation) for invitation in invitations.iterator(chunk_size=2000))
    return write_csv(stream, headers=LINK_COLUMNS, rows=rows)


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data: URI, for an <img> that the CSP allows."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


@dataclass
class SheetCard:
    employee_number: str
    full_name: str
    link: str
    qr: str
    short_address: str
    short_code: str


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
                short_address=short_address(),
                short_code=shown_short_code(invitation),
            )
        )
    return groups


def sheet_export(
    *, campaign: Campaign, user, department: Department, who: str, request=None
) -> list[SheetGroup]:
    """The printable QR sheet of the chosen people, recorded in the audit log."""
    chosen = invitations_for_links(campaign=campaign, user=user, department=department, who=who)
    groups = qr_sheet(invitations=chosen)
    rows = sum(len(group.cards) for group in groups)
    _record_export(
        kind="qr_sheet",
        campaign=campaign,
        user=user,
        department=department,
        who=who,
        rows=rows,
        request=request,
    )
    return groups


def links_csv_export(
    *, campaign: Campaign, user, department: Department | None, who: str, stream, request=None
) -> int:
    """Write the links CSV of the chosen people to `stream`, recorded in the audit log.
    Returns the number of rows."""
    chosen = invitations_for_links(campaign=campaign, user=user, department=department, who=who)
    rows = write_links_csv(invitations=chosen, stream=stream)
    _record_export(
        kind="links_csv",
        campaign=campaign,
        user=user,
        department=department,
        who=who,
        rows=rows,
        request=request,
    )
    return rows


def links_csv_filename(*, campaign: Campaign) -> str:
    return f"links-{campaign.code}.csv"


def _record_export(*, kind: str, campaign, user, department, who, rows: int, request) -> None:
    # DESIGN.md: every export is recorded (who, when, what, how many rows).
    record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        user=user,
        what=kind,
        campaign=campaign.code,
        department=department.code if department else None,
        who=who,
        rows=rows,
    )
