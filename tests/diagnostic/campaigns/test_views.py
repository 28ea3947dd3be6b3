"""The HR campaign pages: forms, actions, participation, privacy notice, query counts."""

import datetime as dt
import importlib

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from diagnostic.models import Campaign, Framework, PrivacyNotice
from tests.factories import (
    CampaignFactory,
    EmployeeFactory,
    FrameworkFactory,
    InvitationFactory,
    ResponseFactory,
)

LOCAL = "%Y-%m-%dT%H:%M"


def form_data(tree, framework, **overrides):
    now = timezone.localtime()
    return {
        "code": "2026-1",
        "name_es_mx": "Diagnóstico 2026",
        "framework": framework.pk,
        "departments": [tree["WORKS"].pk, tree["WELFARE"].pk],
        "opens_at": now.strftime(LOCAL),
        "closes_at": (now + dt.timedelta(days=21)).strftime(LOCAL),
        "anonymity_threshold": 5,
        **overrides,
    }


def test_hr_creates_a_campaign(client_as, tree, framework, hr):
    response = client_as("hr").post(reverse("campaigns:create"), form_data(tree, framework))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert set(campaign.departments.values_list("code", flat=True)) == {"WORKS", "WELFARE"}
    assert campaign.created_by == hr
    assert campaign.launched_at is None


def test_form_refuses_a_threshold_below_three_and_says_where(client_as, tree, framework):
    response = client_as("hr").post(
        reverse("campaigns:create"), form_data(tree, framework, anonymity_threshold=2)
    )
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'href="#div_id_anonymity_threshold"' in body


def test_form_offers_only_published_framework_versions(client_as, tree, framework):
    draft = FrameworkFactory(code="borrador", status=Framework.Status.DRAFT)
    response = client_as("hr").post(reverse("campaigns:create"), form_data(tree, draft, code="x"))
    assert response.status_code == 200
    assert "framework" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_form_refuses_closing_before_opening(client_as, tree, framework):
    now = timezone.localtime()
    data = form_data(tree, framework, closes_at=(now - dt.timedelta(days=1)).strftime(LOCAL))
    response = client_as("hr").post(reverse("campaigns:create"), data)
    assert "closes_at" in response.context["form"].errors


def test_edit_after_launch_keeps_the_framework(client_as, launched, tree):
    other = FrameworkFactory(code="otro")
    data = form_data(tree, other, code=launched.code, name_es_mx="Renombrada", name_en="Renamed")
    response = client_as("hr").post(reverse("campaigns:edit", args=[launched.pk]), data)
    assert response.status_code == 302
    launched.refresh_from_db()
    assert (launched.name_es_mx, launched.name_en) == ("Renombrada", "Renamed")
    assert launched.framework.code == "datos"
    assert list(launched.departments.values_list("code", flat=True)) == ["WORKS"]


