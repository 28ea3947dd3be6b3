"""The catalogue offerings that serve an employee's own largest gaps, for their results page
(registered with diagnostic's results page in reports/apps.py): for each gap, the current
offerings of its competency whose step contains the employee's band floor(L)."""

import math
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Offering

TEMPLATE = "reports/plan/_results_offerings.html"


def results_offerings(*, results, response) -> dict | None:
    gaps = [(gap, min(3, math.floor(gap.level))) for gap in results.largest_gaps]
    if not gaps:
        return None
    serving = reduce(
        or_,
        (
            Q(competency_code=gap.code, level_from__lte=band, level_to__gt=band)
            for gap, band in gaps
        ),
    )
    offerings = list(Offering.objects.current().filter(serving).order_by("code"))
    rows = [
        (
            gap,
            [
                o
                for o in offerings
                if o.competency_code == gap.code and o.level_from <= band < o.level_to
            ],
        )
        for gap, band in gaps
    ]
    rows = [(gap, found) for gap, found in rows if found]
    return {"template": TEMPLATE, "rows": rows} if rows else None
