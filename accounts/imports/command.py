"""What `import_roster` and `import_departments` share: the page's own read, plan and apply,
run in the foreground, printing the preview and the same messages, exiting non-zero on
refusal."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ..exceptions import AccountsError, ImportRefused
from . import jobs


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only")

    def handle(self, *args, file, dry_run=False, create_departments=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with path.open("rb") as stream:
                plan = jobs.read_plan(
                    kind=self.kind,
                    file=stream,
                    file_name=path.name,
                    create_departments=create_departments,
                )
            if plan.problems:
                raise ImportRefused(*plan.problems)
            if dry_run:
                self.preview(plan)
            counts = plan.counts() if dry_run else jobs.apply(kind=self.kind, plan=plan)
        except AccountsError as error:
            raise CommandError(
                "\n".join(f"{path.name}: {message}" for message in error.messages)
            ) from None
        summary = ", ".join(f"{name} {value}" for name, value in counts.items())
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {path.name}: {summary}"))

    def preview(self, plan) -> None:
        for kind, rows in plan.samples.items():
            for row in rows:
                self.stdout.write(f"{kind}: row {row['row']} {row['code']} {row['name']}")
