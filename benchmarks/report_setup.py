"""Shared set-up of the report benchmarks: a demo city of 20,000 respondents in one campaign
on the database named by DATABASE_URL (PostgreSQL is what the figures are about), built
once and reused by later runs."""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

CAMPAIGN = "bench-20k"
RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "20000"))


def campaign():
    """The benchmark campaign, built on first use (scores only; answers added on demand)."""
    from diagnostic.models import Campaign
    from reports import demo

    call_command("migrate", verbosity=0)
    found = Campaign.objects.filter(code=CAMPAIGN).first()
    if found is not None:
        analyze()
        return found
    started = time.perf_counter()
    rng = random.Random(5)
    demo.seed_accounts(employees=0)
    demo.build_employees(employees=RESPONDENTS, rng=rng)
    framework = demo.demo_framework()
    now = timezone.now()
    found = demo.build_campaign(
        framework=framework,
        code=CAMPAIGN,
        names=("Referencia", "Benchmark"),
        opens_at=now - timezone.timedelta(days=5),
        closes_at=now + timezone.timedelta(days=5),
        closed=False,
    )
    demo.invite_and_answer(campaign=found, rate=1.0, lift=0.0, rng=rng, with_answers=False)
    print(f"set-up: {RESPONDENTS} respondents in {time.perf_counter() - started:.0f} s")
    analyze()
    return found


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would have after a bulk load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def ensure_answers(*, campaign, rows: int) -> int:
    """Answers for the first respondents until there are `rows` of them, in one INSERT ...
    SELECT (the ORM would spend minutes on a million objects that only the export reads)."""
    from diagnostic.models import Answer, Question, Response

    have = Answer.objects.filter(response__invitation__campaign=campaign).count()
    if have >= rows:
        return have
    questions = Question.objects.filter(framework=campaign.framework).count()
    respondents = -(-rows // questions)
    response_ids = list(
        Response.objects.filter(invitation__campaign=campaign)
        .order_by("pk")
        .values_list("pk", flat=True)[:respondents]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO diagnostic_answer "
            "(response_id, question_id, value, option_id, answered_at) "
            "SELECT r.id, q.id, "
            "CASE WHEN q.kind = 'knowledge' THEN NULL ELSE (r.id + q.id) %% 5 END, "
            "CASE WHEN q.kind = 'knowledge' THEN "
            "(SELECT MIN(o.id) FROM diagnostic_option o WHERE o.question_id = q.id) END, %s "
            "FROM diagnostic_response r CROSS JOIN diagnostic_question q "
            "WHERE q.framework_id = %s AND r.id BETWEEN %s AND %s",
            [timezone.now(), campaign.framework_id, response_ids[0], response_ids[-1]],
        )
    analyze()
    return Answer.objects.filter(response__invitation__campaign=campaign).count()


REPEATS = 5


def timed(function, *, between=None) -> list[float]:
    """REPEATS wall-clock times of `function`; `between` (untimed) runs after each but the last."""
    times = []
    for repeat in range(REPEATS):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
        if between is not None and repeat < REPEATS - 1:
            between()
    return times


def line(label: str, times: list[float], base: list[float] | None = None) -> str:
    """One printed figure: min, median and max in ms, and the median's ratio to `base`."""
    low, mid, high = min(times), statistics.median(times), max(times)
    text = f"{label}: min {low * 1000:8.1f}  median {mid * 1000:8.1f}  max {high * 1000:8.1f} ms"
    if base is not None:
        text += f"; ratio (medians) {mid / statistics.median(base):.1f}"
    return text
