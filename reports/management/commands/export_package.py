from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diagnostic.models import Campaign
from reports.exports.recording import record_export
from reports.packages import build_package


class Command(BaseCommand):
    help = "Write a campaign's data package (zip with datapackage.json), or list campaign codes."

    def add_arguments(self, parser):
        parser.add_argument("campaign", nargs="?", help="campaign code")
        parser.add_argument("--out", help="the zip file to write")
        parser.add_argument(
            "--open-data", action="store_true", help="leave out answers.csv and scores.csv"
        )
        parser.add_argument("--list", action="store_true", help="print campaign codes")

    def handle(self, *args, campaign, out, open_data, list, **options):
        if list:
            for code in Campaign.objects.order_by("code").values_list("code", flat=True):
                self.stdout.write(code)
            return
        if not campaign or not out:
            raise CommandError("Give a campaign code and --out FILE (or --list).")
        try:
            found = Campaign.objects.select_related("framework").get(code=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"No campaign with code {campaign!r}; see --list.") from exc
        with Path(out).open("wb") as stream:
            rows = build_package(campaign=found, stream=stream, open_data=open_data)
        record_export(
            campaign=found,
            what="package-open-data" if open_data else "package",
            rows=rows,
            file_format="zip",
            username="manage.py export_package",
        )
        self.stdout.write(self.style.SUCCESS(f"{out}: {rows} rows"))
