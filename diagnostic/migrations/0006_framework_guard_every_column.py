"""The PostgreSQL guard of diagnostic_framework (0004) let raw SQL change `published_at` and
`id` of a published version, which the models refuse: only `status` may change on a locked
row (published <-> retired), as diagnostic/framework/immutability.py says. This replaces the
guard function with one that watches every other column.

tests/diagnostic/framework/test_trigger_coverage.py fails when a column or a content model is
added without a migration like this one. SQLite has the models' guards only (see 0004).
"""

from django.db import migrations

LOCKED = "('published', 'retired')"
# Frozen copies, as a migration must keep them: every column of diagnostic_framework but status.
EVERY_COLUMN_BUT_STATUS = [
    "id",
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
    "published_at",
]
COLUMNS_OF_0004 = [c for c in EVERY_COLUMN_BUT_STATUS if c not in ("id", "published_at")]


def guard_function(columns: list[str]) -> str:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    return f"""
CREATE OR REPLACE FUNCTION diagnostic_framework_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN {LOCKED} THEN
        IF TG_OP = 'DELETE' OR {changed} THEN
            RAISE EXCEPTION 'framework version % is published and cannot change', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def replace(columns: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(guard_function(columns), params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("diagnostic", "0005_invitation_declined_at")]

    operations = [
        migrations.RunPython(replace(EVERY_COLUMN_BUT_STATUS), replace(COLUMNS_OF_0004)),
    ]
