"""The HR campaign pages, with the answer each role gets: HR and administrators in, everyone
else refused (anonymous people are sent to sign in)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from diagnostic.models import Campaign, Invitation, PrivacyNotice
from tests.conftest import ROLES
from tests.factories import CampaignFactory

LOGIN_REDIRECT = "login"
OK, FOUND, FORBIDDEN = 200, 302, 403
NOT_HR = ["employee", "other_employee", "manager", "outsider_manager", "editor"]


def hr_only(ok=OK):
    return {
        "anonymous": LOGIN_REDIRECT,
        **dict.fromkeys(NOT_HR, FORBIDDEN),
        "hr": ok,
        "admin_user": ok,
    }


# url name -> (method, needs a launched campaign, {role: expected})
ACCESS: dict[str, tuple[str, bool, dict[str, object]]] = {
    "campaigns:list": ("get", False, hr_only()),
    "campaigns:create": ("get", False, hr_only()),
    "campaigns:privacy_notice": ("get", False, hr_only()),
    "campaigns:detail": ("get", True, hr_only()),
    "campaigns:edit": ("get", True, hr_only()),
    "campaigns:progress": ("get", True, hr_only()),
    "campaigns:extend": ("get", True, hr_only()),
    "campaigns:sheet": ("get", True, hr_only()),
    "campaigns:links_csv": ("get", True, hr_only()),
    "campaigns:results_code": ("get", True, hr_only()),
    "campaigns:launch": ("post", True, hr_only(FOUND)),
    "campaigns:close": ("post", True, hr_only(FOUND)),
}

COVERED_URLS = set(ACCESS)

CASES = [(name, role) for name, (_, _, expected) in ACCESS.items() for role in expected]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(url_name, role, client_as, launched):
    method, needs_campaign, expected = ACCESS[url_name]
    kwargs = {"pk": launched.pk} if needs_campaign else {}
    client = client_as(role)
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs))
    want = expected[role]
    if want == LOGIN_REDIRECT:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == want


def test_every_role_is_covered_for_every_url():
    for name, (_, _, expected) in ACCESS.items():
        assert set(expected) == set(ROLES), name


def test_close_refuses_get(client_as, launched):
    response = client_as("hr").get(reverse("campaigns:close", kwargs={"pk": launched.pk}))
    assert response.status_code == 405


@pytest.mark.parametrize("role", NOT_HR)
def test_launch_confirmation_is_refused_to_everyone_but_hr(role, client_as, draft):
    response = client_as(role).get(reverse("campaigns:launch", kwargs={"pk": draft.pk}))
    assert response.status_code == FORBIDDEN


def test_an_unknown_campaign_is_not_found_for_hr(client_as, db):
    assert client_as("hr").get(reverse("campaigns:detail", kwargs={"pk": 999})).status_code == 404


# --- a refused request writes nothing -----------------------------------------------------

LOCAL = "%Y-%m-%dT%H:%M"
HR_ROLES = {"hr", "admin_user"}


def campaign_form(tree, framework, **overrides) -> dict:
    now = timezone.localtime()
    return {
        "code": "2026-9",
        "name_es_mx": "Diagnóstico nuevo",
        "framework": framework.pk,
        "departments": [tree["WORKS"].pk],
        "opens_at": now.strftime(LOCAL),
        "closes_at": (now + dt.timedelta(days=21)).strftime(LOCAL),
        "anonymity_threshold": 5,
        **overrides,
    }


def later_closing(campaign) -> dict:
    later = timezone.localtime(campaign.closes_at) + dt.timedelta(days=5)
    return {"closes_at": later.strftime(LOCAL)}


NOTICE = {
    "short_text_es_mx": "Aviso corto nuevo",
    "short_text_en": "New short notice",
    "full_text_es_mx": "Aviso integral nuevo",
    "full_text_en": "New full notice",
}

# url name -> (method, which campaign, the request HR would make: (campaign, tree) -> data)
WRITES = {
    "campaigns:create": ("post", None, lambda c, tree: campaign_form(tree, c.framework)),
    "campaigns:edit": (
        "post",
        "draft",
        lambda c, tree: campaign_form(tree, c.framework, code=c.code, name="Renombrada"),
    ),
    "campaigns:launch": ("post", "draft", lambda c, tree: {}),
    "campaigns:close": ("post", "launched", lambda c, tree: {}),
    "campaigns:extend": ("post", "launched", lambda c, tree: later_closing(c)),
    "campaigns:privacy_notice": ("post", None, lambda c, tree: NOTICE),
    # The link pages write only their audit record.
    "campaigns:sheet": ("get", "launched", lambda c, tree: {"department": "WORKS", "who": "all"}),
    "campaigns:links_csv": ("get", "launched", lambda c, tree: {"department": "", "who": "all"}),
}
WRITE_CASES = [(name, role) for name in WRITES for role in ROLES]


@pytest.fixture
def second_draft(launched, tree):
    """A draft beside the launched campaign, over the same population."""
    campaign = CampaignFactory(code="2026-2", framework=launched.framework, launched_at=None)
    campaign.departments.set([tree["WORKS"]])
    return campaign


def database_state() -> dict:
    """Every row the HR campaign pages write: campaigns, populations, invitations, privacy
    notice versions and export records."""
    return {
        "campaigns": list(Campaign.objects.order_by("pk").values()),
        "populations": list(Campaign.departments.through.objects.order_by("pk").values()),
        "invitations": list(Invitation.objects.order_by("pk").values()),
        "notices": list(PrivacyNotice.objects.order_by("pk").values()),
        "exports": list(AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).values()),
    }


@pytest.mark.parametrize(("url_name", "role"), WRITE_CASES)
def test_a_refused_request_writes_nothing(
    url_name, role, client_as, launched, second_draft, tree, mailoutbox
):
    method, which, data = WRITES[url_name]
    campaign = {"draft": second_draft, "launched": launched, None: launched}[which]
    kwargs = {"pk": campaign.pk} if which else {}
    client = client_as(role)
    before = database_state()
    response = getattr(client, method)(reverse(url_name, kwargs=kwargs), data(campaign, tree))
    if role in HR_ROLES:
        # The same request from HR does write: what keeps the others out is the refusal.
        assert response.status_code in (200, 302)
        assert database_state() != before
    else:
        assert response.status_code in (302, 403)
        assert database_state() == before
        assert mailoutbox == []
