"""20,000 invitations with their e-mails, end to end, as a launch runs them.

    .venv/bin/python benchmarks/invitations.py [EMPLOYEES]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_d .venv/bin/python benchmarks/invitations.py

Runs in a throwaway test database (created and dropped here). Tasks run in process (no
broker), so the launch request goes on to the real task chain: invitations made in committed
batches (`INVITATION_BATCH_SIZE`), then e-mailed in batches (`EMAIL_BATCH_SIZE`), each
message rendered in the person's language and sent to Django's in-memory backend (the pacing
by `EMAIL_RATE_PER_MINUTE` is a countdown between queued batches, which in-process runs skip,
so this is the work itself, not the pace). One person in five has no address; they are the
"unreached" list HR prints QR cards for.

Prints the wall time and the peak resident set size of the process; BENCH_TRACEMALLOC=1 adds
Python's peak allocations (tracemalloc, which slows the run several times: use a separate
run for the time). The in-memory outbox keeps every message, so the peak
includes all 16,000 messages; a real mail server would not.
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402


def main(employees: int) -> None:
    django.setup()
    import logging

    from django.conf import settings
    from django.core import mail
    from django.db import connection

    from benchmarks.launch import populate
    from config.celery_app import app
    from diagnostic.campaigns import lifecycle, status

    logging.getLogger("celery").setLevel(logging.WARNING)
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
    app.conf.task_always_eager = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        campaign = populate(employees, 200)
        print(f"{connection.vendor}, {employees:,} employees, 200 departments")
        if os.environ.get("BENCH_TRACEMALLOC") == "1":
            tracemalloc.start()
        started = time.perf_counter()
        lifecycle.campaign_launch(campaign=campaign)  # eager: makes, then sends everything
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else None
        tracemalloc.stop()
        progress = status.sending_progress(campaign=campaign)
        made = campaign.invitations.count()
        assert made == employees, made
        assert len(mail.outbox) == progress["sent"] == made - progress["unreached"]
        assert progress["waiting"] == 0
        distinct = len({message.to[0] for message in mail.outbox})
        assert distinct == len(mail.outbox), "an address got two invitations"
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"invitations made            {made:>8,}")
        print(f"e-mails sent (one each)     {len(mail.outbox):>8,}")
        print(f"unreached (QR cards)        {progress['unreached']:>8,}")
        print(f"wall time, launch to last e-mail {seconds:8.1f} s  ({made / seconds:,.0f}/s)")
        if peak is not None:
            print(f"peak Python memory (tracemalloc) {peak / 2**20:8.1f} MiB")
        print(f"peak resident set size           {rss:8.1f} MiB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
