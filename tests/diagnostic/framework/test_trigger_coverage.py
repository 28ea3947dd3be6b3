"""The PostgreSQL guard triggers cover every framework-content model and every column of a
locked version, as the models define them today.

A migration keeps a frozen copy of the tables and columns it protects, so a content model or a
column added later is unprotected below the ORM until a new migration says so: these tests
fail until it does. The migrations' SQL is generated and parsed here, so the check runs on
SQLite too; on PostgreSQL the installed triggers (pg_trigger) are checked the same way.
"""

import inspect
import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from diagnostic.framework.immutability import LOCKED_STATUSES, MUTABLE_FIELDS
from diagnostic.models import Framework, FrameworkContent

LOCKED_SQL = "IN (" + ", ".join(f"'{status}'" for status in LOCKED_STATUSES) + ")"
EVENTS = {"INSERT", "UPDATE", "DELETE"}


def content_models() -> list:
    models = [m for m in apps.get_models() if issubclass(m, FrameworkContent)]
    assert len(models) >= 7, "the enumeration of content models found too few"
    return models


def framework_expression(model, row: str) -> str:
    """The SQL that finds the framework id of a `row` (OLD or NEW) of `model`, read from the
    model's FRAMEWORK_PATH and foreign keys."""
    first, *rest = model.FRAMEWORK_PATH.split("__")
    column = model._meta.get_field(first).column
    if not rest:
        return f"{row}.{column}"
    assert len(rest) == 1, f"{model.__name__}: a deeper path needs a trigger expression of its own"
    parent = model._meta.get_field(first).related_model
    parent_column = parent._meta.get_field(rest[0]).column
    # Text to look for in the trigger's source, never executed.
    return f"(SELECT {parent_column} FROM {parent._meta.db_table} WHERE id = {row}.{column})"  # noqa: S608


def locked_framework_columns() -> set[str]:
    return {field.column for field in Framework._meta.concrete_fields} - MUTABLE_FIELDS


# --- where the triggers are read from: the migrations' SQL, or PostgreSQL's catalogue -------


class RecordingEditor:
    """Stands in for a PostgreSQL schema editor and keeps the SQL a migration runs."""

    class connection:
        vendor = "postgresql"

    def __init__(self):
        self.statements: list[str] = []

    def execute(self, sql, params=None):
        self.statements.append(sql)


def migrations_sql() -> str:
    """The SQL of every diagnostic migration that writes triggers, in migration order."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaf = loader.graph.leaf_nodes("diagnostic")[0]
    editor = RecordingEditor()
    for app_label, name in loader.graph.forwards_plan(leaf):
        migration = loader.graph.nodes[(app_label, name)]
        source = inspect.getsource(inspect.getmodule(migration))
        if app_label != "diagnostic" or "RETURNS trigger" not in source:
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, editor)
    return "\n".join(editor.statements)


def triggers_from_migrations() -> dict[str, tuple[set[str], str]]:
    """table -> (events the trigger fires on, body of the function it runs); a later
    CREATE OR REPLACE FUNCTION replaces an earlier one."""
    sql = migrations_sql()
    bodies = dict(
        re.findall(
            r"CREATE OR REPLACE FUNCTION (\w+)\(\) RETURNS trigger AS \$\$(.*?)\$\$", sql, re.S
        )
    )
    triggers = {}
    for events, table, function in re.findall(
        r"CREATE TRIGGER \w+ BEFORE ([A-Z ]+?) ON (\w+)\s+FOR EACH ROW EXECUTE FUNCTION (\w+)\(\)",
        sql,
    ):
        triggers[table] = (set(events.split(" OR ")), bodies[function])
    return triggers


def triggers_from_postgresql() -> dict[str, tuple[set[str], str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgtype, p.prosrc FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal"
        )
        rows = cursor.fetchall()
    triggers = {}
    for table, tgtype, body in rows:
        # pg_trigger.tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update.
        assert tgtype & 1 and tgtype & 2, f"{table}: the guard must run before each row"
        events = {
            name for bit, name in ((4, "INSERT"), (8, "DELETE"), (16, "UPDATE")) if tgtype & bit
        }
        triggers[table] = (events, body)
    return triggers


SOURCES = {
    "migrations": triggers_from_migrations,
    "postgresql": triggers_from_postgresql,
}


# The database is declared, not asked for inside the fixture: a test that reaches it only through
# `getfixturevalue("db")` is scheduled among the tests without a database, after the browser
# tests, and the connection it opens there outlives the session (PostgreSQL then refuses to drop
# the test database).
pytestmark = pytest.mark.django_db


@pytest.fixture(params=list(SOURCES))
def triggers(request):
    if request.param == "postgresql" and connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")
    return SOURCES[request.param]()


# --- the checks ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", content_models(), ids=lambda m: m.__name__)
def test_every_content_model_is_guarded_on_every_write_of_any_column(model, triggers):
    table = model._meta.db_table
    assert table in triggers, f"{table} has no guard trigger"
    events, body = triggers[table]
    assert events == EVENTS
    for row in ("OLD", "NEW"):
        # The version the row belonged to before the write, and the one it belongs to after.
        assert f"f.id = {framework_expression(model, row)} AND f.status {LOCKED_SQL}" in body
    # The guard refuses any change of the row, not a list of columns that could fall behind.
    assert "IS DISTINCT FROM" not in body


def test_a_locked_framework_row_keeps_every_column_but_its_status(triggers):
    table = Framework._meta.db_table
    assert table in triggers, f"{table} has no guard trigger"
    events, body = triggers[table]
    assert {"UPDATE", "DELETE"} <= events
    assert f"OLD.status {LOCKED_SQL}" in body
    guarded = set(re.findall(r"NEW\.(\w+) IS DISTINCT FROM OLD\.\1", body))
    assert guarded == locked_framework_columns()
