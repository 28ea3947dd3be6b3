import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import Department, Employee, User
from accounts.roles import is_hr
from diagnostic.models import Campaign, CompetencyScore, Response
from reports.aggregation import campaign_report

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_organisation_and_prints_every_account(capsys):
    call_command("seed_demo", employees=30)
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.email in out and account.password in out
        assert User.objects.get(email=account.email).check_password(account.password)
    assert Department.objects.filter(depth=0).count() == 1
    assert Department.objects.filter(depth=1).count() == 7
    assert 35 <= Department.objects.count() <= 45
    assert Employee.objects.count() == 31


def test_seed_demo_gives_each_account_its_role():
    call_command("seed_demo", employees=30)
    manager = User.objects.get(email="director@demo.gob.mx")
    assert manager.managed_departments.exists()
    assert is_hr(User.objects.get(email="rh@demo.gob.mx"))
    assert User.objects.get(email="admin@demo.gob.mx").is_superuser
    assert Employee.objects.get(user__email="empleado@demo.gob.mx").active


def test_seed_demo_can_run_twice():
    call_command("seed_demo", employees=30)
    scores = CompetencyScore.objects.count()
    call_command("seed_demo", employees=30)
    assert Employee.objects.count() == 31
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert CompetencyScore.objects.count() == scores


def test_demo_city_has_a_closed_and_an_open_campaign_with_scored_answers():
    call_command("seed_demo", employees=200)
    closed, current = Campaign.objects.order_by("opens_at")
    assert closed.closed_at is not None and current.closed_at is None
    for campaign in (closed, current):
        respondents = Response.objects.filter(
            invitation__campaign=campaign, scored_at__isnull=False
        )
        assert 0.4 * 201 < respondents.count() < 0.85 * 201
        assert not respondents.filter(index__isnull=True).exists()
        report = campaign_report(campaign=campaign)
        assert report.organisation.index is not None
    assert not Response.objects.filter(
        invitation__campaign=current, invitation__employee__employee_number="E00000"
    ).exists()


def test_the_demo_employee_can_take_this_years_open_assessment(client):
    call_command("seed_demo", employees=30)
    employee = User.objects.get(email="empleado@demo.gob.mx")
    current = Campaign.objects.open().get()
    invitation = current.invitations.get(employee__user=employee)
    assert not Response.objects.filter(invitation=invitation).exists()
    client.force_login(employee)
    page = client.get(reverse("assessment:mine")).content.decode()
    assert reverse("assessment:start", kwargs={"token": invitation.token}) in page


def test_the_demo_employees_answers_of_last_year_have_the_printed_results_code(client, capsys):
    from diagnostic.assessment import codes
    from reports.demo import DEMO_RESULTS_CODE

    call_command("seed_demo", employees=30)
    out = capsys.readouterr().out
    closed = Campaign.objects.order_by("opens_at").first()
    response = Response.objects.get(
        invitation__campaign=closed,
        invitation__employee__employee_number="E00000",
        submitted_at__isnull=False,
    )
    assert codes.matches(response=response, typed=DEMO_RESULTS_CODE)
    link = reverse("assessment:start", kwargs={"token": response.invitation.token})
    assert DEMO_RESULTS_CODE in out and link in out
    # on a device where nobody is signed in, the link and the printed code open the results
    results = reverse("assessment:results", kwargs={"token": response.invitation.token})
    client.get(link)
    assert client.get(results).status_code == 403
    code = reverse("assessment:code", kwargs={"token": response.invitation.token})
    assert client.post(code, {"code": DEMO_RESULTS_CODE})["Location"] == results
    assert client.get(results).status_code == 200


def test_demo_departments_have_their_proper_names_with_accents():
    call_command("seed_demo", employees=30)
    names = dict(Department.objects.values_list("code", "name"))
    assert names["JURIDICO"] == "Dirección Jurídica"
    assert names["TRANSITO"] == "Dirección de Tránsito"
    assert names["PROTCIVIL"] == "Coordinación de Protección Civil"
    assert names["PLANEACION"] == "Dirección de Planeación Urbana"
    assert names["POLICIA"] == "Dirección de Policía Preventiva"


def test_demo_campaigns_are_named_in_both_languages():
    call_command("seed_demo", employees=30)
    for campaign in Campaign.objects.all():
        assert campaign.name_es_mx.startswith("Diagnóstico de habilidades de datos")
        assert campaign.name_en.startswith("Data skills assessment")
