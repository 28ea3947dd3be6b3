"""A 1,000,000-row answers export: wall time and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_issue5 \
        .venv/bin/python benchmarks/report_answers_export.py

The exporter streams from the database in chunks (a server-side cursor on PostgreSQL) and
the CSV writer writes as rows come, so peak memory should not depend on the row count.
"""

import os
import resource
import tempfile
import time
import tracemalloc

from report_setup import campaign, ensure_answers

ROWS = int(os.environ.get("BENCH_ANSWERS", "1000000"))
# tracemalloc slows Python down several times: BENCH_TRACE=0 times the export without it.
TRACE = os.environ.get("BENCH_TRACE", "1") == "1"


def main() -> None:
    from reports.exports.campaign import AnswersExporter
    from reports.exports.writers import write_csv

    bench = campaign()
    available = ensure_answers(campaign=bench, rows=ROWS)
    exporter = AnswersExporter(campaign=bench)
    if TRACE:
        tracemalloc.start()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as stream:
        written = write_csv(exporter.headers, exporter.rows(), stream)
        size = stream.tell()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if TRACE else 0
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"answers available: {available}; rows written: {written}; file {size / 1e6:.0f} MB")
    print(f"wall time: {elapsed:.1f} s ({written / elapsed:,.0f} rows/s)")
    if TRACE:
        print(f"peak traced Python memory during the export: {peak / 1e6:.1f} MB")
    print(f"peak resident set size of the process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
