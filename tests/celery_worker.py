"""A real Celery worker for tests marked `worker`.

When `CELERY_BROKER_URL` is set (CI's PostgreSQL + Redis run), one worker process is started
for the session: `celery -A config worker --pool solo --concurrency 1`, on the same broker,
pointed at pytest-django's test database and writing e-mail to files. Tests use
`transactional_db`, so what they write is committed and the worker sees it. Without a broker
(the SQLite run) these tests are skipped, saying why.
"""

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

READY_TIMEOUT = 60
POLL_SECONDS = 0.2
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
NO_BROKER = "no CELERY_BROKER_URL: worker tests need a real broker (CI's PostgreSQL + Redis run)"


def worker_database_url() -> str:
    """The URL of the database pytest-django made, for the worker process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


class Worker:
    def __init__(
        self,
        *,
        mail_dir: Path,
        log_path: Path,
        app: str = "config",
        env: dict[str, str] | None = None,
        purge: bool = True,
    ):
        self.mail_dir = mail_dir
        self.log_path = log_path
        self.app = app
        self.extra_env = env or {}
        self.purge = purge
        self.process: subprocess.Popen | None = None
        self.offset = 0

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **self.extra_env,
        }
        env.pop("EMAIL_HOST", None)
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            self.app,
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            *(["--purge"] if self.purge else []),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
            "--hostname",
            f"pytest-{os.getpid()}@%h",
        ]
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                env=env,
                cwd=Path(__file__).resolve().parent.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited:\n{self.log()}")
            if " ready." in self.log():
                return
            time.sleep(POLL_SECONDS)
        self.stop()
        raise RuntimeError(f"Celery worker not ready after {READY_TIMEOUT} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def kill(self) -> None:
        """kill -9: the worker dies mid-task, acknowledging nothing and cleaning nothing up."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def files(self) -> list[Path]:
        return sorted(self.mail_dir.glob("*.log"))

    def messages(self) -> list[EmailMessage]:
        """Every e-mail the worker sent. Django's file backend may append several messages
        to one file, each followed by a line of 79 dashes."""
        found = []
        for path in self.files():
            for chunk in path.read_bytes().split(MESSAGE_SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def mark(self) -> None:
        """Count tasks from here on (the log runs for the whole session)."""
        self.offset = len(self.log())

    def finished_tasks(self) -> int:
        log = self.log()[self.offset :]
        return log.count(" succeeded in ") + log.count(" raised ")

    def wait_for_tasks(self, count: int, *, timeout: float = 30) -> None:
        """Wait until `count` tasks have finished since the last `mark()`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.finished_tasks() >= count:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited:\n{self.log()}")
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"{count} tasks not finished after {timeout} s:\n{self.log()}")


@pytest.fixture(scope="session")
def _celery_worker_process(django_db_setup, tmp_path_factory):
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip(NO_BROKER)
    base = tmp_path_factory.mktemp("celery-worker")
    mail_dir = base / "mail"
    mail_dir.mkdir()
    worker = Worker(mail_dir=mail_dir, log_path=base / "worker.log")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(_celery_worker_process, transactional_db, settings):
    """The session's worker, with this process sending tasks to it, and an empty mail dir."""
    from config.celery_app import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    for path in _celery_worker_process.files():
        path.unlink()
    _celery_worker_process.mark()
    yield _celery_worker_process


# --- fault tests: workers that die, a broker that is down ---------------------------------


def wait_until(condition, *, timeout: float = 60, what: str = "condition"):
    """Poll `condition()` until it returns something true; that value is returned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"{what}: not reached after {timeout} s")


@pytest.fixture
def fault_workers(_celery_worker_process, transactional_db, settings, tmp_path):
    """Workers a fault test starts and kills itself (`start(slow=...)`), on the session's
    broker and test database. The session's worker is stopped meanwhile, so that no other
    worker takes the test's tasks, and started again afterwards."""
    from config.celery_app import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    _celery_worker_process.stop()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    started: list[Worker] = []

    def start(*, slow: float = 0.0, visibility_timeout: int = 3600, purge: bool = True):
        worker = Worker(
            mail_dir=mail_dir,
            log_path=tmp_path / f"worker-{len(started)}.log",
            app="tests.slow_celery" if slow else "config",
            env={
                "FAULT_SLOW_SECONDS": str(slow),
                "INVITATION_BATCH_SIZE": "20",
                "MEDIA_ROOT": str(media),
                "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            },
            purge=purge,
        )
        started.append(worker)
        worker.start()
        return worker

    start.mail_dir = mail_dir
    start.media = media
    start.messages = lambda: Worker(mail_dir=mail_dir, log_path=tmp_path / "none").messages()
    yield start
    for worker in started:
        worker.stop()
    _celery_worker_process.start()


@contextmanager
def broker_unreachable():
    """This process publishes to a broker nobody listens on (a closed port), as when Redis
    is down: `delay()` raises kombu's OperationalError after its short publish retries."""
    from config.celery_app import app

    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    _new_connections(app)
    try:
        yield
    finally:
        app.conf.broker_url = saved
        _new_connections(app)


def _new_connections(app) -> None:
    app._pool = None
    app.amqp._producer_pool = None
