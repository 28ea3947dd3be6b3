"""The catalogue import from a shell: the page's own catalogue_preview and catalogue_import,
the same messages, non-zero exit on refusal. Nothing is written with --dry-run or on any
problem."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.plan.catalogue import Action, catalogue_import, catalogue_preview
from reports.plan.exceptions import PlanError


class Command(BaseCommand):
    help = "Import the training catalogue from a CSV or XLSX file (all or nothing; --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="Check and preview only")

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        data = path.read_bytes()
        try:
            if dry_run:
                preview = catalogue_preview(data=data, filename=path.name)
                if not preview.ok:
                    raise PlanError(*preview.errors)
                for row in preview.rows:
                    self.stdout.write(f"row {row.row} {row.code}: {row.action}")
            else:
                preview = catalogue_import(data=data, filename=path.name)
        except PlanError as error:
            raise CommandError("\n".join(str(m) for m in error.messages)) from None
        actions = (Action.NEW, Action.UPDATED, Action.NEW_VERSION, Action.UNCHANGED)
        summary = ", ".join(f"{a} {len(preview.of(a))}" for a in actions)
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {path.name}: {summary}"))
