"""The plan's tests run on the reports fixtures with `results` closed: a plan is approved only
once its campaign has closed (plans.plan_approve). Tests of the open case reopen it."""

import pytest
from django.utils import timezone


@pytest.fixture
def results(results):
    results.closed_at = timezone.now()
    results.save(update_fields=["closed_at"])
    return results
