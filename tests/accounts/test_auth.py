from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roster import employee_set_active
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def sign_in(client, email, password=PASSWORD, address="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_user_signs_in_with_email_in_any_case(client, employee):
    response = sign_in(client, employee.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == employee


def test_wrong_password_shows_the_form_again(client, employee):
    response = sign_in(client, employee.email, "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_sign_in_and_failure_and_sign_out_are_audited(client, employee):
    sign_in(client, employee.email, "wrong", address="10.1.1.1")
    sign_in(client, employee.email, address="10.1.1.1")
    client.post(reverse("logout"))
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "username", "ip_address"))
    assert events == [
        ("login_failed", employee.email, "10.1.1.1"),
        ("login", employee.email, "10.1.1.1"),
        ("logout", employee.email, "127.0.0.1"),
    ]


def test_lockout_after_failures_is_audited_and_blocks_the_right_password(client, employee):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, employee.email, "wrong")
    response = sign_in(client, employee.email)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="locked_out", username=employee.email).exists()


def test_lockout_of_one_person_does_not_lock_out_colleagues_behind_the_same_address(
    client, employee, other_employee
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, employee.email, "wrong", address="10.9.9.9")
    response = sign_in(client, other_employee.email, address="10.9.9.9")
    assert response.status_code == 302


def test_locked_out_person_can_still_sign_in_from_another_address(client, employee):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, employee.email, "wrong", address="10.9.9.9")
    assert sign_in(client, employee.email, address="10.2.2.2").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, employee):
    response = client.post(reverse("password_reset"), {"email": employee.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a-new-long-password-7", "new_password2": "a-new-long-password-7"},
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("a-new-long-password-7")


def test_password_reset_for_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gob.mx"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_resets_past_the_limit_answer_429_send_nothing_and_are_audited_once(
    client, employee, settings
):
    settings.PASSWORD_RESETS_PER_HOUR = 2
    reset = reverse("password_reset")
    for _ in range(2):
        assert (
            client.post(reset, {"email": employee.email}, REMOTE_ADDR="10.7.7.7").status_code == 302
        )
    assert len(mail.outbox) == 2
    for _ in range(3):
        refused = client.post(reset, {"email": employee.email}, REMOTE_ADDR="10.7.7.7")
        assert refused.status_code == 429
    assert "Demasiados intentos" in refused.content.decode()
    assert len(mail.outbox) == 2
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.RATE_LIMITED)
    assert (event.ip_address, event.detail) == ("10.7.7.7", {"what": "password reset"})
    # another address is counted on its own
    assert client.post(reset, {"email": employee.email}, REMOTE_ADDR="10.8.8.8").status_code == 302
    assert len(mail.outbox) == 3


def test_deactivating_an_employee_ends_their_sessions(client, employee, hr):
    client.force_login(employee)
    assert client.get(reverse("home")).status_code == 200
    employee_set_active(employee=employee.employee, active=False, by=hr)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="employee_deactivated", user=hr).count() == 1


def test_reactivating_an_employee_restores_their_account(employee, hr):
    employee_set_active(employee=employee.employee, active=False, by=hr)
    employee_set_active(employee=employee.employee, active=True, by=hr)
    employee.refresh_from_db()
    assert employee.is_active


def test_deactivating_through_the_admin_ends_sessions(client, employee, admin_user):
    record = employee.employee
    admin = client
    admin.force_login(admin_user)
    data = {
        "employee_number": record.employee_number,
        "full_name": record.full_name,
        "email": record.email,
        "phone": "",
        "department": record.department_id,
        "job_role": record.job_role_id,
        "position": record.position,
        "language": "es-mx",
        "user": employee.pk,
    }
    url = reverse("admin:accounts_employee_change", args=[record.pk])
    assert admin.post(url, data).status_code == 302
    employee.refresh_from_db()
    assert not employee.is_active


def test_pages_with_personal_data_are_not_cached(client, employee):
    client.force_login(employee)
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_a_content_security_policy_without_inline_script(client, db):
    response = client.get(LOGIN)
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "<script>" not in response.content.decode()


@pytest.fixture
def clock(monkeypatch):
    """Django's clock, moved forward by the test: the session store reads it to stamp and to
    check a session's expiry."""

    class Clock:
        now = timezone.now()

        def advance(self, seconds: int) -> None:
            self.now += timedelta(seconds=seconds)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def test_a_session_ends_after_the_idle_time_without_activity(client, employee, settings, clock):
    client.force_login(employee)
    assert client.get(reverse("home")).status_code == 200
    clock.advance(settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("home"))
    assert response.wsgi_request.user.is_anonymous
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_activity_before_the_idle_limit_keeps_the_session_alive(client, employee, settings, clock):
    client.force_login(employee)
    # Three requests, each just inside the limit: together far longer than one idle period.
    for _ in range(3):
        clock.advance(settings.SESSION_COOKIE_AGE - 60)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert response.wsgi_request.user == employee


def test_new_user_gets_spanish_by_default(db):
    assert UserFactory().language == "es-mx"
