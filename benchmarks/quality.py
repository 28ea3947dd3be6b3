"""Instrument quality of the benchmark campaign (report_setup's; BENCH_RESPONDENTS people, every
one with an answer to every question), as the task computes it, and the page read from it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_quality BENCH_RESPONDENTS=2000 \
        .venv/bin/python benchmarks/quality.py

Goal: the computation (one task run) within 60 s for 20,000 respondents, growing linearly
with them; the page in a constant number of queries (tests/reports/quality/test_pages.py
checks that) and under 300 ms.
"""

import statistics
import time

from django.test import Client
from django.urls import reverse
from report_setup import RESPONDENTS, campaign, ensure_answers

REPEATS = 3


def main() -> None:
    from accounts.models import User
    from diagnostic.models import Question
    from reports.models import QualitySnapshot
    from reports.quality.snapshots import quality_build

    bench = campaign()
    questions = Question.objects.filter(framework=bench.framework).count()
    answers = ensure_answers(campaign=bench, rows=RESPONDENTS * questions)
    times = []
    for _ in range(REPEATS):
        snapshot = QualitySnapshot.objects.create(campaign=bench)
        started = time.perf_counter()
        snapshot = quality_build(snapshot_id=snapshot.pk)
        times.append(time.perf_counter() - started)
    assert snapshot.status == QualitySnapshot.Status.DONE, snapshot.error
    print(f"{snapshot.responses} responses, {answers} answers, {questions} questions")
    print(
        f"compute: min {min(times):.2f}  median {statistics.median(times):.2f}  "
        f"max {max(times):.2f} s"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email="rh@demo.gob.mx"))
    url = reverse("reports:quality", args=[bench.code])
    client.get(url)
    page = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        page.append(time.perf_counter() - started)
    print(f"page: median {statistics.median(page) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
