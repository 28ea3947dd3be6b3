"""The one client-address rule (`lib.ratelimit.client_address`), shared with django-axes, and
the limits that count by it: behind a configured proxy clients are told apart by their
forwarded address; without the setting a forged X-Forwarded-For changes nothing."""

import pytest
from axes.helpers import get_client_ip_address
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AuditEvent
from lib.ratelimit import add_attempt, attempts, client_address, is_limited

BEHIND_PROXY = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
PROXY = "10.0.0.2"


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_the_setting_the_forwarded_header_is_ignored(settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    request = request_from("198.51.100.7", forwarded="203.0.113.9")
    assert client_address(request) == "198.51.100.7"
    assert client_address(request) == get_client_ip_address(request)


def test_behind_a_proxy_the_first_forwarded_address_is_the_client(settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = BEHIND_PROXY
    request = request_from(PROXY, forwarded="203.0.113.9, 198.51.100.1")
    assert client_address(request) == "203.0.113.9"
    assert client_address(request) == get_client_ip_address(request)


def test_behind_a_proxy_a_request_without_the_header_counts_by_its_own_address(settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = BEHIND_PROXY
    assert client_address(request_from("198.51.100.7")) == "198.51.100.7"


def test_no_request_has_no_address():
    assert client_address(None) is None


def test_attempts_are_counted_per_key_and_limited_at_the_limit():
    for expected in (1, 2, 3):
        assert add_attempt(scope="test", key="a") == expected
    assert attempts(scope="test", key="a") == 3
    assert is_limited(scope="test", key="a", limit=3)
    assert not is_limited(scope="test", key="a", limit=4)
    assert attempts(scope="test", key="b") == 0
    assert attempts(scope="other", key="a") == 0


# --- through HTTP: the link guesses and the password resets ---------------------------------


def guess(client, n: int, **headers) -> int:
    return client.get(f"/a/guess-{n}/", **headers).status_code


@pytest.mark.django_db
def test_behind_a_proxy_two_clients_are_limited_separately(client, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = BEHIND_PROXY
    settings.ASSESSMENT_ATTEMPTS_PER_HOUR = 2
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert [guess(client, n, **first) for n in range(3)] == [404, 404, 429]
    assert guess(client, 9, **second) == 404  # the same proxy, another client
    refused = AuditEvent.objects.filter(action=AuditEvent.Action.LINK_REFUSED)
    assert sorted(refused.values_list("ip_address", flat=True)) == [
        "203.0.113.10",
        "203.0.113.9",
        "203.0.113.9",
    ]


@pytest.mark.django_db
def test_without_the_setting_a_forged_header_does_not_dodge_the_limit(client, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    settings.ASSESSMENT_ATTEMPTS_PER_HOUR = 2
    statuses = [
        guess(client, n, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        for n in range(4)
    ]
    assert statuses == [404, 404, 429, 429]
    refused = AuditEvent.objects.filter(action=AuditEvent.Action.LINK_REFUSED)
    assert set(refused.values_list("ip_address", flat=True)) == {"198.51.100.7"}


@pytest.mark.django_db
def test_password_resets_behind_a_proxy_count_per_forwarded_client(client, employee, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = BEHIND_PROXY
    settings.PASSWORD_RESETS_PER_HOUR = 1
    reset = reverse("password_reset")
    data = {"email": employee.email}
    one = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert client.post(reset, data, **one).status_code == 302
    assert client.post(reset, data, **one).status_code == 429
    assert client.post(reset, data, **other).status_code == 302
    assert len(mail.outbox) == 2
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.RATE_LIMITED)
    assert event.ip_address == "203.0.113.9"


@pytest.mark.django_db
def test_password_resets_without_the_setting_ignore_a_forged_header(client, employee, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
    settings.PASSWORD_RESETS_PER_HOUR = 1
    reset = reverse("password_reset")
    data = {"email": employee.email}
    for n, expected in enumerate([302, 429, 429]):
        forged = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert client.post(reset, data, **forged).status_code == expected
    assert len(mail.outbox) == 1
