"""A published version cannot change through the model API, the admin or the imports."""

import pytest
import tablib
from django.conf import settings
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diagnostic.exceptions import PublishedFrameworkError
from diagnostic.framework.resources import CompetencyResource, QuestionResource, RoleTargetResource
from diagnostic.framework.store import export_framework
from diagnostic.models import (
    Area,
    Competency,
    Framework,
    LevelDescriptor,
    Option,
    ProficiencyLevel,
    Question,
    RoleTarget,
)

from .fixtures import draft, published  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CONTENT_MODELS = [ProficiencyLevel, Area, Competency, LevelDescriptor, Question, Option, RoleTarget]
TEXT_FIELD = {
    ProficiencyLevel: "name_es_mx",
    Area: "name_es_mx",
    Competency: "name_es_mx",
    LevelDescriptor: "text_es_mx",
    Question: "text_es_mx",
    Option: "text_es_mx",
    RoleTarget: "importance",
}


def row_of(model, framework):
    return model.objects.filter(**{model.FRAMEWORK_PATH: framework}).order_by("pk").first()


def new_value(model):
    return 3 if model is RoleTarget else "Cambiado"


@pytest.fixture
def unchanged(published):
    """Asserts, after the test, that the published version's content is what it was."""
    before = export_framework(framework=published)
    yield published
    assert export_framework(framework=Framework.objects.get(pk=published.pk)) == before


# --- the model API ----------------------------------------------------------------------


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_saving_a_row_of_a_published_version_is_refused(model, unchanged):
    row = row_of(model, unchanged)
    setattr(row, TEXT_FIELD[model], new_value(model))
    with pytest.raises(PublishedFrameworkError):
        row.save()


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_deleting_a_row_of_a_published_version_is_refused(model, unchanged):
    with pytest.raises(PublishedFrameworkError):
        row_of(model, unchanged).delete()


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_queryset_update_of_a_published_version_is_refused(model, unchanged):
    rows = model.objects.filter(**{model.FRAMEWORK_PATH: unchanged})
    with pytest.raises(PublishedFrameworkError):
        rows.update(**{TEXT_FIELD[model]: new_value(model)})


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_queryset_delete_of_a_published_version_is_refused(model, unchanged):
    with pytest.raises(PublishedFrameworkError):
        model.objects.filter(**{model.FRAMEWORK_PATH: unchanged}).delete()


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_adding_rows_to_a_published_version_is_refused(model, unchanged):
    row = row_of(model, unchanged)
    row.pk = None
    if hasattr(row, "code"):
        row.code = "NEW"
    with pytest.raises(PublishedFrameworkError):
        row.save()
    with pytest.raises(PublishedFrameworkError):
        model.objects.bulk_create([row])


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_bulk_update_of_a_published_version_is_refused(model, unchanged):
    row = row_of(model, unchanged)
    setattr(row, TEXT_FIELD[model], new_value(model))
    with pytest.raises(PublishedFrameworkError):
        model.objects.bulk_update([row], [TEXT_FIELD[model]])


def test_moving_a_row_out_of_a_published_version_is_refused(unchanged, draft):
    area = row_of(Area, unchanged)
    area.framework = draft
    with pytest.raises(PublishedFrameworkError):
        area.save()


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_the_same_writes_work_on_a_draft(model, draft):
    row = row_of(model, draft)
    setattr(row, TEXT_FIELD[model], new_value(model))
    row.save()
    model.objects.filter(pk=row.pk).update(**{TEXT_FIELD[model]: new_value(model)})
    row.delete()
    assert not model.objects.filter(pk=row.pk).exists()


def test_a_published_framework_row_cannot_change_or_go(unchanged):
    framework = Framework.objects.get(pk=unchanged.pk)
    framework.knowledge_weight = 0.5
    with pytest.raises(PublishedFrameworkError):
        framework.save()
    with pytest.raises(PublishedFrameworkError):
        Framework.objects.filter(pk=unchanged.pk).update(name_en="Renamed")
    with pytest.raises(PublishedFrameworkError):
        Framework.objects.filter(pk=unchanged.pk).update(status="draft")
    with pytest.raises(PublishedFrameworkError):
        Framework.objects.get(pk=unchanged.pk).delete()
    with pytest.raises(PublishedFrameworkError):
        Framework.objects.filter(pk=unchanged.pk).delete()
    assert Framework.objects.filter(pk=unchanged.pk, status="published").exists()


