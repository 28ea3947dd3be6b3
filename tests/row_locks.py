"""Tests of two transactions at once need a database whose row locks make the second wait
(PostgreSQL, CI's second run); SQLite's in-memory test database refuses concurrent writers
instead. CI fails on any skip in that run, so these always run there."""

import pytest
from django.db import connection

needs_row_locks = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="row locking needs PostgreSQL (DATABASE_URL); CI's second run has it",
    ),
]
