"""The trend on the department page: the change since the previous campaign, and within the
current campaign the change since its previous release (issue 9, "The trend compares
releases").

Both compare only what the reader can already read. Against the previous campaign, HR
compares live figures (still suppressed) and everyone else that campaign's latest release,
so a manager's comparison is with a campaign that has one (`previous_campaign(released=...)`).
Within a campaign, the comparison is read from the stored figures of the campaign's two
latest releases, and a competency is compared only where both releases show it: a figure
hidden in either stays empty. Nothing new is derivable from it, since both releases are
readable on their own.
"""

from dataclasses import dataclass

from accounts.models import Department
from accounts.roles import is_hr
from diagnostic.models import Campaign

from .aggregation import GroupFigures, previous_campaign
from .models import Release, ReleaseFigure


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    before: float | None
    now: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.now is None else self.now - self.before


@dataclass(frozen=True)
class ReleaseChange:
    before: Release
    after: Release
    changes: list[Change]

    @property
    def any_shown(self) -> bool:
        return any(change.delta is not None for change in self.changes)


def _shown_level(figures) -> float | None:
    return None if figures is None or figures.suppressed else figures.mean_level


def campaign_change(
    *, campaign: Campaign, department: Department, group: GroupFigures, user, read
) -> tuple[Campaign | None, list[Change]]:
    """The previous campaign `user` may compare with and, per competency of `group` (the
    department's figures as the page shows them), its mean level then and now. `read` is the
    page's own reader (`pages.report_for`): live for HR, the latest release for others."""
    previous = previous_campaign(campaign=campaign, user=user, released=not is_hr(user))
    if previous is None:
        return None, []
    before_report, _release = read(campaign=previous, user=user, within=department, depth=0)
    before = before_report.group(department.pk) if before_report else None
    changes = [
        Change(
            figures.code,
            figures.name,
            _shown_level(before.competency(figures.code) if before else None),
            _shown_level(figures),
        )
        for figures in group.competencies
    ]
    return previous, changes


def release_change(
    *, campaign: Campaign, department: Department, names: dict[str, str]
) -> ReleaseChange | None:
    """The change since the previous release of `campaign`, for `department` as a whole (no
    role breakdown): its two latest built releases, from their stored figures only, each
    competency compared where both show it. None before the second release. `names`: the
    competency names by code, as the page shows them. Two queries."""
    latest = list(Release.objects.done().filter(campaign=campaign).order_by("-number")[:2])
    if len(latest) < 2:
        return None
    after, before = latest
    levels: dict[int, dict[str, float | None]] = {after.pk: {}, before.pk: {}}
    rows = (
        ReleaseFigure.objects.filter(
            release__in=latest, department=department, job_role__isnull=True
        )
        .exclude(competency_code="")
        .values_list("release_id", "competency_code", "state", "mean_level")
    )
    for release_id, code, state, level in rows:
        levels[release_id][code] = None if state == ReleaseFigure.State.HIDDEN else level
    codes = sorted(set(levels[after.pk]) | set(levels[before.pk]))
    changes = [
        Change(code, names.get(code, ""), levels[before.pk].get(code), levels[after.pk].get(code))
        for code in codes
    ]
    return ReleaseChange(before, after, changes)
