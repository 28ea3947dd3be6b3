"""How long launching a campaign takes for a big population, and what the HR pages cost.

    python -m benchmarks.launch --employees 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m benchmarks.launch

Runs in a throwaway test database (created and dropped here), with tasks in process and
e-mail kept in memory, and prints one line per measurement.
"""

import argparse
import datetime as dt
import io
import logging
import os
import time
from contextlib import contextmanager

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


@contextmanager
def timed(label: str, rows: int | None = None):
    start = time.perf_counter()
    yield
    seconds = time.perf_counter() - start
    rate = f"  ({rows / seconds:,.0f} rows/s)" if rows else ""
    print(f"{label:<40} {seconds:8.2f} s{rate}", flush=True)


def populate(employees: int, departments: int):
    from accounts.models import Department, Employee, JobRole
    from diagnostic.models import Campaign, Framework, PrivacyNotice

    root = Department.objects.create(code="MUN", name="Municipio")
    units = [
        Department(code=f"D{n:04d}", name=f"Área {n}", parent=root) for n in range(departments)
    ]
    for unit in units:
        unit.path = unit.computed_path()
        unit.depth = 1
    Department.objects.bulk_create(units)
    units = list(Department.objects.filter(depth=1))
    role = JobRole.objects.create(code="GEN", name="General")
    Employee.objects.bulk_create(
        (
            Employee(
                employee_number=f"E{n:07d}",
                full_name=f"Persona {n}",
                email=f"e{n}@example.gob.mx" if n % 5 else "",
                department=units[n % len(units)],
                job_role=role,
                language="en" if n % 10 == 0 else "es-mx",
            )
            for n in range(employees)
        ),
        batch_size=5000,
    )
    framework = Framework.objects.create(code="datos", name="Marco", status="published")
    if not PrivacyNotice.objects.exists():
        PrivacyNotice.objects.create(version=1, short_text="a", full_text="b")
    from django.utils import timezone

    campaign = Campaign.objects.create(
        code="bench",
        name="Bench",
        framework=framework,
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=7),
    )
    campaign.departments.set([root])
    return campaign


def run(employees: int, departments: int) -> None:
    from django.conf import settings
    from django.core import mail

    from accounts.models import User
    from config.celery_app import app
    from diagnostic.campaigns import lifecycle, links, mailing, participation

    # Queued tasks go to an in-memory broker nobody reads, so that each step is measured
    # on its own; the e-mail step calls the task body directly.
    app.conf.broker_url = "memory://"
    app.conf.task_always_eager = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    logging.getLogger("celery").setLevel(logging.WARNING)
    from django.db import connection

    print(f"{connection.vendor}, {employees:,} employees in {departments} departments")
    with timed("roster (bulk insert)", employees):
        campaign = populate(employees, departments)
    with timed("launch request (checks, lock)"):
        lifecycle.campaign_launch(campaign=campaign)
    with timed("make invitations (task body)", employees):
        made = lifecycle.invitations_make(campaign=campaign)
    pks = list(mailing.unsent_invitations(campaign=campaign).values_list("pk", flat=True))
    sample = pks[:1000]
    with timed(f"send {len(sample)} invitation e-mails", len(sample)):
        for pk in sample:
            mailing.send_invitation(invitation_id=pk)
    assert len(mail.outbox) == len(sample)
    with timed("participation figures"):
        participation.participation(campaign=campaign)
    with timed("links CSV", made):
        # An unsaved administrator: the HR pages' access rule needs no row to say yes.
        operator = User(is_superuser=True, is_active=True)
        links.write_links_csv(
            invitations=links.invitations_for_links(campaign=campaign, user=operator),
            stream=io.StringIO(),
        )
    with timed("due reminders (selection query)"):
        mailing.due_reminders().count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=20000)
    parser.add_argument("--departments", type=int, default=200)
    args = parser.parse_args()
    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args.employees, args.departments)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
