"""The answers and scores CSV files at PostgreSQL COPY's speed.

`COPY (SELECT ...) TO STDOUT (FORMAT csv)` joins the rows and writes every cell already as the
reference writer would (writers.cell_text, then csv quoting). What needs Python (pseudonyms,
the formula escaping of codes) is worked out once per invitation, question, option,
department and role, and joined in the SQL as arrays (`unnest`); empty text is NULL, which
COPY writes as an empty cell, as the csv module writes "". COPY ends rows with LF, the
reference with CRLF: each row arrives as one message, so its last byte is the row's end.

Decimals: to_char, which rounds as Python's f"{x:.6f}" (see `decimal`).

On SQLite, the exporters' `lines()` build the same text in Python from their own query's rows
(`plain_rows`), each line joined from cells quoted once per respondent, code, option, value
and decimal (`Decimals`): no ORM converter, cell_text or csv module per row (a data
package's answers.csv five times faster).
"""

import tempfile
from collections.abc import Iterator

from django.db import connection

from accounts.models import Department, JobRole
from diagnostic.models import Campaign, Competency, Option, Question, Response

from ..pseudonyms import pseudonymiser
from .writers import cell_text, timestamp

BATCH = 5000
SPOOL_BYTES = 16 * 1024 * 1024
SCORE_DECIMALS = ("self_level", "knowledge_score", "level", "gap", "usage")


def text(value) -> str | None:
    """A cell as the reference writes it, None for empty (COPY writes NULL as an empty cell)."""
    return cell_text(value) or None


def respondents(*, campaign: Campaign, identified: bool) -> list[list]:
    """Every submitted response of the campaign: its id and, as cells, the respondent
    (its pseudonym, reports.pseudonyms, keyed once, or the employee number), the
    department and role codes of its invitation and submitted_at."""
    pseudonym = pseudonymiser(campaign.code)
    cells: dict = {}
    columns: list[list] = [[], [], [], [], []]
    ids, shown, departments, roles, submitted = columns
    for pk, invitation, number, department, role, at in Response.objects.filter(
        invitation__campaign=campaign, submitted_at__isnull=False
    ).values_list(
        "pk",
        "invitation_id",
        "invitation__employee__employee_number",
        "invitation__department__code",
        "invitation__job_role__code",
        "submitted_at",
    ):
        if not identified:
            number = pseudonym(invitation)
        ids.append(pk)
        shown.append(text(number or ""))
        for code, column in ((department, departments), (role, roles)):
            if code not in cells:
                cells[code] = text(code)
            column.append(cells[code])
        submitted.append(text(timestamp(at)))
    return columns


RESPONSES = "unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])"


def codes(model) -> tuple[list, list]:
    pairs = model.objects.values_list("pk", "code")
    return [pk for pk, _ in pairs], [text(code) for _, code in pairs]


def answers_copy(*, campaign: Campaign, identified: bool) -> tuple[str, list]:
    """The COPY statement of answers.csv's rows, in AnswersExporter's order."""
    questions = list(
        Question.objects.filter(framework_id=campaign.framework_id)
        .order_by("code")
        .values_list("pk", "code", "competency__code", "kind")
    )
    options = list(
        Option.objects.filter(question__framework_id=campaign.framework_id).values_list(
            "pk", "code", "is_correct"
        )
    )
    knowledge = Question.Kind.KNOWLEDGE
    sql = f"""
        COPY (SELECT p.t, p.department, p.role, q.code, q.comp, q.kind,
            CASE WHEN q.knowledge THEN o.t ELSE a.value::text END,
            CASE WHEN q.knowledge THEN COALESCE(o.correct, '0') END, p.submitted
        FROM diagnostic_answer a
        JOIN {RESPONSES} p(id, t, department, role, submitted) ON p.id = a.response_id
        JOIN unnest(%s::bigint[], %s::int[], %s::text[], %s::text[], %s::text[], %s::bool[])
            q(id, rank, code, comp, kind, knowledge) ON q.id = a.question_id
        LEFT JOIN unnest(%s::bigint[], %s::text[], %s::text[]) o(id, t, correct)
            ON o.id = a.option_id
        ORDER BY a.response_id, q.rank) TO STDOUT (FORMAT csv)
    """  # noqa: S608 - fixed SQL fragments of this module, values as parameters
    params = [
        *respondents(campaign=campaign, identified=identified),
        [q[0] for q in questions],
        list(range(len(questions))),
        [text(q[1]) for q in questions],
        [text(q[2]) for q in questions],
        [text(q[3]) for q in questions],
        [q[3] == knowledge for q in questions],
        [o[0] for o in options],
        [text(o[1]) for o in options],
        ["1" if o[2] else "0" for o in options],
    ]
    return sql, params


