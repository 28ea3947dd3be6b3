"""A cancellation that arrives while a release is being built never leaves the person's
answers in the current release.
"""

import threading

from django.db import connections

from accounts.models import Employee
from reports import releases
from reports.arco import arco_cancel, arco_record
from reports.models import Release, ReleaseFigure
from tests.row_locks import needs_row_locks

from .conftest import make_release

pytestmark = needs_row_locks


def works_total(release: Release) -> int:
    return ReleaseFigure.objects.get(
        release=release, department_code="WORKS", role_code="", competency_code=""
    ).true_count


def test_a_cancellation_during_a_build_waits_and_is_followed_by_a_new_release(
    exactly_k, hr, monkeypatch
):
    """The build has read WORKS's three respondents when the cancellation comes. Either the
    cancellation waits for the build and then asks for a release of its own, or the build
    would publish the three as the campaign's current figures with nothing after it."""
    make_release(exactly_k)
    person = Employee.objects.filter(
        invitations__campaign=exactly_k, invitations__department__code="WORKS"
    ).first()
    arco = arco_record(employee=person, kind="cancellation", received_on="2026-11-30", by=hr)
    building = Release.objects.create(campaign=exactly_k, number=2, kind=Release.Kind.INTERIM)
    real_rows = releases.release_rows
    seen = {}

    def cancel():
        try:
            arco_cancel(arco=arco, by=hr)
        finally:
            connections.close_all()

    def rows_while_cancelling(*, release, report):
        if release.pk == building.pk:
            canceller = threading.Thread(target=cancel)
            canceller.start()
            canceller.join(timeout=1.5)
            seen["cancelled_during_build"] = not canceller.is_alive()
            seen["thread"] = canceller
        return real_rows(release=release, report=report)

    monkeypatch.setattr(releases, "release_rows", rows_while_cancelling)
    releases.release_build(release_id=building.pk)
    seen["thread"].join(timeout=30)

    assert seen["cancelled_during_build"] is False
    building.refresh_from_db()
    assert building.status == Release.Status.DONE and works_total(building) == 3
    after = Release.objects.filter(campaign=exactly_k, number=3).first()
    assert after is not None
    releases.release_build(release_id=after.pk)
    current = Release.objects.current(exactly_k)
    assert current.pk == after.pk and works_total(current) == 2
