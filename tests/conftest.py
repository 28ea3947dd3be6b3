"""Standing fixtures: a small department tree and one user for every role.

CITY
├── WORKS            (managed by `manager`; `employee` works here)
│   └── ROADS
│       └── POTHOLES (three levels down, to test deep subtrees)
└── WELFARE          (managed by `outsider_manager`; `other_employee` works here)
"""

import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache

from .factories import (
    DepartmentFactory,
    EmployeeFactory,
    JobRoleFactory,
    UserFactory,
    framework_editor,
    hr_user,
)

pytest_plugins = ["tests.celery_worker", "tests.diagnostic.campaigns.fixtures"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # In parallel runs (make test, CI) the tests with real Celery workers all run in one
    # process, one after another, as they were written to: a fault test stops and kills workers.
    for item in items:
        if item.get_closest_marker("worker") is not None:
            item.add_marker(pytest.mark.xdist_group("celery-worker"))


@pytest.fixture(autouse=True)
def _test_settings(settings, request):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate limits count in the cache: one test's attempts must not refuse the next test.
    cache.clear()
    # Only tests marked `worker` send tasks to a real broker; the rest run them in process.
    if request.node.get_closest_marker("worker") is None:
        settings.CELERY_TASK_ALWAYS_EAGER = True
        from config.celery_app import app

        app.conf.task_always_eager = True


@pytest.fixture
def tree(db):
    city = DepartmentFactory(code="CITY", name="Gobierno Municipal")
    works = DepartmentFactory(code="WORKS", name="Obras Públicas", parent=city)
    roads = DepartmentFactory(code="ROADS", name="Vialidades", parent=works)
    potholes = DepartmentFactory(code="POTHOLES", name="Baches", parent=roads)
    welfare = DepartmentFactory(code="WELFARE", name="Bienestar", parent=city)
    return {d.code: d for d in (city, works, roads, potholes, welfare)}


@pytest.fixture
def general_role(db):
    return JobRoleFactory(code="GEN", name_es_mx="Personal general", name_en="General staff")


@pytest.fixture
def employee(tree, general_role):
    user = UserFactory(email="employee@example.gob.mx")
    EmployeeFactory(user=user, department=tree["WORKS"], job_role=general_role, email=user.email)
    return user


@pytest.fixture
def other_employee(tree, general_role):
    user = UserFactory(email="other@example.gob.mx")
    EmployeeFactory(user=user, department=tree["WELFARE"], job_role=general_role, email=user.email)
    return user


@pytest.fixture
def manager(tree):
    user = UserFactory(email="manager@example.gob.mx")
    tree["WORKS"].managers.add(user)
    return user


@pytest.fixture
def outsider_manager(tree):
    user = UserFactory(email="outsider@example.gob.mx")
    tree["WELFARE"].managers.add(user)
    return user


@pytest.fixture
def hr(db):
    return hr_user(email="hr@example.gob.mx")


@pytest.fixture
def identified_exporter(db):
    """HR who may also export identified data (not one of ROLES: the matrices use `hr`)."""
    user = hr_user(email="exporter@example.gob.mx")
    user.user_permissions.add(Permission.objects.get(codename="export_identified"))
    return user


@pytest.fixture
def editor(db):
    return framework_editor(email="editor@example.gob.mx")


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.gob.mx", is_staff=True, is_superuser=True)


@pytest.fixture
def anonymous():
    return None


ROLES = [
    "anonymous",
    "employee",
    "other_employee",
    "manager",
    "outsider_manager",
    "hr",
    "editor",
    "admin_user",
]


@pytest.fixture
def client_as(client, request):
    """A test client signed in as the named role fixture (or anonymous)."""

    def sign_in(role_name: str):
        user = request.getfixturevalue(role_name)
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def chromium_path() -> str | None:
    return shutil.which("chromium", path="/usr/bin") or getattr(settings, "CHROMIUM_PATH", None)
