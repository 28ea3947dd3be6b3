"""The skills framework in the database: load a document, export one, publish a draft, and
make a new draft from a version.

A published (or retired) version never changes: loading different content over it is refused
(FrameworkVersionConflictError), and every write below the forms is guarded as well
(framework_querysets.py). Everything here runs in one transaction, so a failure writes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Prefetch, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import JobRole

from ..exceptions import (
    FrameworkStateError,
    FrameworkValidationError,
    FrameworkVersionConflictError,
)
from ..models import (
    Area,
    Competency,
    Framework,
    LevelDescriptor,
    Option,
    ProficiencyLevel,
    Question,
    RoleTarget,
)
from .format import canonical_document, dump_framework, parse_framework, validate_document

DEFAULT_FRAMEWORK_PATH = (
    Path(settings.BASE_DIR) / "diagnostic" / "frameworks" / "ciudad-datos-v2.yaml"
)


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    outcome: str  # "created", "unchanged" or "replaced" (a draft's content)
    roles_created: int
    roles_updated: int


def _text(obj, field: str) -> dict:
    return {"es": getattr(obj, f"{field}_es_mx") or "", "en": getattr(obj, f"{field}_en") or ""}


def _set_text(values: dict, field: str, text: dict) -> dict:
    values[f"{field}_es_mx"] = text["es"]
    values[f"{field}_en"] = text["en"]
    return values


# --- export -----------------------------------------------------------------------------


def framework_document(*, framework: Framework) -> dict:
    """The framework version as a document of the text format, in a constant number of
    queries. Incomplete drafts give incomplete documents (which then fail validation)."""
    competencies = list(framework.competencies.order_by("area__position", "position", "code"))
    descriptors: dict[int, list] = {}
    for descriptor in LevelDescriptor.objects.filter(competency__framework=framework).order_by(
        "competency", "level"
    ):
        descriptors.setdefault(descriptor.competency_id, []).append(_text(descriptor, "text"))
    options: dict[int, list] = {}
    for option in Option.objects.filter(question__framework=framework).order_by(
        "question", "position", "code"
    ):
        entry = {"code": option.code, "text": _text(option, "text")}
        if option.is_correct:
            entry["correct"] = True
        if option.is_dont_know:
            entry["dont_know"] = True
        options.setdefault(option.question_id, []).append(entry)
    questions: dict[int, list] = {}
    for question in framework.questions.order_by("competency", "position", "code"):
        entry = {"code": question.code, "kind": question.kind, "text": _text(question, "text")}
        if question.kind == Question.Kind.KNOWLEDGE:
            entry["options"] = options.get(question.pk, [])
        questions.setdefault(question.competency_id, []).append(entry)
    targets: dict[int, dict] = {}
    roles: dict[str, JobRole] = {}
    # Roles keep the order the file gave them: the order their targets were first written.
    for target in framework.role_targets.select_related("job_role").order_by("pk"):
        roles[target.job_role.code] = target.job_role
        targets.setdefault(target.competency_id, {})[target.job_role.code] = [
            target.target_level,
            target.importance,
        ]
    by_area: dict[int, list] = {}
    for competency in competencies:
        by_area.setdefault(competency.area_id, []).append(
            {
                "code": competency.code,
                "name": _text(competency, "name"),
                "description": _text(competency, "description"),
                "descriptors": descriptors.get(competency.pk, []),
                "targets": targets.get(competency.pk, {}),
                "questions": questions.get(competency.pk, []),
            }
        )
    return {
        "format": "dsd-framework/1",
        "framework": {
            "code": framework.code,
            "version": framework.version,
            "status": framework.status,
            "knowledge_weight": float(framework.knowledge_weight),
            "name": _text(framework, "name"),
            "description": _text(framework, "description"),
        },
        "levels": [
            {
                "level": level.level,
                "name": _text(level, "name"),
                "description": _text(level, "description"),
            }
            for level in framework.levels.order_by("level")
        ],
        "job_roles": [
            {
                "code": role.code,
                "name": _text(role, "name"),
                "description": _text(role, "description"),
            }
            for role in roles.values()
        ],
        "areas": [
            {
                "code": area.code,
                "name": _text(area, "name"),
                "description": _text(area, "description"),
                "competencies": by_area.get(area.pk, []),
            }
            for area in framework.areas.order_by("position", "code")
        ],
    }


def export_framework(*, framework: Framework) -> str:
    """The framework version's canonical text."""
    return dump_framework(framework_document(framework=framework))


# --- load -------------------------------------------------------------------------------


