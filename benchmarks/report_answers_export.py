"""The answers and scores exports against PostgreSQL's own COPY of the same joined rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_l \
        .venv/bin/python -m benchmarks report_answers_export

Each export is timed once (a million rows), in one run: the floor is `COPY (SELECT ...) TO
STDOUT WITH CSV` of the exporter's own query, read through psycopg and thrown away; the
reference path is `writers.text_rows(exporter.rows())` (what the exports did before issue 14);
the text-rows path is `exporter.text_rows()` through the csv module; the fast path is
`exporter.csv_batches()` (on PostgreSQL a COPY of already formatted cells, reports/exports/
bulk.py), all byte-identical (tests/reports/test_export_fast_paths.py). Goal: fast path >= 0.5
of COPY's speed, peak RSS <= 250 MB. BENCH_REFERENCE=0 skips the reference and text-rows paths.
"""

import os
import resource
import tempfile
import time

from benchmarks.report_setup import campaign, ensure_answers

ROWS = int(os.environ.get("BENCH_ANSWERS", "1000000"))
REFERENCE = os.environ.get("BENCH_REFERENCE", "1") == "1"


def copy_floor(exporter) -> tuple[float, int]:
    """Seconds for PostgreSQL to COPY the exporter's query out, and the bytes read."""
    from django.db import connection

    sql, params = exporter.queryset().values_list(*exporter.fields()).query.sql_with_params()
    statement = f"COPY ({connection.ops.compose_sql(sql, params)}) TO STDOUT WITH CSV"
    started = time.perf_counter()
    size = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for chunk in copy:
            size += len(chunk)
    return time.perf_counter() - started, size


def export(headers, rows, *, escaped: bool) -> tuple[float, int]:
    from reports.exports.writers import write_csv

    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as stream:
        written = write_csv(headers, rows, stream, escaped=escaped)
    return time.perf_counter() - started, written


def export_batches(exporter) -> tuple[float, int]:
    from reports.exports.writers import write_csv_batches

    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as stream:
        written = write_csv_batches(exporter.headers, exporter.csv_batches(), stream)
    return time.perf_counter() - started, written


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from reports.exports.campaign import AnswersExporter, ScoresExporter

    bench = campaign()
    available = ensure_answers(campaign=bench, rows=ROWS)
    print(f"answers available: {available}")
    for exporter in (AnswersExporter(campaign=bench), ScoresExporter(campaign=bench)):
        floor, size = copy_floor(exporter)
        print(f"{exporter.name}: COPY floor {floor:.2f} s ({size / 1e6:.0f} MB)")
        if REFERENCE:
            took, written = export(exporter.headers, exporter.rows(), escaped=False)
            print(
                f"{exporter.name}: reference path {took:.2f} s, {written} rows; "
                f"{floor / took:.3f} of COPY's speed"
            )
            took, written = export(exporter.headers, exporter.text_rows(), escaped=True)
            print(
                f"{exporter.name}: text-rows path {took:.2f} s, {written} rows; "
                f"{floor / took:.3f} of COPY's speed"
            )
        took, written = export_batches(exporter)
        print(
            f"{exporter.name}: fast path {took:.2f} s, {written} rows; "
            f"{floor / took:.3f} of COPY's speed (goal >= 0.5); peak RSS so far {rss():.0f} MB"
        )


if __name__ == "__main__":
    main()
