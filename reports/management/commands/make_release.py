from django.core.management.base import BaseCommand, CommandError

from diagnostic.models import Campaign
from reports.releases import release_build, release_for_hr


class Command(BaseCommand):
    help = "Make a release of a campaign now, as HR's button does (interim while it is open)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="campaign code")

    def handle(self, *args, campaign, **options):
        try:
            found = Campaign.objects.select_related("framework").get(code=campaign)
        except Campaign.DoesNotExist as exc:
            raise CommandError(f"No campaign with code {campaign!r}.") from exc
        requested = release_for_hr(campaign=found, made_by=None)
        # Built here rather than by the worker, so the command can say how it went; the task
        # queued on commit then finds it built and leaves it alone.
        release = release_build(release_id=requested.pk)
        if release.status != release.Status.DONE:
            raise CommandError(f"Release {release.number} failed: {release.error}")
        self.stdout.write(
            self.style.SUCCESS(f"{found.code}: release {release.number} ({release.kind})")
        )
