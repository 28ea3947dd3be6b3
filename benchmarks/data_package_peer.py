"""The whole data package against django-survey-and-report's CSV export of the same
respondents x answers (issue 14: goal >= 50 times faster).

    .venv/bin/python -m benchmarks data_package_peer
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_package \
        .venv/bin/python -m benchmarks data_package_peer

Without DATABASE_URL both sides use SQLite files under .bench/data_package_peer/ (gitignored);
with a PostgreSQL DATABASE_URL ours uses that database and the peer its own one on the same
server (the name with `_peer` added, made anew each run).

1. Ours: the 1,000-employee demo city (`seed_demo`'s `seed_demo_city`, built once and reused);
   the campaign is the one with the most submitted responses (last year's).
2. The peer: its own virtual environment ($TMPDIR/peer-survey-venv, or BENCH_PEER_VENV; made
   once) with
   `django-survey-and-report==1.5.0` and the Django it pulls; minimal settings written to a
   temporary folder; its database migrated and loaded (benchmarks/peer_survey.py, run by the
   peer's Python) with the campaign's respondents and answers as answers.csv has them: one
   Survey, one Question per question, one User and Response per respondent (the pseudonym as
   user name), one Answer per answer.
3. Timed, BENCH_REPEATS times each (default 3), min and median: the peer's CSV export
   (`Survey2Csv(survey).generate_file()`, what its `exportresult --csv` runs), in its process;
   ours, what the HR download runs: `package_job_build` of a fresh ExportJob (the full package,
   pseudonymous: the zip built, saved to MEDIA_ROOT, the export recorded). The ratio is of the
   medians.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench" / "data_package_peer"
PEER = "django-survey-and-report==1.5.0"
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
GOAL = 50

PEER_SETTINGS = """
SECRET_KEY = "peer-benchmark"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "survey"]
DATABASES = {{"default": {database!r}}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
CSV_DIRECTORY = {csv_directory!r}
"""


def peer_python() -> Path:
    """The peer's virtual environment, made once, outside the tree (the structure tests walk
    the tree's packages, and the venv's site-packages would be among them)."""
    venv = Path(os.environ.get("BENCH_PEER_VENV", Path(tempfile.gettempdir()) / "peer-survey-venv"))
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PEER], check=True)
    return python


def peer_database(ours: dict) -> dict:
    """The peer's database settings: a fresh SQLite file, or a fresh database beside ours."""
    if ours["ENGINE"] != "django.db.backends.postgresql":
        path = WORK / "peer.sqlite3"
        path.unlink(missing_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    import psycopg

    name = f"{ours['NAME']}_peer"
    server = {"host": ours["HOST"], "port": ours["PORT"] or 5432, "user": ours["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "HOST": ours["HOST"],
        "PORT": str(server["port"]),
        "USER": ours["USER"],
    }


def demo_campaign():
    """The demo city's campaign with the most submitted responses, the city built if absent."""
    from django.core.management import call_command
    from django.db.models import Count, Q

    from diagnostic.models import Campaign
    from reports.demo import seed_demo_city

    call_command("migrate", verbosity=0)
    if not Campaign.objects.exists():
        started = time.perf_counter()
        seed_demo_city(employees=1000)
        print(f"set-up: demo city of 1,000 employees in {time.perf_counter() - started:.0f} s")
    return (
        Campaign.objects.annotate(
            submitted=Count(
                "invitations", filter=Q(invitations__response__submitted_at__isnull=False)
            )
        )
        .select_related("framework")
        .order_by("-submitted", "code")
        .first()
    )


def peer_data(campaign) -> dict:
    """The campaign's respondents x answers as answers.csv has them (AnswersExporter)."""
    from diagnostic.models import Option, Question
    from reports.exports.campaign import AnswersExporter

    choices: dict[int, list[str]] = {}
    for question, code in Option.objects.filter(
        question__framework_id=campaign.framework_id
    ).values_list("question_id", "code"):
        choices.setdefault(question, []).append(code)
    questions = [
        {"code": code, "text": text, "choices": choices.get(pk, []) if kind == "knowledge" else []}
        for pk, code, text, kind in Question.objects.filter(framework_id=campaign.framework_id)
        .order_by("code")
        .values_list("pk", "code", "text", "kind")
    ]
    responses: list[dict] = []
    for respondent, _, _, question, _, _, value, *_ in AnswersExporter(campaign=campaign).rows():
        if not responses or responses[-1]["respondent"] != respondent:
            responses.append({"respondent": respondent, "answers": []})
        responses[-1]["answers"].append([question, None if value is None else str(value)])
    return {"name": campaign.name, "questions": questions, "responses": responses}


def run_peer(campaign) -> dict:
    from django.db import connection

    python = peer_python()
    folder = Path(tempfile.mkdtemp(prefix="peer-survey-"))
    try:
        (folder / "csv").mkdir()
        database = peer_database(connection.settings_dict)
        settings = PEER_SETTINGS.format(database=database, csv_directory=str(folder / "csv"))
        (folder / "peer_settings.py").write_text(settings, encoding="utf-8")
        if database["ENGINE"].endswith("postgresql"):
            subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "psycopg[binary]==3.3.9"], check=True
            )
        data = folder / "data.json"
        data.write_text(json.dumps(peer_data(campaign), ensure_ascii=False), encoding="utf-8")
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(folder),
            "DJANGO_SETTINGS_MODULE": "peer_settings",
        }
        script = [str(python), str(Path(__file__).with_name("peer_survey.py"))]
        started = time.perf_counter()
        loaded = subprocess.run(
            [*script, "load", str(data)], env=env, check=True, capture_output=True, text=True
        )
        print(f"peer loaded: {loaded.stdout.strip()} in {time.perf_counter() - started:.0f} s")
        exported = subprocess.run(
            [*script, "export", str(REPEATS)], env=env, check=True, capture_output=True, text=True
        )
        return json.loads(exported.stdout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_ours(campaign) -> dict:
    """`package_job_build` of a fresh full, pseudonymous job, REPEATS times."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import HR_GROUP
    from reports.models import ExportJob
    from reports.packages import package_job_build

    hr = User.objects.filter(groups__name=HR_GROUP).first() or User.objects.first()
    times = []
    for _ in range(REPEATS):
        job = ExportJob.objects.create(campaign=campaign, requested_by=hr)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            package_job_build(job_id=job.pk)
            times.append(time.perf_counter() - started)
        job.refresh_from_db()
    with job.file.open("rb") as stream, zipfile.ZipFile(stream) as archive:
        files = [(info.filename, info.file_size) for info in archive.infolist()]
    return {
        "times": times,
        "bytes": job.file.size,
        "rows": job.rows,
        "files": files,
        "queries": len(queries),
    }


def figures(times: list[float]) -> str:
    return f"min {min(times) * 1000:8.1f}  median {statistics.median(times) * 1000:8.1f} ms"


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'ours.sqlite3'}")
    os.environ.setdefault("MEDIA_ROOT", str(WORK / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # nothing is queued: the job runs here
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from diagnostic.models import Answer

    campaign = demo_campaign()
    respondents = campaign.submitted
    answers = Answer.objects.filter(
        response__invitation__campaign=campaign, response__submitted_at__isnull=False
    ).count()
    print(
        f"{connection.vendor}, campaign {campaign.code}: {respondents} respondents x "
        f"{answers // max(respondents, 1)} answers = {answers} answers; {REPEATS} runs each"
    )
    peer = run_peer(campaign)
    print(
        f"peer (Django {peer['django']}) CSV: {peer['lines']} lines, {peer['bytes']} bytes, "
        f"{peer['queries']} queries"
    )
    ours = run_ours(campaign)
    print(
        f"our package: {len(ours['files'])} files, {ours['bytes']} bytes zipped, "
        f"{ours['rows']} rows, {ours['queries']} queries"
    )
    for name, size in ours["files"]:
        print(f"  {name:<28} {size:>10} bytes")
    print(f"peer CSV export     : {figures(peer['times'])}")
    print(f"our data package    : {figures(ours['times'])}")
    ratio = statistics.median(peer["times"]) / statistics.median(ours["times"])
    verdict = "met" if ratio >= GOAL else "NOT met"
    print(f"ours is {ratio:.1f} times faster (medians); goal >= {GOAL}: {verdict}")


if __name__ == "__main__":
    main()
