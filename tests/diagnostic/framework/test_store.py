"""Loading, exporting, publishing and copying framework versions, and the commands."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import JobRole
from diagnostic.exceptions import (
    FrameworkStateError,
    FrameworkValidationError,
    FrameworkVersionConflictError,
)
from diagnostic.framework.format import dump_framework
from diagnostic.framework.store import (
    DEFAULT_FRAMEWORK_PATH,
    export_framework,
    framework_new_draft,
    framework_publish,
    load_framework,
)
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

from .documents import small_document
from .fixtures import draft, published  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CONTENT_MODELS = [ProficiencyLevel, Area, Competency, LevelDescriptor, Question, Option, RoleTarget]


def counts(framework) -> dict[str, int]:
    return {
        model.__name__: model.objects.filter(**{model.FRAMEWORK_PATH: framework}).count()
        for model in CONTENT_MODELS
    }


def test_loading_creates_the_version_and_its_job_roles():
    result = load_framework(document=small_document())
    assert result.outcome == "created"
    assert (result.roles_created, result.roles_updated) == (2, 0)
    framework = result.framework
    assert (framework.code, framework.version, framework.status) == ("prueba", 1, "published")
    assert framework.published_at is not None
    assert counts(framework) == {
        "ProficiencyLevel": 5,
        "Area": 2,
        "Competency": 4,
        "LevelDescriptor": 20,
        "Question": 12,
        "Option": 16,
        "RoleTarget": 8,
    }
    assert JobRole.objects.get(code="GEN").name_en == "Rol GEN (en)"
    option = Option.objects.get(question__code="A1-K1", code="a")
    assert option.is_correct and option.text_es_mx == "Opción a (es)"


def test_loading_the_same_file_twice_changes_nothing(published):
    before = export_framework(framework=published)
    stamp = Framework.objects.get(pk=published.pk).published_at
    result = load_framework(document=small_document())
    assert result.outcome == "unchanged"
    assert (result.roles_created, result.roles_updated) == (0, 0)
    assert export_framework(framework=published) == before
    assert Framework.objects.get(pk=published.pk).published_at == stamp
    assert Framework.objects.count() == 1


def test_a_changed_file_over_a_published_version_is_refused_and_changes_nothing(published):
    before = export_framework(framework=published)
    document = small_document()
    document["areas"][0]["competencies"][0]["name"]["es"] = "Otro nombre"
    document["job_roles"][0]["name"]["es"] = "Rol renombrado"
    with pytest.raises(FrameworkVersionConflictError, match="raise the version number"):
        load_framework(document=document)
    assert export_framework(framework=published) == before
    assert JobRole.objects.get(code="ANA").name_es_mx == "Rol ANA (es)"


def test_a_changed_file_with_a_raised_version_loads_beside_the_published_one(published):
    document = small_document(version=2)
    document["areas"][0]["competencies"][0]["name"]["es"] = "Otro nombre"
    result = load_framework(document=document)
    assert result.outcome == "created"
    assert list(Framework.objects.values_list("version", flat=True)) == [2, 1]


def test_a_changed_file_over_a_draft_replaces_its_content(draft):
    document = small_document(code="borrador", status="draft", areas=1, per_area=1)
    result = load_framework(document=document)
    assert result.outcome == "replaced"
    assert result.framework.pk == draft.pk
    assert export_framework(framework=draft) == dump_framework(document)
    assert Competency.objects.filter(framework=draft).count() == 1


def test_a_file_can_publish_a_draft_of_the_same_version(draft):
    load_framework(document=small_document(code="borrador", status="published"))
    draft.refresh_from_db()
    assert draft.status == "published"


def test_only_job_role_texts_changing_updates_the_roles_but_not_the_version(published):
    document = small_document()
    document["job_roles"][1]["name"]["en"] = "General staff"
    result = load_framework(document=document)
    assert (result.outcome, result.roles_updated) == ("unchanged", 1)
    assert JobRole.objects.get(code="GEN").name_en == "General staff"


def test_a_new_draft_copies_everything_with_the_version_raised(published):
    draft = framework_new_draft(framework=published)
    assert (draft.code, draft.version, draft.status, draft.published_at) == (
        "prueba",
        2,
        "draft",
        None,
    )
    assert counts(draft) == counts(published)
    assert counts(draft)["Option"] == 16
    copied = export_framework(framework=draft)
    original = export_framework(framework=published)
    assert copied == original.replace("version: 1", "version: 2", 1).replace(
        "status: published", "status: draft", 1
    )
    assert Framework.objects.get(pk=published.pk).status == "published"


def test_a_new_draft_takes_the_next_free_version(published):
    framework_new_draft(framework=published)
    third = framework_new_draft(framework=published)
    assert third.version == 3


def test_publishing_a_complete_draft(draft):
    framework_publish(framework=draft)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_at is not None


def test_publishing_an_incomplete_draft_lists_what_is_missing(draft):
    Question.objects.filter(framework=draft, code="A1-S").delete()
    LevelDescriptor.objects.filter(competency__code="B2", level=4).delete()
    with pytest.raises(FrameworkValidationError) as raised:
        framework_publish(framework=draft)
    assert "competency A1: has no self-assessment question" in raised.value.errors
    assert (
        "competency B2, descriptors: needs exactly 5 descriptors (levels 0 to 4), found 4"
        in raised.value.errors
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_twice_is_refused(published):
    with pytest.raises(FrameworkStateError):
        framework_publish(framework=published)


def test_load_framework_command_loads_the_shipped_file_by_default(capsys):
    call_command("load_framework")
    framework = Framework.objects.get()
    assert (framework.code, framework.version, framework.status) == (
        "ciudad-datos",
        2,
        "published",
    )
    assert "loaded as a new version" in capsys.readouterr().out
    call_command("load_framework")
    assert "already loaded, nothing changed" in capsys.readouterr().out
    assert Framework.objects.count() == 1


def test_load_framework_command_reports_every_error_with_the_file(tmp_path):
    path = tmp_path / "roto.yaml"
    text = dump_framework(small_document()).replace("version: 1", "version: 0")
    path.write_text(text.replace("correct: true", "dont_know: true", 1))
    with pytest.raises(CommandError) as raised:
        call_command("load_framework", str(path))
    assert str(path) in str(raised.value)
    assert "framework, version: must be a whole number of at least 1" in str(raised.value)
    assert "question A1-K1: no option marked correct" in str(raised.value)
    assert Framework.objects.count() == 0


def test_load_framework_command_refuses_a_changed_published_version(published, tmp_path):
    document = small_document()
    document["framework"]["name"]["en"] = "Renamed"
    path = tmp_path / "cambiado.yaml"
    path.write_text(dump_framework(document))
    with pytest.raises(CommandError, match="already published with different content"):
        call_command("load_framework", str(path))


def test_export_framework_command_writes_the_canonical_file(published, tmp_path, capsys):
    out = tmp_path / "salida.yaml"
    call_command("export_framework", "prueba", "1", out=str(out))
    assert out.read_text(encoding="utf-8") == dump_framework(small_document())
    call_command("export_framework", "prueba", "1")
    assert capsys.readouterr().out == dump_framework(small_document())


def test_export_framework_command_names_a_missing_version(published):
    with pytest.raises(CommandError, match="No framework prueba version 7"):
        call_command("export_framework", "prueba", "7")


def test_seed_demo_loads_the_default_framework():
    call_command("seed_demo", employees=3)
    framework = Framework.objects.get(code="ciudad-datos", version=2)
    assert framework.status == "published"
    assert Competency.objects.filter(framework=framework).count() == 25
    assert export_framework(framework=framework) == Path(DEFAULT_FRAMEWORK_PATH).read_text(
        encoding="utf-8"
    )
    call_command("seed_demo", employees=3)
    assert Framework.objects.count() == 1
