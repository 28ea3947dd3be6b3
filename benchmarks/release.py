"""Building a release of a 20,000-respondent campaign, and a manager's department page read from
it, each against one hand-written GROUP BY over the score table in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_issue9 \
        .venv/bin/python benchmarks/release.py

The campaign is report_setup's (built on first use). Every earlier release of it is deleted
first, so the figures are always those of a first release, compared with no history.

1. The build: `release_build` on a fresh interim Release (what the task runs, committed), the
   release deleted between repeats; the last one is kept for step 2. The build includes the
   disclosure audit and the secondary suppression it drives (reports/secondary.py); the
   audit's own share is printed from the release's summary, and the same build is timed
   again with the audit left out (`secondary_hidden` finding nothing), to show which part of
   the build is above its target.
2. The department page of the demo manager (director@demo.gob.mx, who manages OBRAS: a
   secretariat, its directorates and its role breakdown), served from that release: the page
   data (`department_page`) and the whole request a manager makes (test Client GET, signed
   in, rendered), with the queries of each (one run under CaptureQueriesContext, untimed).

The baseline is report_aggregation.py's: count, mean level, mean target and priority per
(department, competency) over the campaign's score rows, no subtrees, no median, no roles.
"""

import statistics
from unittest import mock

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from report_setup import REPEATS, analyze, campaign, line, timed

MANAGER = "director@demo.gob.mx"

# Issue 14's goal: the build and every manager page served from a release within this many
# times the hand-written GROUP BY, medians of one run.
GOAL = 3.0


def goal(label: str, times: list[float], base: list[float]) -> str:
    """One goal line: the ratio of the medians and whether it is within GOAL."""
    ratio = statistics.median(times) / statistics.median(base)
    verdict = "goal met" if ratio <= GOAL else "goal not met"
    return f"GOAL {label}: {ratio:.1f}x the GROUP BY (<= {GOAL:g}x): {verdict}"


BASELINE = (
    "SELECT department_id, competency_id, COUNT(*), AVG(level), AVG(target), "
    "SUM(gap * importance) FROM diagnostic_competencyscore WHERE campaign_id = %s "
    "GROUP BY department_id, competency_id"
)


def main() -> None:
    from accounts.models import User
    from diagnostic.models import CompetencyScore
    from reports.models import Release, ReleaseFigure
    from reports.pages import department_page
    from reports.releases import release_build

    bench = campaign()
    Release.objects.filter(campaign=bench).delete()
    analyze()
    scores = CompetencyScore.objects.filter(campaign=bench).count()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE, [bench.pk])
            cursor.fetchall()

    built: list[Release] = []

    def build():
        release = Release.objects.create(campaign=bench, number=1, kind=Release.Kind.INTERIM)
        built.append(release_build(release_id=release.pk))

    def forget():
        Release.objects.filter(pk=built[-1].pk).delete()

    base = timed(baseline)
    with mock.patch("reports.releases.secondary_hidden", return_value=set()):
        unaudited = timed(build, between=forget)
    forget()
    builds = timed(build, between=forget)
    release = built[-1]
    if release.status != Release.Status.DONE:
        raise SystemExit(f"release build failed: {release.error}")
    analyze()
    figures = ReleaseFigure.objects.filter(release=release)
    states = {state: figures.filter(state=state).count() for state in ("shown", "kept", "hidden")}

    manager = User.objects.get(email=MANAGER)
    department = manager.managed_departments.get()

    def page_data():
        # A fresh user object, as each request loads one (the roles are cached on it); its
        # query is timed and counted with the page.
        user = User.objects.get(pk=manager.pk)
        return department_page(campaign=bench, department=department, measure="level", user=user)

    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    url = reverse("reports:department_report", args=[bench.code, department.code])

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
        return response

    page = page_data()
    if page is None or page.release is None or page.release.pk != release.pk:
        raise SystemExit("the manager's page is not served from the release just built")
    roles_shown = sum(not group.suppressed for _, group in page.roles)
    # Counted at once: the captured queries are a slice of connection.queries, which the
    # next test Client request empties (request_started resets it).
    with CaptureQueriesContext(connection) as captured:
        page_data()
    data_queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        size = len(get().content)
    get_queries = len(captured)
    datas = timed(page_data)
    gets = timed(get)
    base_after = timed(baseline)

    print(f"database: {connection.vendor}; {scores} score rows; {REPEATS} runs each")
    print(
        f"release {release.number}: {figures.count()} rows "
        f"({states['shown']} shown, {states['kept']} kept, {states['hidden']} hidden)"
    )
    print(line("hand-written GROUP BY, before the build", base))
    print(line("release_build (whole campaign, by role)", builds, base))
    print(f"  of which the audit (last build): {release.audit}")
    print(line("release_build without the audit", unaudited, base))
    print(line("hand-written GROUP BY, after the build", base_after))
    print(
        f"{department.code} page from release {release.number}: {len(page.columns)} "
        f"sub-departments, {len(page.roles)} job roles ({roles_shown} shown)"
    )
    print(line(f"department_page data, {data_queries} queries", datas, base_after))
    print(line(f"manager's GET (rendered, {size} bytes), {get_queries} queries", gets, base_after))
    overview_url = reverse("reports:campaign_overview", args=[bench.code])

    def overview():
        response = client.get(overview_url)
        if response.status_code != 200:
            raise SystemExit(f"GET {overview_url}: {response.status_code}")

    overviews = timed(overview)
    base_last = timed(baseline)
    print(line("manager's campaign overview GET (rendered)", overviews, base_last))
    print(goal("release_build", builds, base))
    print(goal("department_page data", datas, base_after))
    print(goal("manager's department page GET", gets, base_after))
    print(goal("manager's campaign overview GET", overviews, base_last))


if __name__ == "__main__":
    main()
