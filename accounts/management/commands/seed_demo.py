from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo organisation and the demo accounts, and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=30)

    def handle(self, *args, employees, **options):
        accounts = seed_demo(employees=employees)
        # By name, not by import: accounts never imports from diagnostic.
        call_command("load_framework", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Sign in with:"))
        for account in accounts:
            self.stdout.write(f"  {account.role:<9} {account.email:<24} {account.password}")
