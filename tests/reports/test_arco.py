"""ARCO requests carried out from HR's page (reports/arco.py)."""

import json

import pytest
from django.urls import reverse

from accounts.models import ArcoRequest, AuditEvent, Employee
from diagnostic.models import CompetencyScore, Invitation, Response
from reports.arco import arco_cancel, arco_oppose, arco_record
from reports.models import Release, ReleaseFigure
from reports.releases import campaign_report

from .conftest import make_release

pytestmark = pytest.mark.django_db


def respondent_of(campaign, department_code) -> Employee:
    return Employee.objects.filter(
        invitations__campaign=campaign,
        invitations__response__submitted_at__isnull=False,
        invitations__department__code=department_code,
    ).first()


def record(employee, kind, hr):
    return arco_record(employee=employee, kind=kind, received_on="2026-11-30", by=hr)


def test_hr_records_a_request_from_the_page(client_as, results, hr):
    person = respondent_of(results, "WORKS")
    response = client_as("hr").post(
        reverse("hr:arco_create"),
        {"employee_number": person.employee_number, "kind": "access", "received_on": "2026-11-30"},
    )
    arco = ArcoRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "hr:arco_detail", args=[arco.pk]
    )
    assert arco.employee == person and arco.recorded_by == hr and not arco.is_done
    event = AuditEvent.objects.get(action=AuditEvent.Action.ARCO)
    assert event.detail["step"] == "recorded" and event.detail["employee_number"] == (
        person.employee_number
    )


def test_an_unknown_employee_number_is_refused_with_a_message(client_as, results):
    response = client_as("hr").post(
        reverse("hr:arco_create"),
        {"employee_number": "NO-SUCH", "kind": "access", "received_on": "2026-11-30"},
        HTTP_ACCEPT_LANGUAGE="es-mx",
    )
    assert response.status_code == 400
    assert "Nadie en el padrón tiene este número de empleado." in response.content.decode()
    assert not ArcoRequest.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ARCO).exists()


