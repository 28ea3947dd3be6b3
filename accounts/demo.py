"""A small demo organisation for trying the site (see `manage.py seed_demo`)."""

import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Department, Employee, JobRole, User
from .roles import HR_GROUP

DEMO_ROLES = [
    ("GEN", "Personal general", "General staff"),
    ("DIR", "Mando o tomador de decisiones", "Manager or decision maker"),
    ("ANA", "Analista de datos o desempeño", "Data or performance analyst"),
    ("GOB", "Enlace de datos", "Data steward"),
    ("ING", "TI e ingeniería de datos", "IT and data engineering"),
    ("COM", "Comunicación y datos abiertos", "Communications and open data"),
]

# How common each job role is in the demo's workforce.
ROLE_WEIGHTS = {"GEN": 60, "DIR": 10, "ANA": 10, "GOB": 8, "ING": 6, "COM": 6}

DEMO_DEPARTMENTS = [
    ("MUN", "Gobierno Municipal", None),
    ("OBRAS", "Obras Públicas", "MUN"),
    ("BIENESTAR", "Bienestar Social", "MUN"),
    ("TESORERIA", "Tesorería", "MUN"),
    ("INNOVACION", "Innovación Gubernamental", "MUN"),
]

FIRST_NAMES = [
    "María",
    "José",
    "Guadalupe",
    "Juan",
    "Ana",
    "Luis",
    "Rosa",
    "Carlos",
    "Sofía",
    "Miguel",
    "Fernanda",
    "Jorge",
    "Valeria",
    "Ricardo",
    "Daniela",
]
LAST_NAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
]


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


DEMO_ACCOUNTS = [
    DemoAccount("employee", "empleado@demo.gob.mx", "demo-empleado"),
    DemoAccount("manager", "director@demo.gob.mx", "demo-director"),
    DemoAccount("hr", "rh@demo.gob.mx", "demo-rh"),
    DemoAccount("admin", "admin@demo.gob.mx", "demo-admin"),
]


def ensure_roles() -> dict[str, JobRole]:
    roles = {}
    for code, name_es, name_en in DEMO_ROLES:
        role, _ = JobRole.objects.update_or_create(
            code=code, defaults={"name_es_mx": name_es, "name_en": name_en}
        )
        roles[code] = role
    return roles


def ensure_departments() -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for code, name, parent_code in DEMO_DEPARTMENTS:
        department, _ = Department.objects.update_or_create(
            code=code,
            defaults={"name": name, "parent": departments.get(parent_code)},
        )
        departments[code] = department
    return departments


def ensure_account(account: DemoAccount, **fields) -> User:
    user, _ = User.objects.get_or_create(email=account.email, defaults=fields)
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(account.password)
    user.is_active = True
    user.save()
    return user


@transaction.atomic
def seed_demo(*, employees: int = 30, seed: int = 2026) -> list[DemoAccount]:
    """Create (or bring back to its known state) the demo organisation and accounts."""
    rng = random.Random(seed)
    roles = ensure_roles()
    departments = ensure_departments()
    units = [d for code, d in departments.items() if code != "MUN"]
    for number in range(1, employees + 1):
        role_code = rng.choices(list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values()))[0]
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
        Employee.objects.update_or_create(
            employee_number=f"E{number:05d}",
            defaults={
                "full_name": name,
                "email": f"e{number:05d}@demo.gob.mx",
                "department": units[(number - 1) % len(units)],
                "job_role": roles[role_code],
                "position": roles[role_code].name_es_mx,
                "active": True,
            },
        )

    accounts = {account.role: account for account in DEMO_ACCOUNTS}
    employee_user = ensure_account(accounts["employee"], first_name="Lucía", last_name="Ramírez")
    Employee.objects.update_or_create(
        employee_number="E00000",
        defaults={
            "full_name": "Lucía Ramírez Torres",
            "email": accounts["employee"].email,
            "department": departments["OBRAS"],
            "job_role": roles["GEN"],
            "position": "Auxiliar administrativa",
            "user": employee_user,
            "active": True,
        },
    )
    manager = ensure_account(accounts["manager"], first_name="Arturo", last_name="Núñez")
    departments["OBRAS"].managers.set([manager])
    hr = ensure_account(accounts["hr"], first_name="Patricia", last_name="Vega", is_staff=True)
    hr.groups.add(Group.objects.get(name=HR_GROUP))
    ensure_account(accounts["admin"], is_staff=True, is_superuser=True)
    return DEMO_ACCOUNTS
