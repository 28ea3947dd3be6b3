"""What each report page shows, as plain data: one call per page, a constant number of
queries whatever the size of the campaign.

HR reads the live figures (suppressed); everyone else reads the campaign's current release
(DESIGN.md "Releases"), and gets no page (None) before the first one."""

from dataclasses import dataclass

from django.utils.translation import gettext

from accounts.models import Department
from accounts.roles import is_hr
from diagnostic.models import Campaign, Level, ProficiencyLevel

from . import charts
from .aggregation import CampaignReport, CompetencyFigures, GroupFigures, campaign_report
from .models import Release
from .plan.manager import approved_plans_for
from .plan.models import Plan
from .releases import release_report
from .trend import Change, ReleaseChange, campaign_change, release_change


def report_for(
    *,
    campaign: Campaign,
    user,
    within: Department | None = None,
    depth: int | None = None,
    by_role: bool = False,
    cells_of: set[int] | None = None,
) -> tuple[CampaignReport | None, Release | None]:
    """The figures `user` reads: live for HR, else the current release (None before one).
    `cells_of` limits the competency cells read from a release (see `release_report`)."""
    if is_hr(user):
        return campaign_report(campaign=campaign, within=within, depth=depth, by_role=by_role), None
    release = Release.objects.current(campaign)
    if release is None:
        return None, None
    report = release_report(
        release=release, within=within, depth=depth, by_role=by_role, cells_of=cells_of
    )
    return report, release


@dataclass
class Overview:
    report: CampaignReport
    rows: list[tuple[Department, GroupFigures]]  # every visible department, in path order
    # The organisation (HR) or the managed departments: name, figures, chart id, chart, the
    # competencies to act on first (`act_on`) and the department (None: the organisation).
    headline: list[
        tuple[str, GroupFigures, str, dict | None, list[CompetencyFigures], Department | None]
    ]
    charts: dict[str, dict]
    release: Release | None = None  # None: live figures (HR)


def overview_page(*, campaign: Campaign, user) -> Overview | None:
    managed = None if is_hr(user) else set(user.managed_departments.values_list("pk", flat=True))
    report, release = report_for(campaign=campaign, user=user, cells_of=managed)
    if report is None:
        return None
    visible = set(Department.objects.visible_to(user).values_list("pk", flat=True))
    rows = [(d, report.group(d.pk)) for d in report.departments.values() if d.pk in visible]
    if managed is None:
        headline = [(gettext("Whole organisation"), report.organisation, None)]
    else:
        headline = [(d.name, group, d) for d, group in rows if d.pk in managed]
    headline = [
        (
            name,
            group,
            f"priority-{i}",
            None if group.suppressed else charts.priority_chart(group),
            act_on(group),
            department,
        )
        for i, (name, group, department) in enumerate(headline)
    ]
    figures = {
        "participation": charts.participation_chart(
            [(d.name, g) for d, g in rows], threshold=report.threshold
        )
    }
    return Overview(report, rows, headline, figures, release)


