from accounts.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import the roster from a CSV or XLSX file (all or nothing; --dry-run to preview)."
    kind = "roster"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help="Create the departments the file names and the tree lacks",
        )
