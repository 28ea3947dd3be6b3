"""Each rule of the framework format rejects a bad file, says where, and writes nothing."""

import pytest

from accounts.models import JobRole
from diagnostic.exceptions import FrameworkValidationError
from diagnostic.framework.format import dump_framework, parse_framework, validate_document
from diagnostic.framework.store import load_framework
from diagnostic.models import Framework

from .documents import small_document
from .fixtures import draft  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("english")


def first_competency(doc):
    return doc["areas"][0]["competencies"][0]


def knowledge(doc):
    return first_competency(doc)["questions"][1]


def set_path(doc, keys, value):
    target = doc
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value


def drop(container, key):
    del container[key]


RULES = {
    "unknown key": (
        lambda d: set_path(d, ["framework", "colour"], "azul"),
        "framework: unknown key “colour”",
    ),
    "missing key": (
        lambda d: drop(first_competency(d), "description"),
        "competency A1: missing key “description”",
    ),
    "duplicate area code": (
        lambda d: set_path(d, ["areas", 1, "code"], "A"),
        "area A: code “A” is used more than once",
    ),
    "duplicate competency code": (
        lambda d: set_path(d["areas"][1]["competencies"][0], ["code"], "A1"),
        "competency A1: code “A1” is used more than once",
    ),
    "duplicate question code": (
        lambda d: set_path(d["areas"][0]["competencies"][1]["questions"][0], ["code"], "A1-S"),
        "competency A2, question A1-S: code “A1-S” is used more than once",
    ),
    "duplicate option code": (
        lambda d: set_path(knowledge(d)["options"][1], ["code"], "a"),
        "competency A1, question A1-K1, option a: code “a” is used more than once",
    ),
    "duplicate role code": (
        lambda d: set_path(d["job_roles"][1], ["code"], "ANA"),
        "job role ANA: code “ANA” is used more than once",
    ),
    "levels not 0..4": (
        lambda d: d["levels"].pop(),
        "levels: must be exactly the levels 0, 1, 2, 3, 4, in that order",
    ),
    "levels out of order": (
        lambda d: d["levels"].reverse(),
        "levels: must be exactly the levels 0, 1, 2, 3, 4, in that order",
    ),
    "four descriptors": (
        lambda d: first_competency(d)["descriptors"].pop(),
        "competency A1, descriptors: needs exactly 5 descriptors (levels 0 to 4), found 4",
    ),
    "text missing a language": (
        lambda d: set_path(first_competency(d), ["name"], {"es": "Sólo español"}),
        "competency A1, name: must be a mapping with the keys es and en",
    ),
    "empty text": (
        lambda d: set_path(first_competency(d), ["name", "en"], "  "),
        "competency A1, name: the “en” text is empty",
    ),
    "two correct options": (
        lambda d: set_path(knowledge(d)["options"][1], ["correct"], True),
        "competency A1, question A1-K1: two options marked correct",
    ),
    "no correct option": (
        lambda d: drop(knowledge(d)["options"][0], "correct"),
        "competency A1, question A1-K1: no option marked correct",
    ),
    "no I don't know option": (
        lambda d: knowledge(d)["options"].pop(),
        "competency A1, question A1-K1: needs exactly one “I don't know” option, found 0",
    ),
    "correct I don't know": (
        lambda d: set_path(knowledge(d)["options"][3], ["correct"], True),
        "competency A1, question A1-K1, option dk: the “I don't know” option cannot be correct",
    ),
    "fewer than 2 real options": (
        lambda d: set_path(
            knowledge(d), ["options"], [knowledge(d)["options"][0], knowledge(d)["options"][3]]
        ),
        "competency A1, question A1-K1: needs at least 2 options besides “I don't know”",
    ),
    "self question with options": (
        lambda d: set_path(first_competency(d)["questions"][0], ["options"], []),
        "competency A1, question A1-S: a self question takes no options",
    ),
    "no self question": (
        lambda d: first_competency(d)["questions"].pop(0),
        "competency A1: has no self-assessment question",
    ),
    "target level above 4": (
        lambda d: set_path(first_competency(d), ["targets", "ANA"], [5, 1]),
        "competency A1, targets, ANA, target level: must be a whole number from 0 to 4",
    ),
    "importance outside 1..3": (
        lambda d: set_path(first_competency(d), ["targets", "ANA"], [2, 0]),
        "competency A1, targets, ANA, importance: must be a whole number from 1 to 3",
    ),
    "target for an unknown role": (
        lambda d: set_path(first_competency(d), ["targets", "XYZ"], [1, 1]),
        "competency A1, targets: target for role “XYZ”, which is not in job_roles",
    ),
    "role without a target": (
        lambda d: drop(first_competency(d)["targets"], "GEN"),
        "competency A1, targets: no target for role “GEN”",
    ),
    "knowledge weight above 1": (
        lambda d: set_path(d, ["framework", "knowledge_weight"], 1.5),
        "framework, knowledge_weight: must be a number from 0 to 1 with at most 3 decimals",
    ),
    "version 0": (
        lambda d: set_path(d, ["framework", "version"], 0),
        "framework, version: must be a whole number of at least 1",
    ),
    "unknown status": (
        lambda d: set_path(d, ["framework", "status"], "final"),
        "framework, status: must be one of: draft, published, retired",
    ),
    "unknown kind": (
        lambda d: set_path(first_competency(d)["questions"][2], ["kind"], "essay"),
        "competency A1, question A1-F, kind: must be one of: self, knowledge, frequency",
    ),
}


def test_the_test_document_is_valid():
    assert validate_document(small_document()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_rejects_a_bad_file_saying_where_and_writes_nothing(rule):
    break_it, message = RULES[rule]
    document = small_document()
    break_it(document)
    assert message in validate_document(document)
    with pytest.raises(FrameworkValidationError) as raised:
        load_framework(document=document)
    assert message in raised.value.errors
    assert Framework.objects.count() == 0
    assert JobRole.objects.count() == 0


def test_every_error_is_reported_not_just_the_first():
    document = small_document()
    for rule in ("two correct options", "empty text", "version 0", "duplicate role code"):
        RULES[rule][0](document)
    errors = validate_document(document)
    for rule in ("two correct options", "empty text", "version 0", "duplicate role code"):
        assert RULES[rule][1] in errors


@pytest.mark.django_db
def test_a_broken_file_over_an_existing_draft_leaves_the_draft_as_it_was(draft):
    from diagnostic.framework.store import export_framework

    before = export_framework(framework=draft)
    document = small_document(code="borrador", status="draft")
    document["areas"][0]["name"]["es"] = "Cambiado"
    RULES["two correct options"][0](document)
    with pytest.raises(FrameworkValidationError):
        load_framework(document=document)
    assert export_framework(framework=draft) == before


def test_text_that_is_not_yaml_is_reported_with_its_line():
    with pytest.raises(FrameworkValidationError) as raised:
        parse_framework("format: dsd-framework/1\nframework: [unclosed\n")
    assert "not valid YAML at line" in raised.value.errors[0]


def test_a_key_given_twice_is_an_error_not_a_silent_overwrite():
    text = dump_framework(small_document()).replace(
        "  version: 1\n", "  version: 1\n  version: 2\n", 1
    )
    with pytest.raises(FrameworkValidationError) as raised:
        parse_framework(text)
    assert "duplicate key “version”" in raised.value.errors[0]


def test_a_file_that_is_not_a_mapping_is_refused():
    with pytest.raises(FrameworkValidationError) as raised:
        parse_framework("- just\n- a list\n")
    assert raised.value.errors == ["must be a mapping"]
