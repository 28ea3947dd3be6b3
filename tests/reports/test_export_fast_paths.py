"""The exporters' fast paths, `text_rows()` and `csv_batches()` (PostgreSQL's COPY in
reports/exports/bulk.py, a line builder on SQLite), give byte-identical CSV files to the
reference path (`writers.text_rows(exporter.rows())`), on generated codes and employee
numbers with every formula-injection start, accents, quotes, commas and newlines (CR, LF,
CRLF). Runs on SQLite and, in CI's PostgreSQL run, on PostgreSQL."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Department, Employee, JobRole
from lib.spreadsheets import FORMULA_STARTS
from reports.exports.campaign import AnswersExporter, ScoresExporter
from reports.exports.writers import write_csv, write_csv_batches

STARTS = [*FORMULA_STARTS, "'", '"', ",", "\n", "\r\n", "é", "-3.5", "-3\n", "+52 33 1234 5678", ""]
texts = st.builds(
    lambda start, rest, end: start + rest + end,
    st.sampled_from(STARTS),
    st.text(alphabet="aéñÓ\"',;\n\r\t=+-@ 0123456789", max_size=10),
    st.sampled_from(["", "\n", "\r", "\r\n", '"', ","]),
)
# Decimals that f"{x:.6f}" rounds by their exact binary value: ties at the seventh decimal
# (exact, or only in their shortest text), tiny and whole values.
DECIMALS = [0.0078125, 0.1234565, 2.0000005, 3.9999995, 1e-07, 5e-07, 2.5, 0.0, 4.0, 1 / 3]


TRICKY = ["=Q1", "+Q2", "-Q3", "@Q4", "\tQ5", "\rQ6", 'Q7,"é"\n', "\uff1dQ8", "-3.5"]


@pytest.fixture
def answered(results):
    """Answers to self and knowledge questions whose codes start like formulas."""
    from diagnostic.models import Response
    from tests.factories import AnswerFactory, QuestionFactory, knowledge_question

    competency = results.framework.competencies.get(code="C1")
    questions = [QuestionFactory(competency=competency, code=code) for code in TRICKY]
    quiz = knowledge_question(competency, code="=K1")
    options = list(quiz.options.all())
    responses = Response.objects.filter(invitation__campaign=results, submitted_at__isnull=False)
    for index, response in enumerate(responses.order_by("pk")[:6]):
        for number, question in enumerate(questions):
            value = (index + number) % 5
            AnswerFactory(response=response, question=question, value=value)
        AnswerFactory(response=response, question=quiz, value=None, option=options[index % 2])
    return results


def reference(exporter) -> str:
    stream = io.StringIO(newline="")
    write_csv(exporter.headers, exporter.rows(), stream)
    return stream.getvalue()


def fast(exporter) -> str:
    stream = io.StringIO(newline="")
    write_csv(exporter.headers, exporter.text_rows(), stream, escaped=True)
    return stream.getvalue()


def batched(exporter) -> str:
    stream = io.StringIO(newline="")
    write_csv_batches(exporter.headers, exporter.csv_batches(), stream)
    return stream.getvalue()


def rename(names: list[str]) -> None:
    """Codes and employee numbers from `names`, unique thanks to a counter."""
    for index, department in enumerate(Department.objects.order_by("pk")):
        Department.objects.filter(pk=department.pk).update(code=f"{names[index]}{index}"[:40])
    for index, role in enumerate(JobRole.objects.order_by("pk")):
        JobRole.objects.filter(pk=role.pk).update(code=f"{names[index + 5]}r{index}"[:40])
    for index, employee in enumerate(Employee.objects.order_by("pk")):
        number = f"{names[index % len(names)]}e{index}"[:40]
        Employee.objects.filter(pk=employee.pk).update(employee_number=number)


@pytest.mark.django_db
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(texts, min_size=12, max_size=12), identified=st.booleans())
def test_fast_csv_is_byte_identical_to_the_reference(answered, names, identified):
    rename(names)
    for exporter_class in (AnswersExporter, ScoresExporter):
        exporter = exporter_class(campaign=answered, identified=identified)
        expected = reference(exporter)
        assert expected.count("\r\n") > 2  # rows were written, not only the header
        assert fast(exporter).encode() == expected.encode()
        assert batched(exporter).encode() == expected.encode()


@pytest.mark.django_db
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(texts, min_size=12, max_size=12),
    decimals=st.lists(st.sampled_from(DECIMALS) | st.floats(0, 4), min_size=5, max_size=5),
    empty=st.booleans(),
)
def test_batched_csv_is_byte_identical_with_tricky_decimals_and_option_codes(
    answered, names, decimals, empty
):
    from diagnostic.models import CompetencyScore, Option
    from tests.factories import editable

    rename(names)
    with editable(answered.framework):
        for index, option in enumerate(Option.objects.order_by("pk")):
            code = f"{names[-1 - index % len(names)][:12]}o{index}"
            Option.objects.filter(pk=option.pk).update(code=code)
    self_level, knowledge, level, gap, usage = decimals
    CompetencyScore.objects.filter(campaign=answered).update(
        self_level=self_level,
        knowledge_score=None if empty else knowledge,
        level=level,
        gap=gap,
        usage=None if empty else usage,
    )
    for exporter_class in (AnswersExporter, ScoresExporter):
        exporter = exporter_class(campaign=answered)
        expected = reference(exporter)
        assert expected.count("\r\n") > 2
        assert batched(exporter).encode() == expected.encode()


@pytest.mark.django_db
def test_batched_rows_are_counted(answered):
    for exporter_class in (AnswersExporter, ScoresExporter):
        exporter = exporter_class(campaign=answered)
        assert sum(rows for _, rows in exporter.csv_batches()) == exporter.count() > 0


@pytest.mark.django_db
def test_fast_csv_escapes_a_formula_code(answered):
    Department.objects.filter(code="WORKS").update(code="=HYPERLINK(1)")
    for text in (
        fast(AnswersExporter(campaign=answered)),
        batched(AnswersExporter(campaign=answered)),
    ):
        assert "'=Q1" in text and ",=Q1" not in text
        assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


@pytest.mark.django_db
def test_the_fast_path_builds_the_files_without_python_rows(answered, monkeypatch):
    """PostgreSQL copies the formatted rows out (COPY); SQLite builds the lines from the
    driver's rows: neither reads the exporter's Python rows or text rows."""
    for exporter_class in (AnswersExporter, ScoresExporter):
        exporter = exporter_class(campaign=answered)
        expected = reference(exporter)
        monkeypatch.setattr(exporter, "rows", lambda: pytest.fail("rows read in Python"))
        monkeypatch.setattr(exporter, "text_rows", lambda: pytest.fail("text rows built"))
        assert batched(exporter) == expected


def test_decimal_texts_keep_the_sign_of_zero():
    """0.0 and -0.0 are one dict key but two texts (SQLite stores -0.0 as 0, so the cache's
    rule is checked on its own)."""
    from reports.exports.bulk import Decimals
    from reports.exports.writers import cell_text

    decimals = Decimals()
    for value in (0.0, -0.0, 0.0, 1 / 3, -0.0, 1 / 3, None, 2.0000005):
        assert decimals[value] == cell_text(value)
