"""Spreadsheet safety (DESIGN.md "Data exchange"): text that a spreadsheet could run as a
formula is escaped, numbers and phone numbers are not, and CSV reads back unchanged."""

import ast
import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.spreadsheets import escape_formula, write_csv

ROOT = Path(__file__).resolve().parents[2]
# Written out here rather than imported, so a start dropped from the library fails the tests.
ASCII_STARTS = ["=", "+", "-", "@", "\t", "\r"]
FULL_WIDTH_STARTS = ["\uff1d", "\uff0b", "\uff0d", "\uff20"]  # ＝ ＋ － ＠
ALWAYS_FORMULA = ["=", "@", "\t", "\r", *FULL_WIDTH_STARTS]


def read_back(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@given(st.lists(st.lists(st.text(), min_size=3, max_size=3), max_size=20))
def test_any_text_reads_back_unchanged_but_for_the_escape(rows):
    stream = io.StringIO(newline="")
    count = write_csv(
        stream, headers=["a", "b", "c"], rows=([escape_formula(v) for v in row] for row in rows)
    )
    back = read_back(stream.getvalue())
    assert count == len(rows)
    assert back[0] == ["a", "b", "c"]
    assert len(back) == len(rows) + 1
    for written, read in zip(rows, back[1:], strict=True):
        for value, cell in zip(written, read, strict=True):
            assert cell == value or (
                cell == "'" + value and value[:1] in ASCII_STARTS + FULL_WIDTH_STARTS
            )


def test_csv_has_a_bom_and_crlf_line_ends():
    stream = io.StringIO(newline="")
    write_csv(stream, headers=["a"], rows=[["x,y"], ['say "hi"']])
    assert stream.getvalue() == '\ufeffa\r\n"x,y"\r\n"say ""hi"""\r\n'


@given(start=st.sampled_from(ALWAYS_FORMULA), rest=st.text())
def test_a_cell_that_starts_like_a_formula_is_escaped(start, rest):
    assert escape_formula(start + rest) == "'" + start + rest


DIGITS = "0123456789"
NUMBER_ALPHABET = set(DIGITS + " ().-")


@given(sign=st.sampled_from(["+", "-"]), rest=st.text().filter(lambda t: t[:1] not in set(DIGITS)))
def test_a_sign_not_followed_by_a_digit_is_escaped(sign, rest):
    assert escape_formula(sign + rest) == "'" + sign + rest


@given(
    sign=st.sampled_from(["+", "-"]),
    digits=st.text(DIGITS, min_size=1),
    bad=st.characters().filter(lambda c: c not in NUMBER_ALPHABET),
    rest=st.text(),
)
def test_a_number_with_anything_else_in_it_is_escaped(sign, digits, bad, rest):
    value = sign + digits + bad + rest
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["-1+1", "+52=cmd", "-1)*CMD()", '=HYPERLINK("http://x")', "@SUM(A1)", "+x", "-A1"],
)
def test_formulas_dressed_as_numbers_are_escaped(value):
    assert escape_formula(value) == "'" + value


@given(st.integers() | st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_are_left_alone(number):
    for text in (str(number), f"{number:.4f}" if isinstance(number, float) else str(number)):
        if "e" in text:  # scientific notation is not how the exports write numbers
            continue
        assert escape_formula(text) == text


@given(
    country=st.integers(1, 999),
    groups=st.lists(st.integers(0, 9999).map(lambda n: f"{n:04d}"), min_size=1, max_size=4),
    sep=st.sampled_from([" ", "-", "."]),
)
def test_phone_numbers_are_left_alone(country, groups, sep):
    for phone in (f"+{country} {sep.join(groups)}", f"+{country} (33) {sep.join(groups)}"):
        assert escape_formula(phone) == phone


@pytest.mark.parametrize("value", ["Obras", "1-2", "a=b", "", "'=already", " =1", "María López"])
def test_ordinary_text_is_left_alone(value):
    assert escape_formula(value) == value


def project_packages() -> set[str]:
    """The project's own top-level packages (apps and config), found on disk."""
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"lib", "tests"}
    } | {"manage"}


def test_lib_imports_no_project_app():
    project = project_packages()
    assert {"accounts", "diagnostic", "reports", "config"} <= project
    for source in (ROOT / "lib").rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in project, f"{source.name} imports {name}"