@dataclass
class DepartmentPage:
    report: CampaignReport
    department: Department
    group: GroupFigures
    columns: list[tuple[Department, GroupFigures]]  # sub-departments
    roles: list[tuple[object, GroupFigures]]
    changes: list[Change]  # since the previous campaign
    previous: Campaign | None
    level_names: list[str]
    measure: str
    charts: dict[str, dict]
    release: Release | None = None  # None: live figures (HR)
    # Within this campaign: since its previous release (None before a second one).
    since_release: ReleaseChange | None = None
    ancestors: list[Department] | None = None  # the breadcrumb: those above it `user` may see
    plans: list[Plan] | None = None  # approved Workforce Plans of the campaign `user` may read

    @property
    def act_on(self) -> list[CompetencyFigures]:
        """The first screen's three competencies to act on: the highest priorities whose
        priority, share meeting the target and gap the figures show (never a hidden one)."""
        return act_on(self.group)

    @property
    def strengths(self) -> list[CompetencyFigures]:
        """Up to three competencies with the highest share meeting the target, not already
        among those to act on."""
        acting = {c.code for c in self.act_on}
        shown = [c for c in self.group.competencies if shown_required(c) and c.code not in acting]
        return sorted(shown, key=lambda c: (-c.pct_meeting, c.code))[:3]

    @property
    def role_matrix(self) -> list[tuple[object, GroupFigures, list[CompetencyFigures | None]]]:
        """Each role's figures for the department's competencies, in the department's order
        (None where the role has no figure for one), from the figures already read."""
        codes = [c.code for c in self.group.competencies]
        rows = []
        for role, role_group in self.roles:
            by_code = {c.code: c for c in role_group.competencies}
            rows.append((role, role_group, [by_code.get(code) for code in codes]))
        return rows

    @property
    def rises_and_falls(self) -> tuple[list[Change], list[Change]]:
        """Competencies whose mean level rose or fell since the previous campaign, largest first."""
        known = [c for c in self.changes if c.delta is not None]
        rises = sorted((c for c in known if c.delta > 0), key=lambda c: -c.delta)
        falls = sorted((c for c in known if c.delta < 0), key=lambda c: c.delta)
        return rises, falls

    @property
    def furthest_below(self) -> list[tuple[Department, GroupFigures, list[CompetencyFigures]]]:
        """The heatmap's form on a phone: each sub-department with its three competencies
        furthest below target by mean gap (none listed for a group under k)."""
        return [(d, g, [] if g.suppressed else furthest_below(g)) for d, g in self.columns]


def furthest_below(group: GroupFigures, *, limit: int = 3) -> list[CompetencyFigures]:
    below = [c for c in group.competencies if shown_required(c) and c.mean_gap]
    return sorted(below, key=lambda c: (-c.mean_gap, c.code))[:limit]


def act_on(group: GroupFigures) -> list[CompetencyFigures]:
    """The three competencies to act on first: the highest priorities whose priority, share
    meeting the target and gap the figures show (never a hidden one)."""
    return [c for c in group.ranked if shown_required(c) and c.priority][:3]


def shown_required(c: CompetencyFigures) -> bool:
    return not (c.suppressed or c.required_suppressed) and c.pct_meeting is not None


def department_page(
    *, campaign: Campaign, department: Department, measure: str, user
) -> DepartmentPage | None:
    """The department's report for `user`, with the change since the previous campaign that
    `user` may read and since the campaign's previous release (reports/trend.py), each read
    as `report_for` says."""
    report, release = report_for(
        campaign=campaign, user=user, within=department, depth=1, by_role=True
    )
    if report is None:
        return None
    group = report.group(department.pk)
    columns = [(d, report.group(d.pk)) for d in report.children(department.pk)]
    roles = report.role_groups(department.pk)
    previous, changes = campaign_change(
        campaign=campaign, department=department, group=group, user=user, read=report_for
    )
    since_release = release_change(
        campaign=campaign,
        department=department,
        names={c.code: c.name for c in report.competencies},
    )
    level_names = level_labels(campaign=campaign)
    figures = {}
    if not group.suppressed:
        figures = {
            "heatmap": charts.heatmap_chart(
                report=report,
                columns=[(department.name, group), *((d.name, g) for d, g in columns)],
                measure=measure,
            ),
            "profile": charts.profile_chart(group),
            "distribution": charts.distribution_chart(group, level_names),
            "priority": charts.priority_chart(group),
        }
        if any(change.delta is not None for change in changes):
            figures["change"] = charts.change_chart([(c.code, c.delta) for c in changes])
    return DepartmentPage(
        report,
        department,
        group,
        columns,
        roles,
        changes,
        previous,
        level_names,
        measure,
        figures,
        release,
        since_release,
        visible_ancestors(department=department, user=user),
        approved_plans_for(user=user, campaign=campaign),
    )


def visible_ancestors(*, department: Department, user) -> list[Department]:
    """The departments above `department`, root first, that `user` may see (one query)."""
    codes = [code for code in department.path.strip("/").split("/") if code][:-1]
    return list(Department.objects.visible_to(user).filter(code__in=codes).order_by("path"))


def level_labels(*, campaign: Campaign) -> list[str]:
    names = dict(
        ProficiencyLevel.objects.filter(framework_id=campaign.framework_id).values_list(
            "level", "name"
        )
    )
    return [names.get(level.value) or str(level.label) for level in Level]
