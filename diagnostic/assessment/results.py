"""A respondent's own results, for that respondent only (their downloads: `downloads`)."""

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..models import Competency, CompetencyScore, Level, LevelDescriptor, ProficiencyLevel, Response

LARGEST_GAPS = 3


@dataclass(frozen=True)
class CompetencyResult:
    code: str
    name: str
    area: str
    level: float
    target: int
    gap: float
    required: bool
    meets: bool
    next_level: int | None
    next_descriptor: str
    level_name: str = ""  # the name of the level reached (its whole part), e.g. "Aplicación"
    next_level_name: str = ""
    self_level: float = 0.0  # S, what the self-rating gave
    knowledge: float | None = None  # 4K on the same 0..4 scale; None without knowledge questions


@dataclass(frozen=True)
class PersonalResults:
    index: float | None
    knowledge_weight: float
    competencies: list[CompetencyResult]
    strengths: list[CompetencyResult]
    largest_gaps: list[CompetencyResult]
    unscored: list[str]


def personal_results(*, response: Response) -> PersonalResults:
    """Each scored competency against the role's target, with its level's name and what the
    self-rating and the knowledge check each gave; strengths and the largest gaps; in four
    queries whatever the size of the framework."""
    scores = list(
        CompetencyScore.objects.filter(response=response)
        .select_related("competency__area")
        .order_by("competency__area__position", "competency__position", "competency__code")
    )
    next_levels = {s.competency_id: min(4, math.floor(s.level) + 1) for s in scores}
    descriptors = {
        (d.competency_id, d.level): d.text
        for d in LevelDescriptor.objects.filter(competency__in=list(next_levels))
    }
    framework = response.invitation.campaign.framework
    names = {level: str(label) for level, label in Level.choices}
    names |= dict(ProficiencyLevel.objects.filter(framework=framework).values_list("level", "name"))
    rows = [
        CompetencyResult(
            code=s.competency.code,
            name=s.competency.name,
            area=s.competency.area.name,
            level=s.level,
            target=s.target,
            gap=s.gap,
            required=s.required,
            meets=s.meets,
            next_level=next_levels[s.competency_id] if s.level < 4 else None,
            next_descriptor=(
                descriptors.get((s.competency_id, next_levels[s.competency_id]), "")
                if s.level < 4
                else ""
            ),
            level_name=names.get(math.floor(s.level), ""),
            next_level_name=names.get(next_levels[s.competency_id], "") if s.level < 4 else "",
            self_level=s.self_level,
            knowledge=None if s.knowledge_score is None else 4 * s.knowledge_score,
        )
        for s in scores
    ]
    unscored = Competency.objects.filter(
        framework_id=response.invitation.campaign.framework_id
    ).exclude(pk__in=[s.competency_id for s in scores])
    return PersonalResults(
        index=response.index,
        knowledge_weight=float(framework.knowledge_weight),
        competencies=rows,
        strengths=[r for r in rows if r.required and r.meets],
        largest_gaps=sorted((r for r in rows if r.gap > 0), key=lambda r: (-r.gap, r.code))[
            :LARGEST_GAPS
        ],
        unscored=list(unscored.values_list("name", flat=True)),
    )


def results_of(*, response: Response) -> PersonalResults | None:
    """The results of a submitted response, None while its scoring has not run yet."""
    return personal_results(response=response) if response.scored_at else None


# Parts other apps add to the results page. diagnostic may not import reports (dependency
# direction reports -> diagnostic), so reports registers its part here when it loads (the
# workforce plan's offerings for the employee's largest gaps, reports/apps.py). Each is called
# with the results and the response and returns None, or a dict with the `template` to
# include and its data.
_SECTIONS: list[Callable[..., dict | None]] = []


def register_results_section(section: Callable[..., dict | None]) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def results_sections(*, results: PersonalResults, response: Response) -> list[dict]:
    found = (section(results=results, response=response) for section in _SECTIONS)
    return [part for part in found if part]
