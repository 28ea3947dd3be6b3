"""The trend on the department page: the change since the previous campaign, and within the
current campaign the change since its previous release (issue 9, "The trend compares
releases").

Both compare only what the reader can already read. Against the previous campaign, HR
compares live figures (still suppressed) and everyone else that campaign's latest release,
so a manager's comparison is with a campaign that has one (`previous_campaign(released=...)`).
Within a campaign, the comparison is read from the stored figures of the campaign's two
latest releases (on HR's release page: that release and the one before it, for the
organisation), and a competency is compared only where both releases show it: a figure
hidden in either stays empty. Nothing new is derivable from it, since both releases are
readable on their own.
"""

from dataclasses import dataclass

from accounts.models import Department
from accounts.roles import is_hr
from diagnostic.models import Campaign, Competency

from .aggregation import GroupFigures, previous_campaign
from .models import Release, ReleaseFigure


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    before: float | None
    now: float | None
    department: str = ""  # the department's code, where a table holds several

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
    return _compared(after=after, before=before, names=names, department=department)


def release_change_of(*, release: Release) -> ReleaseChange | None:
    """For HR's release page: the change from the campaign's previous built release to this
    one, for the organisation (each top-level department), from stored figures only."""
    if release.status != Release.Status.DONE:
        return None
    before = (
        Release.objects.done()
        .filter(campaign_id=release.campaign_id, number__lt=release.number)
        .order_by("-number")
        .first()
    )
    if before is None:
        return None
    names = dict(
        Competency.objects.filter(framework_id=release.campaign.framework_id).values_list(
            "code", "name"
        )
    )
    return _compared(after=release, before=before, names=names, department=None)


def _compared(
    *, after: Release, before: Release, names: dict[str, str], department: Department | None
) -> ReleaseChange:
    """Competency by competency, `department`'s (None: every top-level department's) mean
    level in both releases as stored, None where a release does not show it."""
    rows = ReleaseFigure.objects.filter(release__in=[after, before], job_role__isnull=True)
    if department is None:
        rows = rows.filter(department__depth=0)
    else:
        rows = rows.filter(department=department)
    levels: dict[int, dict[tuple[str, str], float | None]] = {after.pk: {}, before.pk: {}}
    for release_id, department_code, code, state, level in (
        rows.exclude(competency_code="")
        .values_list("release_id", "department_code", "competency_code", "state", "mean_level")
        .order_by("department_code", "competency_code")
    ):
        shown = None if state == ReleaseFigure.State.HIDDEN else level
        levels[release_id][(department_code, code)] = shown
    keys = sorted(set(levels[after.pk]) | set(levels[before.pk]))
    changes = [
        Change(
            code,
            names.get(code, ""),
            levels[before.pk].get((department_code, code)),
            levels[after.pk].get((department_code, code)),
            department_code,
        )
        for department_code, code in keys
    ]
    return ReleaseChange(before, after, changes)
