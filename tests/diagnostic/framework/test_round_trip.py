"""The whole framework round-trips through its text format unchanged: the shipped default and
generated frameworks, through the text alone and through the database."""

from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnostic.framework.format import dump_framework, parse_framework, validate_document
from diagnostic.framework.store import DEFAULT_FRAMEWORK_PATH, export_framework, load_framework

# Texts: letters (accents included), digits, punctuation, symbols, spaces, line breaks, tabs,
# control characters and the characters YAML cares about; never blank, never NUL.
TEXT = st.text(
    alphabet=st.characters(
        categories=("L", "N", "P", "S", "Zs"),
        include_characters="\n\t\r\x1b\x7f\x85\u2028\ufeff\"'\\#:-{}[],&*!|>%@`",
        exclude_characters="\x00",
    ),
    min_size=1,
    max_size=40,
).filter(str.strip)
BILINGUAL = st.fixed_dictionaries({"es": TEXT, "en": TEXT})
# Codes that YAML would read as something else unless quoted, mixed with ordinary ones.
TRICKY = ["yes", "No", "on", "null", "1", "0.5", "true", "1e3", "0x1F", "ANA"]
SLUGS = st.one_of(
    st.sampled_from(["yes", "No", "on", "null", "1", "GEN"]),
    st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True),
)
CODES = st.one_of(
    st.sampled_from(TRICKY), st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True)
)


def unique_codes(count, codes=CODES):
    return st.lists(codes, min_size=count, max_size=count, unique=True)


@st.composite
def questions(draw, prefix: str, codes: list[str]):
    kinds = ["self"] + draw(
        st.lists(st.sampled_from(["self", "knowledge", "frequency"]), max_size=2)
    )
    result = []
    for code, kind in zip(codes, kinds, strict=False):
        question = {"code": f"{prefix}{code}", "kind": kind, "text": draw(BILINGUAL)}
        if kind == "knowledge":
            option_codes = draw(unique_codes(draw(st.integers(3, 5))))
            correct = draw(st.integers(0, len(option_codes) - 2))
            question["options"] = [
                {"code": option_code, "text": draw(BILINGUAL)}
                | ({"correct": True} if index == correct else {})
                | ({"dont_know": True} if index == len(option_codes) - 1 else {})
                for index, option_code in enumerate(option_codes)
            ]
        result.append(question)
    return result


@st.composite
def documents(draw):
    role_codes = draw(unique_codes(draw(st.integers(1, 3)), SLUGS))
    area_codes = draw(unique_codes(draw(st.integers(1, 3))))
    competency_codes = draw(unique_codes(draw(st.integers(len(area_codes), 5))))
    areas = [{"code": code, "competencies": []} for code in area_codes]
    for index, code in enumerate(competency_codes):
        area = areas[index] if index < len(areas) else draw(st.sampled_from(areas))
        area["competencies"].append(
            {
                "code": code,
                "name": draw(BILINGUAL),
                "description": draw(BILINGUAL),
                "descriptors": [draw(BILINGUAL) for _ in range(5)],
                "targets": {
                    role: [draw(st.integers(0, 4)), draw(st.integers(1, 3))] for role in role_codes
                },
                "questions": draw(questions(f"{index}-", ["S", "K", "F"])),
            }
        )
    for area in areas:
        area.update(name=draw(BILINGUAL), description=draw(BILINGUAL))
    return {
        "format": "dsd-framework/1",
        "framework": {
            "code": draw(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)),
            "version": draw(st.integers(1, 99)),
            "status": draw(st.sampled_from(["draft", "published", "retired"])),
            "knowledge_weight": draw(st.integers(0, 1000)) / 1000,
            "name": draw(BILINGUAL),
            "description": draw(BILINGUAL),
        },
        "levels": [
            {"level": level, "name": draw(BILINGUAL), "description": draw(BILINGUAL)}
            for level in range(5)
        ],
        "job_roles": [
            {"code": code, "name": draw(BILINGUAL), "description": draw(BILINGUAL)}
            for code in role_codes
        ],
        "areas": [
            {key: area[key] for key in ("code", "name", "description", "competencies")}
            for area in areas
        ],
    }


@given(documents())
@settings(max_examples=150, deadline=None)
def test_generated_frameworks_round_trip_through_their_text(document):
    assert validate_document(document) == []
    text = dump_framework(document)
    assert parse_framework(text) == document
    assert dump_framework(parse_framework(text)) == text


@pytest.mark.django_db
@given(documents())
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_frameworks_round_trip_through_the_database(document):
    text = dump_framework(document)
    with transaction.atomic():
        result = load_framework(document=parse_framework(text))
        assert export_framework(framework=result.framework) == text
        transaction.set_rollback(True)


def test_the_shipped_framework_file_is_canonical():
    text = Path(DEFAULT_FRAMEWORK_PATH).read_text(encoding="utf-8")
    assert dump_framework(parse_framework(text)) == text


@pytest.mark.django_db
def test_the_shipped_framework_round_trips_through_the_database_byte_for_byte():
    text = Path(DEFAULT_FRAMEWORK_PATH).read_text(encoding="utf-8")
    framework = load_framework(document=parse_framework(text)).framework
    assert export_framework(framework=framework) == text


def test_the_shipped_framework_has_the_outline_of_the_design():
    document = parse_framework(Path(DEFAULT_FRAMEWORK_PATH).read_text(encoding="utf-8"))
    competencies = [c for area in document["areas"] for c in area["competencies"]]
    knowledge = [c for c in competencies if any(q["kind"] == "knowledge" for q in c["questions"])]
    assert [area["code"] for area in document["areas"]] == list("ABCDEFG")
    assert len(competencies) == 25
    assert [role["code"] for role in document["job_roles"]] == [
        "GEN", "DIR", "ANA", "GOB", "ING", "COM"
    ]  # fmt: skip
    assert len(knowledge) >= 15
    assert all({q["kind"] for q in c["questions"]} >= {"self", "frequency"} for c in competencies)
