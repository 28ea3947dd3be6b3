"""Every plan URL, with the answer each role gets: HR (and administrators) build, read and
approve plans and keep the catalogue; managers, employees and framework editors get 403."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from reports.plan.catalogue import offering_save
from reports.plan.models import Enrolment, Offering, Plan, PlanChange, PlanChoice, PlanLine
from reports.plan.plans import plan_approve, plan_create
from tests.conftest import ROLES

from .test_plans import VALUES

OK, FOUND, FORBIDDEN, BAD, LOGIN = 200, 302, 403, 400, "login"
REFUSED = {FORBIDDEN, LOGIN}

HR_ONLY = {
    "anonymous": LOGIN,
    "employee": FORBIDDEN,
    "other_employee": FORBIDDEN,
    "manager": FORBIDDEN,
    "outsider_manager": FORBIDDEN,
    "hr": OK,
    "editor": FORBIDDEN,
    "admin_user": OK,
}
HR_WRITES = {**HR_ONLY, "hr": FOUND, "admin_user": FOUND}
# Named lists: HR without the identified permission is refused too (`hr` lacks it; the
# superuser holds every permission).
NAMED = {**HR_ONLY, "hr": FORBIDDEN}

READERS = {**HR_ONLY, "manager": OK, "outsider_manager": OK}

# url name -> (method, args, data, {role: expected})
ACCESS = {
    "reports:plan_list": ("get", [], {}, HR_ONLY),
    "reports:plan_create": ("get", [], {}, HR_ONLY),
    "reports:plan_catalogue": ("get", [], {}, HR_ONLY),
    "reports:plan_catalogue_upload": (
        "post",
        [],
        {},
        {**HR_ONLY, "hr": BAD, "admin_user": BAD},
    ),
    "reports:plan_catalogue_confirm": ("post", [], {}, HR_WRITES),
    "reports:plan_catalogue_template": ("get", [], {}, HR_ONLY),
    "reports:plan_offering_edit": (
        "post",
        ["PY1"],
        {k: v for k, v in VALUES.items() if k != "offering_code"} | {"cost_per_person": "501"},
        HR_WRITES,
    ),
    "reports:plan_detail": ("get", ["draft"], {}, HR_ONLY),
    "reports:plan_committee": ("get", ["approved"], {}, HR_ONLY),
    "reports:plan_budget": ("post", ["draft"], {"budget": "900"}, HR_WRITES),
    "reports:plan_choice": (
        "post",
        ["draft"],
        {"competency_code": "C1", "band": "0", "choice": "must_fund"},
        HR_WRITES,
    ),
    "reports:plan_approve": ("post", ["draft"], {}, HR_WRITES),
    "reports:plan_xlsx": ("get", ["approved"], {}, HR_ONLY),
    "reports:plan_for_departments": ("get", ["approved"], {}, READERS),
    "reports:plan_progress": ("get", ["early", "diag-2026"], {}, HR_ONLY),
    "reports:plan_enrolments": ("get", ["approved"], {}, NAMED),
    "reports:plan_named_list": ("get", ["approved"], {}, NAMED),
    "reports:plan_enrolments_import": (
        "post",
        ["approved"],
        {},
        {**NAMED, "admin_user": FOUND},
    ),
}

COVERED_URLS = set(ACCESS)
CASES = [(name, role) for name, (*_, expected) in ACCESS.items() for role in expected]


@pytest.fixture
def plans(results, hr):
    offering_save(values=VALUES)
    plan_approve(plan=plan_create(code="approved", name="Aprobado", campaign=results), by=hr)
    earlier = results.framework.campaigns.get(code="diag-2025")
    plan_approve(plan=plan_create(code="early", name="Anterior", campaign=earlier), by=hr)
    return plan_create(code="draft", name="Borrador", campaign=results, budget=Decimal(100))


def database_state() -> tuple:
    return (
        list(Plan.objects.order_by("pk").values()),
        list(PlanChoice.objects.order_by("pk").values()),
        PlanLine.objects.count(),
        PlanChange.objects.count(),
        list(Offering.objects.order_by("pk").values()),
        list(Enrolment.objects.order_by("pk").values()),
        list(AuditEvent.objects.order_by("pk").values_list("pk", "action")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as, plans):
    method, args, data, expected = ACCESS[url_name]
    client = client_as(role)
    before = database_state()
    response = getattr(client, method)(reverse(url_name, args=args), data)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want
    if want in REFUSED:
        assert database_state() == before


def test_every_role_is_covered_for_every_url():
    for name, (*_, expected) in ACCESS.items():
        assert set(expected) == set(ROLES), name
