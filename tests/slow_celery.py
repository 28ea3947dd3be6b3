"""The site's Celery app, slowed down so that a fault test can kill its worker mid-task.

`celery -A tests.slow_celery worker` with FAULT_SLOW_SECONDS set: once the worker is ready,
each invitation made at launch and each progress step of a data package (reported every
row: batches of one row) waits that long. Nothing else differs from `config.celery_app`.
"""

import os
import time

from celery.signals import worker_ready

from config.celery_app import app  # noqa: F401  (the app celery -A loads)

SLOW = float(os.environ.get("FAULT_SLOW_SECONDS", "0"))


@worker_ready.connect
def slow_down(**kwargs) -> None:
    from diagnostic.campaigns import lifecycle
    from reports import packages
    from reports.exports import bulk

    make_one = lifecycle.invitation_for
    build = packages.build_package

    def slow_invitation(**kw):
        time.sleep(SLOW)
        return make_one(**kw)

    def slow_build(**kw):
        report = kw["progress"]

        def slow_progress(percent):
            time.sleep(SLOW)
            report(percent)

        return build(**{**kw, "progress": slow_progress})

    lifecycle.invitation_for = slow_invitation
    packages.build_package = slow_build
    packages.PROGRESS_EVERY = 1
    bulk.BATCH = 1  # the CSV files are written in batches: one row each, a report each
