"""PostgreSQL triggers that refuse writes to a published (or retired) framework version, below
the ORM: raw SQL and other programs cannot change one either. The models' guards
(diagnostic/framework_querysets.py) say the same with a named exception on every database;
SQLite has only those, because Django flushes SQLite test databases row by row.

A locked row of diagnostic_framework may still change its status (published <-> retired);
its content columns and its rows of content may not.
"""

from django.db import migrations

LOCKED = "('published', 'retired')"
# table -> SQL giving the framework id of a row (`{row}` is OLD or NEW)
CONTENT_TABLES = {
    "diagnostic_proficiencylevel": "{row}.framework_id",
    "diagnostic_area": "{row}.framework_id",
    "diagnostic_competency": "{row}.framework_id",
    "diagnostic_question": "{row}.framework_id",
    "diagnostic_roletarget": "{row}.framework_id",
    "diagnostic_leveldescriptor": (
        "(SELECT framework_id FROM diagnostic_competency WHERE id = {row}.competency_id)"
    ),
    "diagnostic_option": "(SELECT framework_id FROM diagnostic_question WHERE id = {row}.question_id)",
}
FRAMEWORK_CONTENT_COLUMNS = [
    "code",
    "version",
    "name",
    "name_es_mx",
    "name_en",
    "description",
    "description_es_mx",
    "description_en",
    "knowledge_weight",
    "created_at",
]
RAISE = (
    "RAISE EXCEPTION 'framework version % is published and cannot change', {framework} "
    "USING ERRCODE = 'integrity_constraint_violation';"
)


def locked(framework: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM diagnostic_framework f WHERE f.id = {framework} "
        f"AND f.status IN {LOCKED})"
    )


def content_trigger(table: str, expression: str) -> str:
    old, new = expression.format(row="OLD"), expression.format(row="NEW")
    return f"""
CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF {locked(old)} THEN {RAISE.format(framework=old)} END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        IF {locked(new)} THEN {RAISE.format(framework=new)} END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_guard();
"""


def framework_trigger() -> str:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FRAMEWORK_CONTENT_COLUMNS)
    return f"""
CREATE OR REPLACE FUNCTION diagnostic_framework_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN {LOCKED} THEN
        IF TG_OP = 'DELETE' OR {changed} THEN {RAISE.format(framework="OLD.id")} END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER diagnostic_framework_guard BEFORE UPDATE OR DELETE ON diagnostic_framework
    FOR EACH ROW EXECUTE FUNCTION diagnostic_framework_guard();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, expression in CONTENT_TABLES.items():
        schema_editor.execute(content_trigger(table, expression), params=None)
    schema_editor.execute(framework_trigger(), params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in [*CONTENT_TABLES, "diagnostic_framework"]:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_guard();")


class Migration(migrations.Migration):
    dependencies = [("diagnostic", "0003_default_privacy_notice")]

    operations = [migrations.RunPython(create, drop)]
