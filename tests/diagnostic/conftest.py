import pytest
from django.utils import translation

from diagnostic.framework_store import load_framework

from .documents import small_document


@pytest.fixture
def english():
    """Messages checked in English (the source language); Spanish is tested on pages."""
    with translation.override("en"):
        yield


@pytest.fixture
def published(db):
    """A small published framework version loaded from its document."""
    return load_framework(document=small_document()).framework


@pytest.fixture
def draft(db):
    return load_framework(document=small_document(code="borrador", status="draft")).framework