def load_framework_file(*, path: Path | str) -> LoadResult:
    """Read, validate and load a framework file (see `load_framework`)."""
    text = Path(path).read_text(encoding="utf-8")
    return load_framework(document=parse_framework(text))


@transaction.atomic
def load_framework(*, document: dict) -> LoadResult:
    """Load a document: create the version, leave it alone when its content is the same,
    replace a draft's content, refuse different content over a published version. Job roles
    are created or updated by code. All or nothing."""
    errors = validate_document(document)
    if errors:
        raise FrameworkValidationError(errors)
    head = document["framework"]
    roles, created, updated = _upsert_roles(document["job_roles"])
    framework = (
        Framework.objects.select_for_update()
        .filter(code=head["code"], version=head["version"])
        .first()
    )
    if framework is not None:
        if _same_content(framework_document(framework=framework), document):
            return LoadResult(framework, "unchanged", created, updated)
        if framework.is_locked:
            raise FrameworkVersionConflictError(code=framework.code, version=framework.version)
        try:
            framework.areas.all().delete()
            framework.levels.all().delete()
        except ProtectedError as exc:
            raise FrameworkStateError(
                _("%(framework)s already has answers; its content cannot be replaced.")
                % {"framework": framework}
            ) from exc
        outcome = "replaced"
    else:
        framework = Framework(code=head["code"], version=head["version"])
        outcome = "created"
    framework.status = Framework.Status.DRAFT
    framework.knowledge_weight = head["knowledge_weight"]
    for field in ("name", "description"):
        for attribute, value in _set_text({}, field, head[field]).items():
            setattr(framework, attribute, value)
    framework.save()
    _write_content(framework=framework, document=document, roles=roles)
    if head["status"] != Framework.Status.DRAFT:
        framework.status = head["status"]
        framework.published_at = timezone.now()
        framework.save(update_fields=["status", "published_at"])
    return LoadResult(framework, outcome, created, updated)


def _same_content(stored: dict, document: dict) -> bool:
    # Job roles live in accounts and are updated by code on every load: only their codes
    # belong to the version's content.
    def comparable(doc: dict) -> dict:
        canonical = canonical_document(doc)
        canonical["job_roles"] = [role["code"] for role in canonical["job_roles"]]
        return canonical

    try:
        return comparable(stored) == comparable(document)
    except (KeyError, TypeError):  # an incomplete stored draft
        return False


