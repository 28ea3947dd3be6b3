from django.core.management.base import BaseCommand, CommandError

from diagnostic.exceptions import FrameworkError, error_lines
from diagnostic.framework.store import DEFAULT_FRAMEWORK_PATH, load_framework_file

OUTCOMES = {
    "created": "loaded as a new version",
    "unchanged": "already loaded, nothing changed",
    "replaced": "draft content replaced",
}


class Command(BaseCommand):
    help = (
        "Load a skills framework file (default: the shipped city framework). Loading the same "
        "file twice changes nothing; different content over a published version is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FRAMEWORK_PATH))

    def handle(self, *args, path, **options):
        try:
            result = load_framework_file(path=path)
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file") from exc
        except FrameworkError as exc:
            lines = error_lines(exc, limit=len(exc.messages))
            raise CommandError("\n".join([f"{path}:", *(f"  {line}" for line in lines)])) from exc
        framework = result.framework
        self.stdout.write(
            self.style.SUCCESS(
                f"{framework.code} v{framework.version} ({framework.status}): "
                f"{OUTCOMES[result.outcome]}; job roles created {result.roles_created}, "
                f"updated {result.roles_updated}."
            )
        )
