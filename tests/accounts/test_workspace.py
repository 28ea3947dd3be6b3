"""HR's roster, department tree and audit log pages (accounts/workspace/)."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import audit
from accounts.models import AuditEvent
from tests.factories import EmployeeFactory, JobRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree, general_role):
    analyst = JobRoleFactory(code="ANALYST")
    return {
        "ana": EmployeeFactory(
            employee_number="00123",
            full_name="Ana Núñez",
            email="ana@example.gob.mx",
            department=tree["POTHOLES"],
            job_role=analyst,
        ),
        "beto": EmployeeFactory(
            full_name="Beto Ruiz", department=tree["WORKS"], job_role=general_role
        ),
        "carla": EmployeeFactory(
            full_name="Carla Díaz", department=tree["WELFARE"], job_role=general_role, active=False
        ),
    }


def roster_names(client, **query) -> list[str]:
    response = client.get(reverse("hr:roster"), query)
    assert response.status_code == 200
    return sorted(e.full_name for e in response.context["page"].object_list)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "núñez"}, ["Ana Núñez"]),
        ({"q": "00123"}, ["Ana Núñez"]),
        ({"q": "ana@example"}, ["Ana Núñez"]),
        ({"department": "WORKS"}, ["Ana Núñez", "Beto Ruiz"]),  # the whole subtree
        ({"department": "WELFARE"}, ["Carla Díaz"]),
        ({"job_role": "ANALYST"}, ["Ana Núñez"]),
        ({"active": "0"}, ["Carla Díaz"]),
        ({"active": "1", "department": "CITY"}, ["Ana Núñez", "Beto Ruiz"]),
    ],
)
def test_roster_filters(client_as, staff, query, expected):
    assert roster_names(client_as("hr"), **query) == expected


def test_the_roster_is_paginated_with_a_constant_number_of_queries(
    client_as, staff, tree, general_role
):
    client = client_as("hr")
    client.get(reverse("hr:roster"))  # warm the session and role lookups

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("hr:roster")).status_code == 200
        return len(captured)

    few = queries()
    EmployeeFactory.create_batch(60, department=tree["ROADS"], job_role=general_role)
    many = queries()
    assert many == few
    response = client.get(reverse("hr:roster"), {"page": 2})
    assert len(response.context["page"].object_list) == 63 - 50


def test_the_department_tree_lists_every_department_in_order(client_as, staff):
    response = client_as("hr").get(reverse("hr:departments"))
    codes = [d.code for d in response.context["departments"]]
    assert codes == ["CITY", "WELFARE", "WORKS", "ROADS", "POTHOLES"]  # each under its parent
    staff_of = {d.code: d.staff for d in response.context["departments"]}
    assert staff_of["POTHOLES"] == 1 and staff_of["WELFARE"] == 0  # Carla is inactive


@pytest.fixture
def events(hr, manager):
    made = {
        "import": audit.record(
            action=AuditEvent.Action.IMPORT, user=hr, what="roster", file="padron.xlsx", rows=120
        ),
        "export": audit.record(
            action=AuditEvent.Action.EXPORT, user=hr, campaign="diag-2026", what="scores", rows=40
        ),
        "login": audit.record(action=AuditEvent.Action.LOGIN, user=manager),
    }
    # An export late on 1 March in Mexico City is 2 March in UTC.
    late = dt.datetime(2026, 3, 1, 23, 30, tzinfo=zoneinfo.ZoneInfo("America/Mexico_City"))
    AuditEvent.objects.filter(pk=made["export"].pk).update(created_at=late)
    return made


def audit_rows(client, **query):
    response = client.get(reverse("hr:audit_log"), query)
    assert response.status_code == 200
    return [e.pk for e in response.context["page"].object_list], response.content.decode()


def test_the_audit_log_filters_by_kind_user_campaign_and_local_date(client_as, events, settings):
    settings.TIME_ZONE = "America/Mexico_City"
    client = client_as("hr")
    assert audit_rows(client, action="import")[0] == [events["import"].pk]
    assert audit_rows(client, user="manager@")[0] == [events["login"].pk]
    assert audit_rows(client, campaign="diag-2026")[0] == [events["export"].pk]
    assert audit_rows(client, since="2026-03-01", until="2026-03-01")[0] == [events["export"].pk]
    assert audit_rows(client, since="2026-03-02", until="2026-03-02")[0] == []


def test_the_audit_log_shows_campaign_file_and_rows_as_columns(client_as, events):
    _rows, page = audit_rows(client_as("hr"))
    assert "padron.xlsx" in page and ">120<" in page and ">diag-2026<" in page
    assert "&quot;rows&quot;" not in page and '"rows":' not in page  # no raw JSON


def test_the_audit_log_shows_times_in_the_sites_time_zone(client_as, events, settings):
    settings.TIME_ZONE = "America/Mexico_City"
    _rows, page = audit_rows(client_as("hr"), campaign="diag-2026")
    assert "2026-03-01T23:30:00-06:00" in page


def test_a_reversed_date_range_is_refused_with_a_message(client_as, events):
    response = client_as("hr").get(
        reverse("hr:audit_log"), {"since": "2026-03-02", "until": "2026-03-01"}
    )
    assert response.context["form"].errors["until"]
