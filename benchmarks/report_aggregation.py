"""The full report of a 20,000-respondent campaign against one hand-written GROUP BY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_issue5 \
        .venv/bin/python benchmarks/report_aggregation.py

The full report is `campaign_report`: invited, responded and index for every department
subtree and job role, every competency figure (median included) for every subtree, and
suppression. The baseline is the cheapest query that still reads the whole score table:
count, mean level, mean target and priority per (department, competency), no subtrees, no
median. The ratio says what the report costs on top of reading the data once.
"""

import statistics
import time

from django.db import connection
from report_setup import campaign

REPEATS = 5

BASELINE = (
    "SELECT department_id, competency_id, COUNT(*), AVG(level), AVG(target), "
    "SUM(gap * importance) FROM diagnostic_competencyscore WHERE campaign_id = %s "
    "GROUP BY department_id, competency_id"
)


def timed(function) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    from accounts.models import Department, User
    from diagnostic.models import CompetencyScore
    from reports.aggregation import campaign_report
    from reports.pages import department_page

    bench = campaign()
    scores = CompetencyScore.objects.filter(campaign=bench).count()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE, [bench.pk])
            cursor.fetchall()

    root = Department.objects.get(code="MUN")
    reader = User(is_superuser=True, is_active=True)  # reads everything, never saved
    full = timed(lambda: campaign_report(campaign=bench))
    page = timed(
        lambda: department_page(campaign=bench, department=root, measure="level", user=reader)
    )
    base = timed(baseline)
    print(f"database: {connection.vendor}; {scores} score rows; median of {REPEATS} runs")
    print(f"hand-written GROUP BY (direct departments): {base * 1000:8.1f} ms")
    print(f"full campaign report (every subtree): {full * 1000:.1f} ms, ratio {full / base:.1f}")
    print(f"department page data (root, by role): {page * 1000:.1f} ms, ratio {page / base:.1f}")


if __name__ == "__main__":
    main()
