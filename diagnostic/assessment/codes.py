"""The results code: what proves, on another device, that the link's holder is its employee.

DESIGN.md ("Links are not keys to results"): the link alone never opens results, because links
travel on paper (QR cards) and a supervisor may know them. The code is made at submission,
shown once to the person who submitted and e-mailed to the employee's address; only its hash
is stored (Django's password hashing, so a copy of the database does not give the codes back
cheaply). Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L) give 31**8,
about 8.5 * 10**11 codes, while guesses are limited per address and per invitation
(`attempts`), so a code is short enough to type from a phone and still never guessed.

A code can be replaced (`replace_code`): by the employee, signed in with their account or in
the session that may read the results, when the old one is lost or seen by someone else; by
HR for an employee who lost theirs (`replace_code_for_hr`), to hand over in person. The old
code stops working at once, every replacement is audited, the new code is shown once and
e-mailed where there is an e-mail. Submissions made before codes existed (and the demo
city's) get their first one the same way.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.audit import record
from accounts.models import AuditEvent
from lib.codes import ALPHABET, random_code  # noqa: F401  (ALPHABET: part of this API)

from ..exceptions import (
    NotSubmittedError,
    ResultsCodeEmployeeNotFoundError,
    ResultsCodeNotSubmittedError,
)
from ..models import Campaign, Invitation, Response

LENGTH = 8
GROUP = 4

logger = logging.getLogger(__name__)


def new_code() -> str:
    """A fresh code, as it is typed (no separator)."""
    return random_code(LENGTH)


def shown(code: str) -> str:
    """The code as people read it: in groups of four ("7KQM-3XTB")."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalized(typed: str) -> str:
    """What someone typed, as stored: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def hashed(code: str) -> str:
    return make_password(normalized(code))


def matches(*, response: Response, typed: str) -> bool:
    """Whether `typed` is the response's results code; False when it has none."""
    code = normalized(typed)
    if not response.results_code or len(code) != LENGTH:
        return False
    return check_password(code, response.results_code)


def code_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("assessment:code", kwargs={"token": invitation.token})


def replace_code(*, response: Response, by=None, request=None, for_hr: bool = False) -> str:
    """A new results code for a submitted response, as typed; the old one stops working.

    Audited (who, which invitation, whether HR made it; never the code) and e-mailed to the
    employee after the change commits. Raises NotSubmittedError before submission."""
    if response.submitted_at is None:
        raise NotSubmittedError
    code = new_code()
    code_hash = hashed(code)  # slow on purpose: outside the transaction
    invitation = response.invitation
    with transaction.atomic():
        changed = Response.objects.filter(pk=response.pk, submitted_at__isnull=False).update(
            results_code=code_hash
        )
        if not changed:
            raise NotSubmittedError
        record(
            action=AuditEvent.Action.RESULTS_CODE_ISSUED,
            request=request,
            user=by,
            invitation=invitation.pk,
            campaign=invitation.campaign.code,
            employee_number=invitation.employee.employee_number,
            by_hr=for_hr,
            first=not response.results_code,
        )
        transaction.on_commit(
            partial(send_results_code, invitation=invitation, code=code, replaced=True)
        )
    response.results_code = code_hash
    return code


def replace_code_for_hr(
    *, campaign: Campaign, employee_number: str, by, request=None
) -> tuple[Invitation, str]:
    """HR's new code for an employee of `campaign` who lost theirs, to hand over: the
    invitation (who it is for, nothing of the answers) and the code, as typed."""
    number = employee_number.strip()
    invitation = (
        Invitation.objects.visible_to(by)
        .filter(campaign=campaign, employee__employee_number=number)
        .select_related("campaign", "employee")
        .first()
    )
    if invitation is None:
        raise ResultsCodeEmployeeNotFoundError(number)
    response = Response.objects.filter(invitation=invitation).first()
    if response is None or response.submitted_at is None:
        raise ResultsCodeNotSubmittedError(number)
    response.invitation = invitation
    return invitation, replace_code(response=response, by=by, request=request, for_hr=True)


def send_results_code(*, invitation: Invitation, code: str, replaced: bool = False) -> bool:
    """E-mail the code to the employee, in the invitation's language; True when sent.

    It runs after the submission commits, in the request: the code must not wait in a broker
    in clear. A mail server that fails does not undo the submission, and the code was shown
    on the page, so the failure is logged and nothing more.
    """
    employee = invitation.employee
    if not employee.email:
        return False
    context = {
        "campaign": invitation.campaign,
        "employee": employee,
        "code": shown(code),
        "link": code_url(invitation),
        "replaced": replaced,
    }
    with translation.override(invitation.language):
        subject = render_to_string("diagnostic/email/results_code_subject.txt", context)
        text = render_to_string("diagnostic/email/results_code.txt", context)
        html = render_to_string("diagnostic/email/results_code.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[employee.email]
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # any failure of the mail server; the submission stands
        logger.exception("results code e-mail for invitation %s not sent", invitation.pk)
        return False
    return True
