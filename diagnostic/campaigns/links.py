"""Link lists and printed QR sheets, for employees without an e-mail address."""

from dataclasses import dataclass, field

import segno

from accounts.models import Department
from lib.spreadsheets import escape_formula, write_csv

from ..models import Campaign, Invitation
from .invitations import invitation_url

LINK_COLUMNS = [
    "employee_number",
    "full_name",
    "department_code",
    "phone",
    "email",
    "language",
    "link",
]


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
