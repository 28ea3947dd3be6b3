"""HR's workspace pages and the live feed over a 20,000-person campaign, with their queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_c .venv/bin/python benchmarks/hr_workspace.py

The city is report_setup's (built on first use); 50,000 audit events are added once. Each
page is requested as HR does (test Client, signed in, rendered), REPEATS times; the queries of
one request are counted untimed. The feed is read with a token, from the campaign's current
release (one is built if there is none).
"""

import statistics

from django.core import signals
from django.db import close_old_connections, connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from report_setup import analyze, campaign, timed

EVENTS = 50_000
HR = "rh@demo.gob.mx"


def audit_events(code: str) -> None:
    from accounts.models import AuditEvent

    if AuditEvent.objects.count() >= EVENTS:
        return
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action=AuditEvent.Action.EXPORT,
                username=HR,
                detail={"campaign": code if i % 10 == 0 else "other", "what": "scores", "rows": i},
            )
            for i in range(EVENTS)
        ],
        batch_size=5000,
    )
    analyze()


def current_release(found):
    from reports.models import Release
    from reports.releases import release_build, release_request

    release = Release.objects.current(found)
    if release is None:
        release = release_build(
            release_id=release_request(campaign=found, kind=Release.Kind.INTERIM).pk
        )
    return release


def main() -> None:
    from accounts.models import User
    from reports.feed import issue_token

    # As Django's test client does in tests: keep one connection, so its queries can be counted.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    found = campaign()
    audit_events(found.code)
    release = current_release(found)
    hr = User.objects.get(email=HR)
    client = Client(SERVER_NAME="localhost")
    client.force_login(hr)
    _token, raw = issue_token(user=hr, name="benchmark")
    pages = {
        "HR home": ("/hr/", {}),
        "roster, first page": ("/hr/roster/", {}),
        "roster, search 'mar' + active": ("/hr/roster/", {"q": "mar", "active": "1"}),
        "department tree": ("/hr/departments/", {}),
        "audit log, first page": ("/hr/audit/", {}),
        "audit log, one campaign": ("/hr/audit/", {"campaign": found.code}),
        f"feed.csv (release #{release.number})": (
            f"/reports/{found.code}/feed.csv",
            {"token": raw},
        ),
    }
    for label, (path, query) in pages.items():

        def get(path=path, query=query):
            response = client.get(path, query)
            assert response.status_code == 200, (path, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)

        get()  # warm
        reset_queries()  # DEBUG's log is a deque of 9,000: a full one would count nothing
        with CaptureQueriesContext(connection) as captured:
            get()
        times = timed(get)
        print(
            f"{label:38} median {statistics.median(times) * 1000:8.1f} ms"
            f"  max {max(times) * 1000:8.1f} ms  queries {len(captured)}"
        )


if __name__ == "__main__":
    main()
