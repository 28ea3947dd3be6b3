"""Parallel test processes (pytest-xdist: gw0, gw1, ...) kept apart: a pytest plugin (`-p
tests.parallel` in pyproject.toml), loaded before Django reads its settings.

pytest-django gives each process its own test database. Here each also gets its own Redis
databases (the configured number minus 2 x the process's index) and, unless MEDIA_ROOT is
set, its own media folder, so one process's cache.clear(), queued tasks and files never reach
another's. It is done in the environment, not in the settings, because Celery reads
CELERY_BROKER_URL from the environment before its settings, and the Celery workers that the
tests start inherit it.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
REDIS_VARIABLES = ("CELERY_BROKER_URL", "CACHE_URL")


def process_environment(environ: dict[str, str], worker: str) -> dict[str, str]:
    """The variables to change for test process `worker` ("gw1"), given the environment."""
    index = int(worker.removeprefix("gw"))
    if index == 0:
        return {}
    changes = {}
    for name in REDIS_VARIABLES:
        if environ.get(name, "").startswith("redis://"):
            parts = urlsplit(environ[name])
            database = int(parts.path.strip("/") or "0") - 2 * index
            if database < 0:
                raise RuntimeError(f"{name}: no Redis database left for test process {worker}")
            changes[name] = parts._replace(path=f"/{database}").geturl()
    if not environ.get("MEDIA_ROOT"):
        changes["MEDIA_ROOT"] = str(ROOT / "media" / f"test-process-{index}")
    return changes


if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.update(process_environment(dict(os.environ), os.environ["PYTEST_XDIST_WORKER"]))
