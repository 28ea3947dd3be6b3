from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from diagnostic.framework.store import export_framework
from diagnostic.models import Framework


class Command(BaseCommand):
    help = "Write one framework version in the framework text format (YAML)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("version", type=int)
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, code, version, out, **options):
        framework = Framework.objects.filter(code=code, version=version).first()
        if framework is None:
            raise CommandError(f"No framework {code} version {version}.")
        text = export_framework(framework=framework)
        if out:
            Path(out).write_text(text, encoding="utf-8", newline="\n")
            self.stderr.write(f"Wrote {code} v{version} to {out}.")
        else:
            self.stdout.write(text, ending="")
