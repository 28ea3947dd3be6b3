"""Needs from a campaign's stored scores (DESIGN.md "Needs"), in the database: one grouped
query for the needs, one for the scope's counts, whatever the number of respondents.

A need's band is `floor(L)` written as the same range test the level distribution uses in
reports/aggregation.py (`b <= L < b + 1`), so the two never disagree on a boundary. Its
priority is rounded to 6 places: sums of float gaps arrive in a different order on SQLite and
PostgreSQL, and a tie the design breaks by code must not be broken by the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from accounts.models import Department
from diagnostic.models import Campaign, Competency, CompetencyScore, Invitation

from .funding import Need
from .models import BANDS

PRIORITY_PLACES = 6


@dataclass(frozen=True)
class ScopeCounts:
    invited: int
    responded: int


def _in_scope(prefix: str, scope: Department | None) -> Q:
    if scope is None:
        return Q()
    return Q(**{f"{prefix}path__startswith": scope.path})


def scope_counts(*, campaign: Campaign, scope: Department | None) -> ScopeCounts:
    """Invited and responded (submitted and scored) people of the scope, by their snapshot."""
    counts = Invitation.objects.filter(
        _in_scope("department__", scope), campaign=campaign
    ).aggregate(
        invited=Count("pk"),
        responded=Count(
            "pk",
            filter=Q(response__submitted_at__isnull=False, response__scored_at__isnull=False),
        ),
    )
    return ScopeCounts(invited=counts["invited"], responded=counts["responded"])


def band_expression() -> Case:
    return Case(
        *(When(level__lt=b + 1, then=Value(b)) for b in BANDS),
        default=Value(len(BANDS)),
        output_field=IntegerField(),
    )


def campaign_needs(
    *, campaign: Campaign, scope: Department | None, counts: ScopeCounts | None = None
) -> list[Need]:
    """need(c, b) and need_priority(c, b) over the scope's respondents for whom c is required
    and not met, by competency code and band, with the headcount estimated for the scope's
    whole population (`need * invited / responded`)."""
    counts = counts or scope_counts(campaign=campaign, scope=scope)
    grouped = (
        CompetencyScore.objects.filter(
            _in_scope("department__", scope),
            campaign=campaign,
            response__submitted_at__isnull=False,
            required=True,
            level__lt=F("target"),
        )
        .annotate(band=band_expression())
        .values("competency_id", "band")
        .annotate(count=Count("pk"), priority=Sum(F("gap") * F("importance")))
        .order_by()
    )
    # Grouped by competency id, and the code joined to the ~100 groups afterwards: joining
    # it to every score row first cost a third of the query at 20,000 respondents.
    select, params = grouped.query.sql_with_params()
    competency = Competency._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.code, n.band, n.count, n.priority FROM ({select}) n "  # noqa: S608 - table name and the ORM's SELECT, values as parameters
            f"INNER JOIN {competency} c ON c.id = n.competency_id ORDER BY c.code, n.band",
            params,
        )
        rows = [
            {"competency__code": code, "band": band, "count": count, "priority": priority}
            for code, band, count, priority in cursor.fetchall()
        ]
    scale = counts.invited / counts.responded if counts.responded else 0.0
    return [
        Need(
            competency_code=row["competency__code"],
            band=row["band"],
            count=row["count"],
            priority=round(float(row["priority"]), PRIORITY_PLACES),
            headcount=row["count"] * scale,
        )
        for row in rows
    ]
