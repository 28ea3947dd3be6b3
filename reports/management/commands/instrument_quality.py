from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diagnostic.models import Campaign
from reports.models import QualitySnapshot
from reports.quality.files import write_quality_files
from reports.quality.snapshots import MIN_RESPONSES, quality_build


class Command(BaseCommand):
    help = "Compute a campaign's instrument quality; write reliability.csv and items.csv."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")
        parser.add_argument("--out", required=True, help="the directory to write the files in")

    def handle(self, *args, campaign, out, **options):
        try:
            found = Campaign.objects.get(code=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"No campaign with code {campaign!r}.") from exc
        snapshot = QualitySnapshot.objects.create(campaign=found)
        snapshot = quality_build(snapshot_id=snapshot.pk)
        if snapshot.status != QualitySnapshot.Status.DONE:
            raise CommandError(f"The computation failed: {snapshot.error}")
        if snapshot.responses < MIN_RESPONSES:
            raise CommandError(
                f"{found.code} has {snapshot.responses} submitted responses; instrument quality "
                f"needs at least {MIN_RESPONSES}. No file was written."
            )
        for path in write_quality_files(snapshot=snapshot, directory=Path(out)):
            self.stdout.write(self.style.SUCCESS(str(path)))
