from django.core.management.base import BaseCommand

from reports.demo import demo_results, seed_demo_city


class Command(BaseCommand):
    help = (
        "Create the demo city (departments, employees, a closed and an open campaign with "
        "answers) and the demo accounts, and print how to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, employees, seed, **options):
        accounts = seed_demo_city(employees=employees, seed=seed)
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Sign in with:"))
        for account in accounts:
            self.stdout.write(f"  {account.role:<9} {account.email:<24} {account.password}")
        results = demo_results()
        if results is not None:
            self.stdout.write(f"Results code of the employee's answers to {results.campaign}:")
            self.stdout.write(f"  {results.code}  {results.link}")
