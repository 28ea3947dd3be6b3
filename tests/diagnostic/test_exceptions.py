"""One base for every domain error, and one way to render its messages."""

import pytest

from diagnostic import exceptions
from diagnostic.exceptions import DiagnosticError, FrameworkValidationError, error_lines


def test_every_domain_error_derives_from_one_base_and_is_named_error():
    classes = [
        value
        for value in vars(exceptions).values()
        if isinstance(value, type) and issubclass(value, Exception)
    ]
    assert len(classes) > 15
    for cls in classes:
        assert issubclass(cls, DiagnosticError), cls
        assert cls.__name__.endswith("Error"), cls


def test_an_error_without_messages_carries_its_class_message(english):
    error = exceptions.CampaignNotOpenError()
    assert error_lines(error) == [str(exceptions.CampaignNotOpenError.message)]
    assert "not open" in error_lines(error)[0]


def test_every_message_of_an_error_is_rendered_up_to_the_limit(english):
    error = FrameworkValidationError(
        [f"competency C{i}: has no self-assessment question" for i in range(25)]
    )
    lines = error_lines(error)
    assert lines[:20] == error.errors[:20]
    assert lines[20] == "… and 5 more."
    assert len(lines) == 21
    assert error_lines(error, limit=25) == error.errors


@pytest.mark.parametrize(
    "language, expected", [("en", "is already closed"), ("es-mx", "ya está cerrada")]
)
def test_messages_render_in_the_readers_language(language, expected):
    from django.utils import translation

    error = exceptions.CampaignAlreadyClosedError()
    with translation.override(language):
        assert expected in error_lines(error)[0]
