"""Framework versions for the framework tests, imported by the modules that use them (the
campaign tests have a `draft` fixture of their own: a draft campaign)."""

import pytest

from diagnostic.framework.store import load_framework

from .documents import small_document


@pytest.fixture
def published(db):
    """A small published framework version loaded from its document."""
    return load_framework(document=small_document()).framework


@pytest.fixture
def draft(db):
    return load_framework(document=small_document(code="borrador", status="draft")).framework
