import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages checked in English (the source language); Spanish is tested on pages."""
    with translation.override("en"):
        yield
