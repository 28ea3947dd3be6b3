"""On PostgreSQL, triggers refuse writes to a published version even from raw SQL."""

import pytest
from django.db import IntegrityError, connection, transaction

from diagnostic.models import Framework

from .fixtures import draft, published  # noqa: F401 (fixtures)
from .test_immutability import CONTENT_MODELS, row_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
    ),
]


def refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except IntegrityError as exc:
        return "is published and cannot change" in str(exc)
    return False


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_raw_sql_cannot_update_or_delete_content_of_a_published_version(model, published):
    table = model._meta.db_table
    row = row_of(model, published)
    assert refused(f"UPDATE {table} SET id = id WHERE id = %s", [row.pk])  # noqa: S608
    assert refused(f"DELETE FROM {table} WHERE id = %s", [row.pk])  # noqa: S608
    assert model.objects.filter(pk=row.pk).exists()


def test_raw_sql_cannot_change_or_delete_a_published_framework_row(published):
    assert refused("UPDATE diagnostic_framework SET name_en = 'x' WHERE id = %s", [published.pk])
    assert refused(
        "UPDATE diagnostic_framework SET published_at = now() WHERE id = %s", [published.pk]
    )
    assert refused("DELETE FROM diagnostic_framework WHERE id = %s", [published.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE diagnostic_framework SET status = 'retired' WHERE id = %s", [published.pk]
        )
    assert Framework.objects.get(pk=published.pk).status == "retired"


def test_raw_sql_still_edits_drafts(draft):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE diagnostic_area SET name_en = 'x' WHERE framework_id = %s", [draft.pk]
        )
        cursor.execute(
            "DELETE FROM diagnostic_proficiencylevel WHERE framework_id = %s", [draft.pk]
        )
    assert not draft.levels.exists()
    assert set(draft.areas.values_list("name_en", flat=True)) == {"x"}
