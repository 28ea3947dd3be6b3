from django.core.management.base import BaseCommand, CommandError

from diagnostic.assessment.retention import purge_individual_data


class Command(BaseCommand):
    help = (
        "Remove the answers and scores of campaigns closed more than MONTHS months ago, "
        "keeping releases and reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="MONTHS")
        parser.add_argument("--dry-run", action="store_true", help="Count, remove nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 month.")
        counts = purge_individual_data(older_than_months=older_than, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {counts.answers} answers and {counts.scores} scores "
            f"({counts.responses} responses) of {counts.campaigns} campaigns closed more than "
            f"{older_than} months ago."
        )