def test_access_gives_the_employees_data_as_a_file_each_download_audited(client_as, results, hr):
    person = respondent_of(results, "WORKS")
    arco = record(person, "access", hr)
    client = client_as("hr")
    response = client.get(reverse("hr:arco_download", args=[arco.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["employee_number"] == person.employee_number
    assert data["department_code"] == "WORKS"
    scores = CompetencyScore.objects.filter(response__invitation__employee=person).count()
    assert sum(len(r["scores"]) for r in data["responses"]) == scores > 0
    arco.refresh_from_db()
    assert arco.is_done and arco.carried_out_by == hr
    client.get(reverse("hr:arco_download", args=[arco.pk]))
    steps = AuditEvent.objects.filter(action="arco", detail__request_id=arco.pk)
    assert sorted(steps.values_list("detail__step", flat=True)) == [
        "carried out",
        "downloaded",
        "recorded",
    ]


def test_rectification_corrects_the_roster_from_the_page(
    client_as, results, hr, tree, general_role
):
    person = respondent_of(results, "WORKS")
    snapshot = Invitation.objects.filter(employee=person).values_list("department_id", flat=True)
    before = list(snapshot)
    arco = record(person, "rectification", hr)
    response = client_as("hr").post(
        reverse("hr:arco_carry_out", args=[arco.pk]),
        {
            "full_name": "María Peña Ruiz",
            "email": person.email,
            "phone": "",
            "position": "Jefa de análisis de datos",
            "department": tree["WELFARE"].pk,
            "job_role": general_role.pk,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "María Peña Ruiz" and person.department == tree["WELFARE"]
    arco.refresh_from_db()
    assert arco.is_done and sorted(arco.outcome["fields"]) == [
        "department",
        "full_name",
        "position",
    ]
    # Campaigns already launched keep their snapshots.
    assert list(snapshot) == before


def test_a_bad_rectification_changes_nothing(client_as, results, hr):
    person = respondent_of(results, "WORKS")
    arco = record(person, "rectification", hr)
    response = client_as("hr").post(
        reverse("hr:arco_carry_out", args=[arco.pk]), {"full_name": "", "email": "not-an-address"}
    )
    assert response.status_code == 400
    arco.refresh_from_db()
    assert not arco.is_done
    assert Employee.objects.get(pk=person.pk).full_name == person.full_name


def test_cancellation_deletes_answers_and_scores_and_makes_a_new_release(results, hr):
    person = respondent_of(results, "WORKS")
    campaigns = set(
        Invitation.objects.filter(employee=person).values_list("campaign__code", flat=True)
    )
    releases_before = Release.objects.count()
    arco_cancel(arco=record(person, "cancellation", hr), by=hr)
    assert not Response.objects.filter(invitation__employee=person).exists()
    assert not CompetencyScore.objects.filter(response__invitation__employee=person).exists()
    # The invitations stay (the person was invited), declined so nobody reminds them.
    assert Invitation.objects.filter(employee=person, declined_at__isnull=False).count() == len(
        campaigns
    )
    # One new release per affected campaign that had releases (both had one).
    assert Release.objects.count() == releases_before + len(campaigns)
    arco = ArcoRequest.objects.get()
    assert arco.is_done and arco.outcome["responses"] == len(campaigns)
    assert len(arco.outcome["releases"]) == len(campaigns)


def test_after_a_cancellation_the_rebuilt_release_never_shows_a_group_under_k(
    exactly_k, tree, hr, django_capture_on_commit_callbacks
):
    """WORKS and WELFARE have exactly k = 3 respondents; the person who cancels leaves WORKS
    with 2. The rebuilt release may not show WORKS with its new count, nor anything that lets
    the two be told apart."""
    make_release(exactly_k)
    person = respondent_of(exactly_k, "WORKS")
    with django_capture_on_commit_callbacks(execute=True):
        arco_cancel(arco=record(person, "cancellation", hr), by=hr)
    new = Release.objects.current(exactly_k)
    assert new.number == 2 and new.status == "done"
    live = campaign_report(campaign=exactly_k)
    k = exactly_k.anonymity_threshold
    shown = ReleaseFigure.objects.filter(release=new).exclude(state="hidden")
    for figure in shown:
        count = figure.responded if figure.competency_code == "" else figure.n
        assert count in (None, 0) or count >= k, figure  # 0: nobody, no figure about anyone
    works = ReleaseFigure.objects.get(
        release=new, department_code="WORKS", role_code="", competency_code=""
    )
    assert works.state != "shown" or works.responded >= k
    # Nor does it keep release 1's figures, which still hold the person who cancelled.
    assert works.state == "hidden"
    # Live, WORKS now has 2 respondents: hidden there too.
    assert live.group(tree["WORKS"].pk).suppressed


def test_opposition_stops_invitations_and_reminders(results, hr):
    person = respondent_of(results, "WORKS")
    open_one = Invitation.objects.create(
        campaign=results.__class__.objects.create(
            code="later",
            name="Later",
            framework=results.framework,
            opens_at=results.opens_at,
            closes_at=results.closes_at,
        ),
        employee=person,
        department=person.department,
        job_role=person.job_role,
        token="t" * 43,
    )
    arco_oppose(arco=record(person, "opposition", hr), by=hr)
    person.refresh_from_db()
    assert person.opted_out_at is not None
    open_one.refresh_from_db()
    assert open_one.declined_at is not None
    # Invitations already answered are history, not declined after the fact.
    answered = Invitation.objects.filter(employee=person, response__submitted_at__isnull=False)
    assert answered.exists() and not answered.filter(declined_at__isnull=False).exists()


def test_carrying_out_twice_does_nothing_more(client_as, results, hr):
    person = respondent_of(results, "WORKS")
    arco = record(person, "cancellation", hr)
    client = client_as("hr")
    client.post(reverse("hr:arco_carry_out", args=[arco.pk]))
    releases = Release.objects.count()
    events = AuditEvent.objects.count()
    client.post(reverse("hr:arco_carry_out", args=[arco.pk]))
    assert Release.objects.count() == releases and AuditEvent.objects.count() == events
