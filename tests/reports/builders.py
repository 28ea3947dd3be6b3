"""Generated campaigns for the report tests: a department tree, roles, competencies, targets
and respondents whose stored scores follow the scoring formula, written in bulk."""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Department, Employee, JobRole
from diagnostic.models import Campaign, CompetencyScore, Invitation, Response
from tests.factories import AreaFactory, CampaignFactory, CompetencyFactory, RoleTargetFactory


@dataclass
class Respondent:
    department: int  # index into Spec.departments
    role: int  # index into Spec.roles
    submitted: bool = True
    # competency index -> (level, usage or None); a competency left out is unscored.
    scores: dict[int, tuple[float, float | None]] = field(default_factory=dict)


@dataclass
class Spec:
    departments: list[int | None]  # parent index of each department (None: a root)
    roles: int
    competencies: int
    targets: dict[tuple[int, int], tuple[int, int]]  # (role, competency) -> (target, importance)
    respondents: list[Respondent]
    threshold: int = 3


@dataclass
class Built:
    campaign: Campaign
    departments: list[Department]
    roles: list[JobRole]
    competencies: list
    spec: Spec


def build_campaign(spec: Spec, *, prefix: str = "G", campaign: Campaign | None = None) -> Built:
    departments: list[Department] = []
    for i, parent in enumerate(spec.departments):
        departments.append(
            Department.objects.create(
                code=f"{prefix}D{i:02d}",
                name=f"Dirección {i}",
                parent=departments[parent] if parent is not None else None,
            )
        )
    roles = [
        JobRole.objects.get_or_create(code=f"{prefix}R{i}", defaults={"name": f"Rol {i}"})[0]
        for i in range(spec.roles)
    ]
    if campaign is None:
        campaign = CampaignFactory(anonymity_threshold=spec.threshold)
    area = AreaFactory(framework=campaign.framework)
    competencies = [
        CompetencyFactory(area=area, code=f"{prefix}C{i}", descriptors=False)
        for i in range(spec.competencies)
    ]
    for (role, competency), (target, importance) in spec.targets.items():
        RoleTargetFactory(
            job_role=roles[role],
            competency=competencies[competency],
            target_level=target,
            importance=importance,
        )
    roots = [d for d, p in zip(departments, spec.departments, strict=True) if p is None]
    campaign.departments.add(*roots)
    employees = Employee.objects.bulk_create(
        Employee(
            employee_number=f"{prefix}{campaign.pk}-{n:05d}",
            full_name=f"Persona {n}",
            department=departments[r.department],
            job_role=roles[r.role],
        )
        for n, r in enumerate(spec.respondents)
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(
            campaign=campaign,
            employee=e,
            department=e.department,
            job_role=e.job_role,
            token=secrets.token_urlsafe(24),
        )
        for e in employees
    )
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            invitation=inv,
            privacy_accepted_at=now,
            submitted_at=now - dt.timedelta(minutes=n) if r.submitted else None,
            scored_at=now if r.submitted else None,
            index=(
                25 * sum(level for level, _ in r.scores.values()) / len(r.scores)
                if r.submitted and r.scores
                else None
            ),
        )
        for n, (inv, r) in enumerate(zip(invitations, spec.respondents, strict=True))
    )
    scores = []
    for response, inv, r in zip(responses, invitations, spec.respondents, strict=True):
        if not r.submitted:
            continue
        for c, (level, usage) in r.scores.items():
            target, importance = spec.targets.get((r.role, c), (0, 1))
            scores.append(
                CompetencyScore(
                    response=response,
                    campaign=campaign,
                    department_id=inv.department_id,
                    job_role_id=inv.job_role_id,
                    competency=competencies[c],
                    self_level=level,
                    level=level,
                    target=target,
                    importance=importance,
                    gap=max(0.0, target - level),
                    required=target > 0,
                    meets=level >= target,
                    usage=usage,
                )
            )
    CompetencyScore.objects.bulk_create(scores)
    return Built(campaign, departments, roles, competencies, spec)
