"""Links for staff without e-mail: the printable QR sheet and the links CSV, both audited."""

import csv
import io
import urllib.parse

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Employee
from diagnostic.campaigns.invitations import invitation_url, shown_short_code
from diagnostic.campaigns.links import LINK_COLUMNS, invitations_for_links
from diagnostic.campaigns.status import population_departments
from tests.factories import EmployeeFactory, InvitationFactory


def sheet(client, campaign, **params):
    return client.get(reverse("campaigns:sheet", args=[campaign.pk]), params)


# Below the views' role check, the link lists' queries know the user themselves.


@pytest.mark.parametrize("role", ["employee", "manager", "outsider_manager", "editor"])
def test_only_hr_gets_invitations_for_links(role, request, launched, staff, hr):
    assert invitations_for_links(campaign=launched, user=hr).count() == 4
    user = request.getfixturevalue(role)
    assert not invitations_for_links(campaign=launched, user=user).exists()


@pytest.mark.parametrize(("role", "count"), [("hr", 3), ("manager", 3), ("outsider_manager", 0)])
def test_the_links_form_offers_the_population_departments_the_user_sees(
    role, count, request, launched
):
    user = request.getfixturevalue(role)
    assert population_departments(campaign=launched, user=user).count() == count


def test_sheet_without_a_department_asks_for_one_and_records_nothing(client_as, launched):
    response = sheet(client_as("hr"), launched)
    assert response.status_code == 200
    assert response.context["groups"] is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_sheet_shows_a_qr_card_for_each_person_without_email(client_as, launched, staff):
    response = sheet(client_as("hr"), launched, department="WORKS", who="no_email")
    body = response.content.decode()
    invitation = launched.invitations.get(employee=staff["no_email"])
    (group,) = response.context["groups"]
    assert group.department.code == "ROADS"
    assert [card.full_name for card in group.cards] == [staff["no_email"].full_name]
    # The card asks to type the short code at the short address, not the 43-character token.
    assert "http://127.0.0.1:8000/c/" in body
    assert shown_short_code(invitation) in body
    assert invitation.token not in body
    assert 'src="data:image/svg+xml' in body
    assert staff["works"].full_name not in body


def test_sheet_for_everyone_groups_people_by_department(client_as, launched, staff):
    response = sheet(client_as("hr"), launched, department="ROADS", who="all")
    groups = response.context["groups"]
    assert [g.department.code for g in groups] == ["ROADS", "POTHOLES"]
    assert len(groups[0].cards) == 2
    assert "sheet.css" in response.content.decode()


def test_qr_code_encodes_the_personal_link(client_as, launched, staff):
    response = sheet(client_as("hr"), launched, department="POTHOLES", who="all")
    card = response.context["groups"][0].cards[0]
    invitation = launched.invitations.get(employee=staff["potholes"])
    assert card.link == invitation_url(invitation)
    svg = urllib.parse.unquote(card.qr.split(",", 1)[1])
    assert svg.startswith("<svg")


def test_sheet_is_recorded_in_the_audit_log(client_as, launched, hr):
    sheet(client_as("hr"), launched, department="WORKS", who="all")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == hr
    assert event.detail == {
        "what": "qr_sheet",
        "campaign": launched.code,
        "department": "WORKS",
        "who": "all",
        "rows": 4,
    }


def download(client, campaign, **params):
    response = client.get(reverse("campaigns:links_csv", args=[campaign.pk]), params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response.content.decode("utf-8")


def test_links_csv_has_bom_header_and_one_row_per_person(client_as, launched, staff):
    text = download(client_as("hr"), launched, department="", who="all")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == LINK_COLUMNS
    assert len(rows) == 5
    by_number = {row[0]: dict(zip(LINK_COLUMNS, row, strict=True)) for row in rows[1:]}
    roads = by_number[staff["roads"].employee_number]
    invitation = launched.invitations.get(employee=staff["roads"])
    assert roads == {
        "employee_number": staff["roads"].employee_number,
        "full_name": staff["roads"].full_name,
        "department_code": "ROADS",
        "phone": staff["roads"].phone,
        "email": staff["roads"].email,
        "language": "en",
        "link": invitation_url(invitation),
        "short_code": shown_short_code(invitation),
    }


def test_links_csv_uses_the_department_snapshot_and_filters(client_as, launched, staff, tree):
    Employee.objects.filter(pk=staff["no_email"].pk).update(department=tree["WELFARE"])
    text = download(client_as("hr"), launched, department="ROADS", who="no_email")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [row[0] for row in rows[1:]] == [staff["no_email"].employee_number]
    assert rows[1][2] == "ROADS"


def test_links_csv_escapes_formulas_and_keeps_phone_numbers(client_as, launched, tree):
    employee = EmployeeFactory(
        full_name='=HYPERLINK("http://evil","x")',
        phone="+52 55 1234 5678",
        department=tree["WORKS"],
        email="",
    )
    InvitationFactory(campaign=launched, employee=employee, language="es-mx")
    text = download(client_as("hr"), launched, department="", who="no_email")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text[1:]))}
    row = rows[employee.employee_number]
    assert row[1] == '\'=HYPERLINK("http://evil","x")'
    assert row[3] == "+52 55 1234 5678"


def test_links_csv_is_recorded_in_the_audit_log(client_as, launched, hr):
    download(client_as("hr"), launched, department="", who="no_email")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.user == hr
    assert event.detail == {
        "what": "links_csv",
        "campaign": launched.code,
        "department": None,
        "who": "no_email",
        "rows": 1,
    }


def test_links_page_without_a_choice_shows_the_form(client_as, launched):
    response = client_as("hr").get(reverse("campaigns:links_csv", args=[launched.pk]))
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def queries_for(client, url, params, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["campaigns:sheet", "campaigns:links_csv"])
def test_links_queries_do_not_grow_with_the_people(
    url_name, client_as, launched, tree, general_role, django_assert_max_num_queries
):
    client = client_as("hr")
    url = reverse(url_name, args=[launched.pk])
    params = {"department": "WORKS", "who": "all"}
    small = queries_for(client, url, params, django_assert_max_num_queries)
    for _ in range(12):
        employee = EmployeeFactory(department=tree["ROADS"], job_role=general_role)
        InvitationFactory(campaign=launched, employee=employee)
    assert queries_for(client, url, params, django_assert_max_num_queries) == small
