from accounts.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import the department tree from a CSV or XLSX file (all or nothing; --dry-run)."
    kind = "departments"
