import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS
from accounts.models import Department, Employee, User
from accounts.querysets import is_hr

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_organisation_and_prints_every_account(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.email in out and account.password in out
        assert User.objects.get(email=account.email).check_password(account.password)
    assert Department.objects.filter(depth=1).count() >= 2
    assert Department.objects.filter(depth=0).count() == 1
    assert Employee.objects.count() == 31


def test_seed_demo_gives_each_account_its_role():
    call_command("seed_demo")
    manager = User.objects.get(email="director@demo.gob.mx")
    assert manager.managed_departments.exists()
    assert is_hr(User.objects.get(email="rh@demo.gob.mx"))
    assert User.objects.get(email="admin@demo.gob.mx").is_superuser
    assert Employee.objects.get(user__email="empleado@demo.gob.mx").active


def test_seed_demo_can_run_twice():
    call_command("seed_demo")
    call_command("seed_demo")
    assert Employee.objects.count() == 31
    assert User.objects.count() == len(DEMO_ACCOUNTS)