def _upsert_roles(entries: list[dict]) -> tuple[dict[str, JobRole], int, int]:
    existing = {
        role.code: role for role in JobRole.objects.filter(code__in=[e["code"] for e in entries])
    }
    created = updated = 0
    for entry in entries:
        values = _set_text({}, "name", entry["name"])
        _set_text(values, "description", entry["description"])
        role = existing.get(entry["code"])
        if role is None:
            existing[entry["code"]] = JobRole.objects.create(code=entry["code"], **values)
            created += 1
        elif any(getattr(role, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(role, field, value)
            role.save()
            updated += 1
    return existing, created, updated


def _write_content(*, framework: Framework, document: dict, roles: dict[str, JobRole]) -> None:
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(
            framework=framework,
            level=entry["level"],
            **_set_text(_set_text({}, "name", entry["name"]), "description", entry["description"]),
        )
        for entry in document["levels"]
    )
    areas = Area.objects.bulk_create(
        Area(
            framework=framework,
            code=entry["code"],
            position=position,
            **_set_text(_set_text({}, "name", entry["name"]), "description", entry["description"]),
        )
        for position, entry in enumerate(document["areas"])
    )
    pairs = [
        (area, position, entry)
        for area, area_entry in zip(areas, document["areas"], strict=True)
        for position, entry in enumerate(area_entry["competencies"])
    ]
    competencies = Competency.objects.bulk_create(
        Competency(
            framework=framework,
            area=area,
            code=entry["code"],
            position=position,
            **_set_text(_set_text({}, "name", entry["name"]), "description", entry["description"]),
        )
        for area, position, entry in pairs
    )
    descriptors, targets, questions, question_entries = [], [], [], []
    for competency, (_area, _position, entry) in zip(competencies, pairs, strict=True):
        descriptors += [
            LevelDescriptor(competency=competency, level=level, **_set_text({}, "text", text))
            for level, text in enumerate(entry["descriptors"])
        ]
        targets += [
            RoleTarget(
                framework=framework,
                competency=competency,
                job_role=roles[role],
                target_level=level,
                importance=importance,
            )
            for role, (level, importance) in entry["targets"].items()
        ]
        for position, question in enumerate(entry["questions"]):
            questions.append(
                Question(
                    framework=framework,
                    competency=competency,
                    code=question["code"],
                    kind=question["kind"],
                    position=position,
                    **_set_text({}, "text", question["text"]),
                )
            )
            question_entries.append(question)
    LevelDescriptor.objects.bulk_create(descriptors)
    RoleTarget.objects.bulk_create(targets)
    questions = Question.objects.bulk_create(questions)
    Option.objects.bulk_create(
        Option(
            question=question,
            code=option["code"],
            position=position,
            is_correct=bool(option.get("correct")),
            is_dont_know=bool(option.get("dont_know")),
            **_set_text({}, "text", option["text"]),
        )
        for question, entry in zip(questions, question_entries, strict=True)
        for position, option in enumerate(entry.get("options", []))
    )


# --- versions ---------------------------------------------------------------------------


@transaction.atomic
def framework_publish(*, framework: Framework) -> Framework:
    """Publish a draft after checking it against every rule of the format."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != Framework.Status.DRAFT:
        raise FrameworkStateError(_("Only a draft can be published."))
    errors = validate_document(framework_document(framework=framework))
    if errors:
        raise FrameworkValidationError(errors)
    framework.status = Framework.Status.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    return framework


def _copies(rows, **changes) -> list:
    copies = []
    for row in rows:
        row.pk = None
        row.id = None
        row._state.adding = True
        for field, value in changes.items():
            setattr(row, field, value(row) if callable(value) else value)
        copies.append(row)
    return copies


@transaction.atomic
def framework_new_draft(*, framework: Framework) -> Framework:
    """A new draft holding a whole copy of `framework`, numbered one above the highest
    version of its code."""
    highest = Framework.objects.filter(code=framework.code).aggregate(Max("version"))
    source = Framework.objects.get(pk=framework.pk)
    # Copied in primary-key order, which keeps the order of job roles (see framework_document).
    levels = list(source.levels.order_by("pk"))
    areas = list(source.areas.order_by("pk"))
    competencies = list(source.competencies.order_by("pk"))
    descriptors = list(LevelDescriptor.objects.filter(competency__framework=source).order_by("pk"))
    questions = list(source.questions.order_by("pk"))
    options = list(Option.objects.filter(question__framework=source).order_by("pk"))
    targets = list(source.role_targets.order_by("pk"))

    draft = _copies([source], version=highest["version__max"] + 1, status="draft")[0]
    draft.published_at = None
    draft.save()
    ProficiencyLevel.objects.bulk_create(_copies(levels, framework=draft))
    old_areas = [area.pk for area in areas]
    area_map = dict(
        zip(old_areas, Area.objects.bulk_create(_copies(areas, framework=draft)), strict=True)
    )
    old = [c.pk for c in competencies]
    new = Competency.objects.bulk_create(
        _copies(competencies, framework=draft, area=lambda c: area_map[c.area_id])
    )
    competency_map = dict(zip(old, new, strict=True))
    LevelDescriptor.objects.bulk_create(
        _copies(descriptors, competency=lambda d: competency_map[d.competency_id])
    )
    RoleTarget.objects.bulk_create(
        _copies(targets, framework=draft, competency=lambda t: competency_map[t.competency_id])
    )
    old = [q.pk for q in questions]
    new = Question.objects.bulk_create(
        _copies(questions, framework=draft, competency=lambda q: competency_map[q.competency_id])
    )
    question_map = dict(zip(old, new, strict=True))
    Option.objects.bulk_create(_copies(options, question=lambda o: question_map[o.question_id]))
    return draft


# --- reading ----------------------------------------------------------------------------


def framework_outline(*, framework: Framework) -> dict:
    """What the framework page shows: levels, and areas with their competencies and each
    level's descriptor (carrying its level's name), in a constant number of queries."""
    levels = list(framework.levels.order_by("level"))
    names = {level.level: level.name for level in levels}
    areas = list(
        framework.areas.order_by("position", "code").prefetch_related(
            Prefetch(
                "competencies",
                queryset=Competency.objects.order_by("position", "code").prefetch_related(
                    Prefetch("descriptors", queryset=LevelDescriptor.objects.order_by("level"))
                ),
            )
        )
    )
    for area in areas:
        for competency in area.competencies.all():
            for descriptor in competency.descriptors.all():
                descriptor.level_name = names.get(descriptor.level, descriptor.level)
    return {"levels": levels, "areas": areas}
