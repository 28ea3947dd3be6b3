from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diagnostic.models import Campaign
from reports.exports.campaign import ReleaseExporter
from reports.exports.recording import record_export
from reports.exports.writers import write_csv


class Command(BaseCommand):
    help = "Write release.csv: every release of a campaign, exactly what managers can read."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("--out", required=True, help="the CSV file to write")

    def handle(self, *args, campaign, out, **options):
        try:
            found = Campaign.objects.get(code=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"No campaign with code {campaign!r}.") from exc
        exporter = ReleaseExporter(campaign=found)
        with Path(out).open("w", encoding="utf-8", newline="") as stream:
            rows = write_csv(exporter.headers, exporter.rows(), stream)
        record_export(
            campaign=found, what=exporter.name, rows=rows, username="manage.py export_release"
        )
        self.stdout.write(self.style.SUCCESS(f"{out}: {rows} rows"))
