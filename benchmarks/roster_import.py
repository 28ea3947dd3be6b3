"""A 50,000-row roster import through the job the Celery task runs: wall time and peak memory.

    .venv/bin/python benchmarks/roster_import.py [--rows 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python \
        benchmarks/roster_import.py

Without DATABASE_URL it uses a throw-away SQLite file. It builds 200 departments and one job
role, writes the roster as payroll would (a Windows-1252 CSV with semicolons and Spanish
headers, and the same rows as XLSX), and times, each through `preview_job` then `apply_job`
(what `accounts.preview_import` and `accounts.apply_import` call):

1. the CSV: preview, then the first import (every row new);
2. the same CSV again (every row unchanged: only the preview's work);
3. the XLSX with every tenth person deactivated.

Peak memory is the process's maximum resident set size (ru_maxrss) after each step, and the
growth over the baseline measured once Django is loaded.
"""

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="roster-bench-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["MEDIA_ROOT"] = str(WORK / "media")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

HEADERS = ["Número de empleado", "Nombre completo", "Correo electrónico", "Teléfono",
           "Dependencia", "Rol", "Puesto", "Activo"]  # fmt: skip


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def roster(rows: int, *, deactivate_every: int = 0) -> list[list]:
    names = ["José Núñez", "María Güemes", "Íñigo Peña", "Ana López", "Luis Pérez"]
    return [
        [
            f"{n:06d}",
            f"{names[n % 5]} {n}",
            f"persona{n}@example.gob.mx",
            f"33{n:08d}",
            f"DEP{n % 200:03d}",
            "GEN",
            "Auxiliar administrativo",
            "0" if deactivate_every and n % deactivate_every == 0 else "1",
        ]
        for n in range(rows)
    ]


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252")


def as_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(name: str, data: bytes) -> None:
    from accounts.imports.jobs import apply_job, preview_job
    from accounts.models import ImportJob

    job = ImportJob(kind="roster", file_name=name)
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    started = time.perf_counter()
    preview_job(job_id=job.pk)
    previewed = time.perf_counter()
    job.refresh_from_db()
    assert job.status == "previewed", (job.status, job.problems[:3])
    ImportJob.objects.filter(pk=job.pk).update(status="applying")
    apply_job(job_id=job.pk)
    done = time.perf_counter()
    job.refresh_from_db()
    assert job.status == "done", job.status
    print(
        f"{name:28} {len(data) / 1e6:6.1f} MB  preview {previewed - started:6.1f} s  "
        f"preview+import {done - started:6.1f} s  peak RSS {rss_mb():6.0f} MB  {job.counts}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    rows = parser.parse_args().rows
    call_command("migrate", verbosity=0)
    from accounts.models import Department, Employee, JobRole

    Employee.objects.all().delete()
    JobRole.objects.get_or_create(code="GEN", defaults={"name": "General"})
    for n in range(200):
        Department.objects.get_or_create(code=f"DEP{n:03d}", defaults={"name": f"Dirección {n}"})
    first = as_csv(roster(rows))
    later = as_xlsx(roster(rows, deactivate_every=10))
    base = rss_mb()
    print(f"{os.environ['DATABASE_URL'].split(':')[0]}, {rows} rows; baseline RSS {base:.0f} MB")
    run("roster.csv (all new)", first)
    run("roster.csv (unchanged)", first)
    run("roster.xlsx (10% leave)", later)
    print(f"peak RSS growth over baseline: {rss_mb() - base:.0f} MB")


if __name__ == "__main__":
    main()
