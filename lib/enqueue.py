"""Sending a task to the broker without letting a broker fault fail the request.

Every request that starts background work writes its state to the database first (a launch
date, a pending job, a pending release) and enqueues the task after the commit. If the broker
is unreachable at that moment the request still succeeds: the error is logged and the work is
left for the sweepers run by beat (`diagnostic.tasks.finish_unfinished_work`,
`reports.tasks.resume_stalled_jobs`), which find it again from the database state.

Only broker and connection errors are caught: an error raised by a task run eagerly (the
SQLite set-up runs tasks in process) still propagates, as before.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import KombuError, OperationalError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, KombuError, ConnectionError, OSError)


def enqueue(task, *args, **options) -> bool:
    """Send `task(*args)` now; False (logged) when the broker could not take it."""
    if task.app.conf.task_always_eager:  # no broker: the task runs here, its errors propagate
        return _send(task, args, options)
    try:
        return _send(task, args, options)
    except BROKER_ERRORS:
        logger.warning(
            "Could not enqueue %s%r; it is left for the sweeper", task.name, args, exc_info=True
        )
        return False


def _send(task, args, options) -> bool:
    if options:
        task.apply_async(args=args, **options)
    else:
        task.delay(*args)
    return True


def enqueue_on_commit(task, *args, **options) -> None:
    """Send `task(*args)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task, *args, **options))
