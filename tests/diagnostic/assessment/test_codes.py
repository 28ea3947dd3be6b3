"""The results code on its own: short, typable, never stored in clear."""

import pytest

from diagnostic.assessment import codes
from diagnostic.models import Response
from tests.factories import ResponseFactory


def test_a_new_code_has_eight_characters_without_look_alikes():
    made = {codes.new_code() for _ in range(200)}
    assert len(made) == 200
    assert all(len(code) == 8 and set(code) <= set(codes.ALPHABET) for code in made)
    assert not set("01ILO") & set(codes.ALPHABET)


def test_the_code_is_shown_in_two_groups_and_read_back_however_it_is_typed():
    assert codes.shown("7KQM3XTB") == "7KQM-3XTB"
    assert codes.normalized(" 7kqm-3xtb ") == codes.normalized("7KQM 3XTB") == "7KQM3XTB"


@pytest.mark.django_db
def test_a_code_matches_only_its_own_hash():
    response = ResponseFactory(results_code=codes.hashed("7KQM3XTB"))
    assert "7KQM3XTB" not in response.results_code
    assert codes.matches(response=response, typed="7kqm-3xtb")
    assert not codes.matches(response=response, typed="7KQM-3XTC")
    assert not codes.matches(response=response, typed="7KQM3XTB7KQM3XTB")
    assert not codes.matches(response=Response(results_code=""), typed="")