def decimal(column: str) -> str:
    """f"{x:.6f}" in SQL. For 0 < x < 1e6 away from a tie at the seventh decimal, x * 1e6
    rounded is exact (its float error is below 1e-4), printed as an integer with the point put
    in: twice as fast as to_char. Elsewhere to_char, which formats a double with C's printf,
    rounding the exact binary value as Python does (ties included); zero, with its sign, as
    Python writes it; nine integer digits
    fit its 15 (scores lie in 0..4); beyond, the numeric cast rounds the shortest text."""
    micro = f"round({column} * 1e6)::bigint"
    return (
        f"CASE WHEN {column} > 0 AND {column} < 1e6 "
        f"AND abs({column} * 1e6 - trunc({column} * 1e6) - 0.5) > 1e-3 "
        f"THEN ({micro} / 1000000)::text || '.' || lpad(mod({micro}, 1000000)::text, 6, '0') "
        f"WHEN {column} = 0 THEN CASE WHEN {column}::text = '0' THEN '0.000000' "
        "ELSE '-0.000000' END "
        f"WHEN abs({column}) < 1e9 THEN to_char({column}, 'FM999999990.000000') "
        f"ELSE round({column}::text::numeric, 6)::text END"
    )


def scores_copy(*, campaign: Campaign, identified: bool) -> tuple[str, list]:
    """The COPY statement of scores.csv's rows, in ScoresExporter's order."""
    competencies = list(
        Competency.objects.filter(framework_id=campaign.framework_id)
        .order_by("code")
        .values_list("pk", "code")
    )
    decimals = {name: decimal(f"s.{name}") for name in SCORE_DECIMALS}
    sql = f"""
        COPY (SELECT p.t, d.t, j.t, c.t, {decimals["self_level"]},
            {decimals["knowledge_score"]}, {decimals["level"]}, s.target::text,
            {decimals["gap"]}, CASE WHEN s.meets THEN '1' ELSE '0' END, {decimals["usage"]}
        FROM diagnostic_competencyscore s
        JOIN {RESPONSES} p(id, t, department, role, submitted) ON p.id = s.response_id
        JOIN unnest(%s::bigint[], %s::int[], %s::text[]) c(id, rank, t)
            ON c.id = s.competency_id
        LEFT JOIN unnest(%s::bigint[], %s::text[]) d(id, t) ON d.id = s.department_id
        LEFT JOIN unnest(%s::bigint[], %s::text[]) j(id, t) ON j.id = s.job_role_id
        WHERE s.campaign_id = %s
        ORDER BY s.response_id, c.rank) TO STDOUT (FORMAT csv)
    """  # noqa: S608 - fixed SQL fragments of this module, values as parameters
    params = [
        *respondents(campaign=campaign, identified=identified),
        [c[0] for c in competencies],
        list(range(len(competencies))),
        [text(c[1]) for c in competencies],
        *codes(Department),
        *codes(JobRole),
        campaign.pk,
    ]
    return sql, params


def copy_batches(sql: str, params: list) -> Iterator[tuple[str, int]]:
    """The CSV text of a COPY statement, CRLF line ends, in batches of (text, rows).

    The COPY is read to its end, into a temporary file (in memory up to SPOOL_BYTES), before
    the first batch is given: while a COPY is open its connection runs nothing else, and the
    caller does (a data package records its progress between batches; with the COPY open
    that query waited on the COPY and the worker hung)."""
    batches: list[tuple[int, int]] = []  # (characters, rows) of each batch in the file
    with tempfile.SpooledTemporaryFile(SPOOL_BYTES, "w+", encoding="utf-8", newline="") as spool:
        with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
            rows: list = []
            for data in copy:
                rows.append(data)
                if len(rows) == BATCH:
                    batches.append((spool.write(crlf(rows)), len(rows)))
                    rows = []
            if rows:
                batches.append((spool.write(crlf(rows)), len(rows)))
        spool.seek(0)
        for characters, count in batches:
            yield spool.read(characters), count


def crlf(rows: list) -> str:
    joined = b"".join(rows)
    if b'"' not in joined:  # no quoted cell, so every LF ends a row
        return joined.replace(b"\n", b"\r\n").decode()
    return b"".join(bytes(row[:-1]) + b"\r\n" for row in rows).decode()


# Elsewhere (SQLite), the exporters build the same text in Python from the rows of their own
# query (AnswersExporter.lines, ScoresExporter.lines), with these two helpers.


class Decimals(dict):
    """The text of each decimal, f"{x:.6f}" (writers.cell_text), worked out once: scores
    repeat a few hundred values. Zero is never kept: 0.0 and -0.0 are one key and two texts."""

    def __missing__(self, value) -> str:
        if value is None:
            return ""
        text = f"{float(value):.6f}"
        if value:
            self[value] = text
        return text


def plain_rows(queryset) -> Iterator[tuple]:
    """The values_list queryset's rows as the database driver gives them, without the ORM's
    per-row converters: booleans stay 0/1 (read as truth values), datetimes may be text
    (`datetime_value`, once per respondent)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BATCH):
            yield from rows


def datetime_value(value):
    """A datetime column of `plain_rows` as the ORM gives it: the backend's own converter of
    datetime columns where it has one (SQLite's driver gives text or a naive datetime)."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    return value if convert is None else convert(value, None, connection)
