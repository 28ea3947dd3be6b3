"""Employees see, on their own results page, the offerings that serve their largest gaps."""

import pytest

from reports.plan.catalogue import offering_save
from tests.diagnostic.assessment.data import open_as_submitter
from tests.diagnostic.assessment.test_results import scored

from .test_plans import VALUES

pytestmark = pytest.mark.django_db


def test_the_results_page_lists_offerings_for_the_employees_own_largest_gaps(client):
    assessment = scored(selves=[1, 3, 4], targets=[3, 4, 2])
    first, second, _ = (q.competency.code for q in assessment.questions)
    # Serves band 1 of the first competency; the second one (band 3) is outside 0 -> 3.
    offering_save(values={**VALUES, "offering_code": "A1", "competency_code": first})
    offering_save(
        values={**VALUES, "offering_code": "B1", "competency_code": second, "title_es": "Otro"}
    )
    offering_save(
        values={
            **VALUES,
            "offering_code": "A2",
            "competency_code": first,
            "level_from": "2",
            "level_to": "4",
            "title_es": "Avanzado",
        }
    )
    open_as_submitter(client, assessment)
    body = client.get(assessment.url("results")).content.decode()
    assert "Capacitación para sus brechas más grandes" in body
    assert "Análisis con Python" in body
    assert "Otro" not in body and "Avanzado" not in body


def test_no_section_without_a_serving_offering(client):
    assessment = scored(selves=[1], targets=[3])
    open_as_submitter(client, assessment)
    body = client.get(assessment.url("results")).content.decode()
    assert "Capacitación para sus brechas más grandes" not in body
