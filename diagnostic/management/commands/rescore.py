from django.core.management.base import BaseCommand, CommandError

from diagnostic.assessment.scoring import score_response
from diagnostic.models import Campaign, Response


class Command(BaseCommand):
    help = "Recompute the stored scores of submitted responses (all, or one campaign's)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", help="code of the campaign to rescore")

    def handle(self, *args, campaign=None, **options):
        responses = Response.objects.submitted().order_by("pk")
        if campaign:
            if not Campaign.objects.filter(code=campaign).exists():
                raise CommandError(f"No campaign with code {campaign!r}.")
            responses = responses.filter(invitation__campaign__code=campaign)
        count = 0
        for pk in responses.values_list("pk", flat=True).iterator():
            score_response(response=Response(pk=pk))
            count += 1
        self.stdout.write(f"Rescored {count} responses.")
