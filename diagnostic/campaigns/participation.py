"""Participation HR follows: invited, e-mailed, started and submitted per department subtree."""

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import Department

from ..models import Campaign, Invitation


@dataclass
class ParticipationRow:
    department: Department
    depth: int
    invited: int = 0
    emailed: int = 0
    started: int = 0
    submitted: int = 0

    @property
    def response_rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None

    @property
    def indent(self) -> int:
        return min(self.depth, 3)

    @property
    def response_pct(self) -> float | None:
        rate = self.response_rate
        return None if rate is None else 100 * rate


@dataclass
class Participation:
    rows: list[ParticipationRow]
    total: ParticipationRow


def _add(row: ParticipationRow, count: dict) -> None:
    for name in ("invited", "emailed", "started", "submitted"):
        setattr(row, name, getattr(row, name) + count[name])


def participation(*, campaign: Campaign) -> Participation:
    """Invited, started and submitted per department of the population, each covering its
    whole subtree (by the invitation's department snapshot). Three queries whatever the size."""
    counts = (
        Invitation.objects.filter(campaign=campaign)
        .values("department_id")
        .annotate(
            invited=Count("pk"),
            emailed=Count("pk", filter=Q(sent_at__isnull=False)),
            started=Count("response"),
            submitted=Count("response", filter=Q(response__submitted_at__isnull=False)),
        )
        .order_by()
    )
    roots = list(campaign.departments.only("path"))
    departments = list(Department.objects.subtrees_of(roots).order_by("path"))
    top = min((d.depth for d in departments), default=0)
    rows = {d.path: ParticipationRow(department=d, depth=d.depth - top) for d in departments}
    path_of = {d.pk: d.path for d in departments}
    total = ParticipationRow(department=None, depth=0)
    for count in counts:
        _add(total, count)
        path = path_of.get(count["department_id"])
        if path is None:
            continue
        # Add the department's own counts to itself and every ancestor in the population.
        parts = path.strip("/").split("/")
        for end in range(1, len(parts) + 1):
            row = rows.get("/" + "/".join(parts[:end]) + "/")
            if row is not None:
                _add(row, count)
    return Participation(rows=[r for r in rows.values() if r.invited], total=total)