def test_the_edit_page_refuses_to_lower_the_threshold_once_someone_answered(
    client_as, launched, tree
):
    from accounts.models import AuditEvent

    ResponseFactory(invitation=launched.invitations.first())
    data = form_data(tree, launched.framework, code=launched.code, anonymity_threshold=3)
    response = client_as("hr").post(reverse("campaigns:edit", args=[launched.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "no puede bajar una vez que alguien empezó a responder" in body
    launched.refresh_from_db()
    assert launched.anonymity_threshold == 5
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.THRESHOLD_CHANGED).exists()


def test_raising_the_threshold_from_the_page_is_audited_with_who(client_as, launched, tree, hr):
    from accounts.models import AuditEvent

    ResponseFactory(invitation=launched.invitations.first())
    data = form_data(tree, launched.framework, code=launched.code, anonymity_threshold=8)
    response = client_as("hr").post(reverse("campaigns:edit", args=[launched.pk]), data)
    assert response.status_code == 302
    launched.refresh_from_db()
    assert launched.anonymity_threshold == 8
    event = AuditEvent.objects.get(action=AuditEvent.Action.THRESHOLD_CHANGED)
    assert (event.user, event.detail["old"], event.detail["new"]) == (hr, 5, 8)


def test_hr_launches_from_the_page(
    client_as, draft, staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("hr").post(reverse("campaigns:launch", args=[draft.pk]))
    assert response.status_code == 302
    assert draft.invitations.count() == 4
    assert len(mailoutbox) == 3


def test_launch_asks_for_confirmation_with_who_is_invited(client_as, draft, staff):
    response = client_as("hr").get(reverse("campaigns:launch", args=[draft.pk]))
    assert response.status_code == 200
    assert response.context["preview"] == {"people": 4, "with_email": 3}
    body = response.content.decode()
    assert "Se invitará a 4 personas." in body
    draft.refresh_from_db()
    assert draft.launched_at is None


def test_launch_page_of_a_launched_campaign_goes_back_to_it(client_as, launched):
    response = client_as("hr").get(reverse("campaigns:launch", args=[launched.pk]))
    assert response["Location"] == reverse("campaigns:detail", args=[launched.pk])


def test_launch_error_is_shown_as_a_message(client_as, draft):
    response = client_as("hr").post(reverse("campaigns:launch", args=[draft.pk]), follow=True)
    assert "Nadie activo trabaja" in response.content.decode()
    draft.refresh_from_db()
    assert draft.launched_at is None


def test_hr_closes_and_extends(client_as, launched):
    client = client_as("hr")
    client.post(reverse("campaigns:close", args=[launched.pk]))
    launched.refresh_from_db()
    assert launched.closed_at is not None

    later = timezone.localtime(launched.closes_at) + dt.timedelta(days=5)
    response = client.post(
        reverse("campaigns:extend", args=[launched.pk]), {"closes_at": later.strftime(LOCAL)}
    )
    assert response.status_code == 302
    launched.refresh_from_db()
    assert launched.closed_at is None
    assert launched.closes_at == later.replace(second=0, microsecond=0)


def test_extend_refuses_an_earlier_date(client_as, launched):
    earlier = timezone.localtime(launched.closes_at) - dt.timedelta(days=1)
    response = client_as("hr").post(
        reverse("campaigns:extend", args=[launched.pk]), {"closes_at": earlier.strftime(LOCAL)}
    )
    assert response.status_code == 200
    assert "closes_at" in response.context["form"].errors


def test_participation_page_shows_counts_per_department(client_as, launched, staff):
    ResponseFactory(
        invitation=launched.invitations.get(employee=staff["roads"]), submitted_at=timezone.now()
    )
    response = client_as("hr").get(reverse("campaigns:detail", args=[launched.pk]))
    rows = {row.department.code: row for row in response.context["participation"].rows}
    assert (rows["ROADS"].invited, rows["ROADS"].submitted) == (3, 1)
    assert "33.3 %" in response.content.decode() or "33,3 %" in response.content.decode()


def populate(campaign, tree, general_role, people: int) -> None:
    for number in range(people):
        department = [tree["WORKS"], tree["ROADS"], tree["POTHOLES"]][number % 3]
        invitation = InvitationFactory(
            campaign=campaign,
            employee=EmployeeFactory(department=department, job_role=general_role),
        )
        if number % 2:
            ResponseFactory(invitation=invitation, submitted_at=timezone.now())


def count_queries(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(100) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_participation_page_queries_do_not_grow_with_the_data(
    client_as, launched, tree, general_role, django_assert_max_num_queries
):
    client = client_as("hr")
    url = reverse("campaigns:detail", args=[launched.pk])
    small = count_queries(client, url, django_assert_max_num_queries)
    populate(launched, tree, general_role, 30)
    assert count_queries(client, url, django_assert_max_num_queries) == small


def test_campaign_list_queries_do_not_grow_with_the_data(
    client_as, framework, tree, general_role, django_assert_max_num_queries
):
    client = client_as("hr")
    url = reverse("campaigns:list")
    populate(CampaignFactory(framework=framework), tree, general_role, 2)
    small = count_queries(client, url, django_assert_max_num_queries)
    for _ in range(5):
        populate(CampaignFactory(framework=framework), tree, general_role, 6)
    assert count_queries(client, url, django_assert_max_num_queries) == small


def test_launch_progress_fragment_polls_until_invitations_are_made(client_as, draft, staff):
    Campaign.objects.filter(pk=draft.pk).update(launched_at=timezone.now())
    client = client_as("hr")
    body = client.get(reverse("campaigns:progress", args=[draft.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert "0 de 4" in body
    Campaign.objects.filter(pk=draft.pk).update(launch_completed_at=timezone.now())
    body = client.get(reverse("campaigns:progress", args=[draft.pk])).content.decode()
    assert "hx-trigger" not in body


def test_hr_saves_a_new_privacy_notice_version(client_as, notice):
    data = {
        "short_text_es_mx": "Aviso corto nuevo",
        "short_text_en": "New short notice",
        "full_text_es_mx": "Aviso integral nuevo",
        "full_text_en": "New full notice",
    }
    response = client_as("hr").post(reverse("campaigns:privacy_notice"), data)
    assert response.status_code == 302
    latest = PrivacyNotice.objects.order_by("-version").first()
    assert latest.version == notice.version + 1
    assert (latest.short_text_es_mx, latest.full_text_en) == (
        "Aviso corto nuevo",
        "New full notice",
    )
    assert PrivacyNotice.objects.filter(pk=notice.pk).exists()


def test_privacy_notice_form_starts_from_the_current_text(client_as, notice):
    response = client_as("hr").get(reverse("campaigns:privacy_notice"))
    assert response.context["form"].initial["short_text_en"] == notice.short_text_en


def test_shipped_privacy_notice_covers_what_the_law_asks(db):
    migration = importlib.import_module("diagnostic.migrations.0003_default_privacy_notice")
    PrivacyNotice.objects.all().delete()
    migration.create_default_notice(django_apps, None)
    notice = PrivacyNotice.objects.get()
    assert notice.version == 1
    for words in ["Responsable", "Finalidades necesarias", "Finalidades opcionales", "ARCO"]:
        assert words in notice.full_text_es_mx
    assert "voluntari" in notice.short_text_es_mx
    assert "ARCO rights" in notice.full_text_en
    assert "voluntary" in notice.short_text_en


def test_detail_page_shows_launch_progress_while_invitations_are_made(client_as, draft, staff):
    Campaign.objects.filter(pk=draft.pk).update(launched_at=timezone.now())
    response = client_as("hr").get(reverse("campaigns:detail", args=[draft.pk]))
    body = response.content.decode()
    assert response.context["status"] == "launching"
    assert f'hx-get="{reverse("campaigns:progress", args=[draft.pk])}"' in body
    assert "Generando invitaciones: 0 de 4." in body


def test_the_campaign_name_is_shown_in_the_reader_s_language(client_as, tree, framework):
    client = client_as("hr")
    data = form_data(tree, framework, name_es_mx="Diagnóstico 2026", name_en="2026 assessment")
    assert client.post(reverse("campaigns:create"), data).status_code == 302
    campaign = Campaign.objects.get()
    spanish = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    client.cookies["django_language"] = "en"
    english = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert "Diagnóstico 2026" in spanish.text and "2026 assessment" not in spanish.text
    assert "2026 assessment" in english.text and "Diagnóstico 2026" not in english.text


def test_a_campaign_without_an_english_name_shows_the_spanish_one_in_english(
    client_as, tree, framework
):
    client = client_as("hr")
    data = form_data(tree, framework, name_es_mx="Diagnóstico 2026", name_en="")
    assert client.post(reverse("campaigns:create"), data).status_code == 302
    client.cookies["django_language"] = "en"
    english = client.get(reverse("campaigns:detail", args=[Campaign.objects.get().pk]))
    assert "Diagnóstico 2026" in english.text


def test_the_spanish_name_is_required(client_as, tree, framework):
    data = form_data(tree, framework, name_es_mx="", name_en="2026 assessment")
    response = client_as("hr").post(reverse("campaigns:create"), data)
    assert "name_es_mx" in response.context["form"].errors
    assert not Campaign.objects.exists()