def test_a_published_version_can_be_retired_and_stays_locked(published):
    framework = Framework.objects.get(pk=published.pk)
    framework.status = "retired"
    framework.save()
    framework.status = "draft"
    with pytest.raises(PublishedFrameworkError):
        framework.save()
    with pytest.raises(PublishedFrameworkError):
        row_of(Area, published).delete()
    assert Framework.objects.get(pk=published.pk).status == "retired"


# --- the admin --------------------------------------------------------------------------


def change_url(obj):
    return reverse(f"admin:diagnostic_{obj._meta.model_name}_change", args=[obj.pk])


def test_the_admin_shows_a_published_version_read_only(client, editor, unchanged):
    client.force_login(editor)
    page = client.get(change_url(unchanged))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(change_url(unchanged), {"name_es_mx": "Cambiado"}).status_code == 403


@pytest.mark.parametrize(
    "model", [Area, Competency, Question, RoleTarget], ids=lambda m: m.__name__
)
def test_the_admin_refuses_to_change_or_delete_rows_of_a_published_version(
    model, client, editor, unchanged
):
    client.force_login(editor)
    row = row_of(model, unchanged)
    page = client.get(change_url(row))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change_url(row), {"code": "X"}).status_code == 403
    delete = reverse(f"admin:diagnostic_{model._meta.model_name}_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_the_admin_bulk_delete_refuses_rows_of_a_published_version(client, editor, unchanged):
    client.force_login(editor)
    ids = [str(pk) for pk in Area.objects.filter(framework=unchanged).values_list("pk", flat=True)]
    response = client.post(
        reverse("admin:diagnostic_area_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 403


def test_the_admin_offers_only_drafts_for_new_rows(client, editor, unchanged, draft):
    client.force_login(editor)
    response = client.post(
        reverse("admin:diagnostic_area_add"),
        {"framework": unchanged.pk, "code": "Z", "name_es_mx": "Nueva", "name_en": "New"},
    )
    assert response.status_code == 200
    assert "framework" in response.context["adminform"].form.errors
    assert not Area.objects.filter(code="Z").exists()


def test_the_admin_edits_a_draft(client, editor, draft):
    client.force_login(editor)
    area = row_of(Area, draft)
    response = client.post(
        change_url(area),
        {
            "framework": draft.pk,
            "code": area.code,
            "name_es_mx": "Nombre nuevo",
            "name_en": "New name",
            "description_es_mx": "",
            "description_en": "",
            "position": 0,
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name_en == "New name"


def test_the_admin_action_makes_a_new_draft(client, editor, unchanged):
    client.force_login(editor)
    client.post(
        reverse("admin:diagnostic_framework_changelist"),
        {"action": "new_draft", "_selected_action": [unchanged.pk]},
    )
    draft = Framework.objects.get(code=unchanged.code, version=2)
    assert draft.status == "draft"
    assert Competency.objects.filter(framework=draft).count() == 4


def test_the_admin_action_publishes_a_draft(client, editor, draft):
    client.force_login(editor)
    client.post(
        reverse("admin:diagnostic_framework_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "published"


@pytest.mark.parametrize(
    ("model", "field"),
    [(Framework, "name"), (Area, "name"), (Competency, "name"), (Question, "text")],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_framework_model_has_a_bilingual_admin(model, field, client, editor):
    client.force_login(editor)
    page = client.get(reverse(f"admin:diagnostic_{model._meta.model_name}_add"))
    assert page.status_code == 200
    assert f'name="{field}_es_mx"'.encode() in page.content
    assert f'name="{field}_en"'.encode() in page.content


# --- import-export ----------------------------------------------------------------------


def competency_rows(framework, **changes):
    rows = CompetencyResource().export(
        queryset=Competency.objects.filter(framework=framework).order_by("pk")
    )
    data = tablib.Dataset(headers=rows.headers)
    for row in rows.dict:
        data.append([changes.get(header, row[header]) for header in rows.headers])
    return data


def test_exports_name_the_framework_version_and_codes(unchanged):
    data = competency_rows(unchanged)
    assert data.headers[:4] == ["framework_code", "framework_version", "area_code", "code"]
    assert data.dict[0]["framework_code"] == "prueba"
    assert str(data.dict[0]["framework_version"]) == "1"
    questions = QuestionResource().export(queryset=Question.objects.filter(framework=unchanged))
    assert len(questions) == 12
    targets = RoleTargetResource().export(queryset=RoleTarget.objects.filter(framework=unchanged))
    assert set(targets.headers) >= {"role_code", "competency_code", "target_level", "importance"}


@pytest.mark.parametrize(
    "resource_class", [CompetencyResource, QuestionResource, RoleTargetResource]
)
def test_an_import_into_a_published_version_is_refused_and_writes_nothing(
    resource_class, unchanged
):
    model = resource_class._meta.model
    exported = resource_class().export(
        queryset=model.objects.filter(framework=unchanged).order_by("pk")
    )
    result = resource_class().import_data(exported, dry_run=False)
    assert result.has_validation_errors()
    message = str(result.invalid_rows[0].error)
    assert "is published and cannot change" in message


def test_an_import_into_a_draft_updates_it(draft):
    data = competency_rows(draft, name_en="Imported name")
    result = CompetencyResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert set(Competency.objects.filter(framework=draft).values_list("name_en", flat=True)) == {
        "Imported name"
    }


def test_an_import_names_a_missing_framework(draft):
    data = competency_rows(draft, framework_version=9)
    result = CompetencyResource().import_data(data, dry_run=True)
    assert "no framework “borrador” version 9" in str(result.invalid_rows[0].error)


def import_through_admin(client, data: tablib.Dataset, name: str = "competencias.csv"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    admin = site._registry[Competency]
    formats = [fmt().get_title() for fmt in admin.get_import_formats()]
    upload = SimpleUploadedFile(name, data.export("csv").encode("utf-8"), "text/csv")
    return client.post(
        reverse("admin:diagnostic_competency_import"),
        {"import_file": upload, "format": str(formats.index("csv")), "resource": "0"},
    )


def test_the_admin_import_previews_a_draft_change_before_writing(client, editor, draft):
    client.force_login(editor)
    preview = import_through_admin(client, competency_rows(draft, name_en="Vista previa"))
    assert preview.status_code == 200
    assert b"process_import" in preview.content
    assert not Competency.objects.filter(name_en="Vista previa").exists()


def test_the_admin_import_into_a_published_version_shows_the_refusal(client, editor, unchanged):
    client.force_login(editor)
    response = import_through_admin(client, competency_rows(unchanged, name_en="No"))
    assert response.status_code == 200
    assert "is published and cannot change" in response.content.decode()
    assert b"process_import" not in response.content


def test_the_admin_import_writes_a_draft_change_only_when_confirmed(client, editor, draft):
    client.force_login(editor)
    preview = import_through_admin(client, competency_rows(draft, name_en="Confirmado"))
    confirm = preview.context["confirm_form"].initial
    response = client.post(reverse("admin:diagnostic_competency_process_import"), confirm)
    assert response.status_code == 302
    assert Competency.objects.filter(framework=draft, name_en="Confirmado").count() == 4


def test_a_row_cannot_point_into_another_version(draft, published):
    competency = row_of(Competency, draft)
    competency.area = row_of(Area, published)
    with pytest.raises(ValidationError) as raised:
        competency.full_clean()
    assert "area" in raised.value.message_dict


def test_the_factories_build_content_of_published_versions_the_way_the_loader_does(db):
    from tests.factories import (
        CompetencyFactory,
        QuestionFactory,
        RoleTargetFactory,
        knowledge_question,
    )

    competency = CompetencyFactory()
    QuestionFactory(competency=competency)
    knowledge_question(competency)
    RoleTargetFactory(competency=competency)
    framework = Framework.objects.get(pk=competency.framework_id)
    assert framework.status == "published"
    assert competency.descriptors.count() == 5
    assert Option.objects.filter(question__competency=competency).count() == 4
    with pytest.raises(PublishedFrameworkError):
        competency.delete()


def test_role_targets_round_trip_through_xlsx_into_a_draft(draft):
    rows = RoleTargetResource().export(
        queryset=RoleTarget.objects.filter(framework=draft).order_by("pk")
    )
    data = tablib.Dataset().load(rows.export("xlsx"), format="xlsx")
    data = tablib.Dataset(
        *[
            [
                3 if header == "target_level" else value
                for header, value in zip(data.headers, row, strict=True)
            ]
            for row in data
        ],
        headers=data.headers,
    )
    result = RoleTargetResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert set(
        RoleTarget.objects.filter(framework=draft).values_list("target_level", flat=True)
    ) == {3}
    assert RoleTarget.objects.filter(framework=draft).count() == 8
