"""Lines, cohorts, cost and the funding rule, exactly as DESIGN.md "The Data Workforce Plan
(exact)" states them, on plain data: no database here, so the hypothesis tests can check these
formulas against their own reading of the design, and an approved plan can be rebuilt from its
frozen prices.

Money is Decimal and a unit cost (`cost_per_person + cost_per_cohort / capacity`) is compared
as a Fraction: two offerings whose unit costs differ by less than a centavo must still rank by
cost, not by rounding, and equal ones fall to the code as the design says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from .models import Choice, LineStatus


@dataclass(frozen=True)
class Need:
    """Respondents of the scope for whom `competency_code` is required and not met, in band
    `band` = floor(L): their count and the sum of their gap * importance."""

    competency_code: str
    band: int
    count: int
    priority: float
    headcount: float = 0.0  # count * invited / responded of the scope


@dataclass(frozen=True)
class Terms:
    """What the funding rule reads of an offering (one version, its prices as they stand)."""

    code: str
    competency_code: str
    level_from: int
    level_to: int
    hours: Decimal
    cost_per_person: Decimal
    cost_per_cohort: Decimal
    capacity: int
    offering_id: int | None = None

    @property
    def unit_cost(self) -> Fraction:
        return Fraction(self.cost_per_person) + Fraction(self.cost_per_cohort) / self.capacity

    def serves(self, need: Need) -> bool:
        return (
            self.competency_code == need.competency_code
            and self.level_from <= need.band < self.level_to
        )


@dataclass(frozen=True)
class Line:
    need: Need
    terms: Terms | None  # None: an uncovered need
    participants: int
    cohorts: int
    hours: Decimal
    cost: Decimal
    choice: str  # Choice value or ""
    status: str  # LineStatus value

    @property
    def competency_code(self) -> str:
        return self.need.competency_code

    @property
    def band(self) -> int:
        return self.need.band

    @property
    def priority(self) -> float:
        return self.need.priority

    @property
    def funded(self) -> bool:
        return self.status == LineStatus.FUNDED


@dataclass(frozen=True)
class PlanResult:
    lines: list[Line]  # covered lines in funding order, then the uncovered needs by priority
    budget: Decimal
    budget_used: Decimal
    priority_covered: float | None  # None when there is no need at all
    people_reached: int

    @property
    def covered(self) -> list[Line]:
        return [line for line in self.lines if line.terms is not None]

    @property
    def uncovered(self) -> list[Line]:
        return [line for line in self.lines if line.terms is None]

    @property
    def total_cost(self) -> Decimal:
        return sum((line.cost for line in self.covered), Decimal(0))


def best_offering(need: Need, offerings: Iterable[Terms]) -> Terms | None:
    """The offering of the need's competency whose step contains its band, the cheapest per
    participant, ties by code."""
    serving = [o for o in offerings if o.serves(need)]
    return min(serving, key=lambda o: (o.unit_cost, o.code), default=None)


def line_for(need: Need, terms: Terms, *, choice: str = "") -> Line:
    participants = need.count
    cohorts = math.ceil(participants / terms.capacity)
    return Line(
        need=need,
        terms=terms,
        participants=participants,
        cohorts=cohorts,
        hours=participants * terms.hours,
        cost=cohorts * terms.cost_per_cohort + participants * terms.cost_per_person,
        choice=choice,
        status=LineStatus.EXCLUDED if choice == Choice.EXCLUDED else "",
    )


def funding_order(line: Line) -> tuple:
    """Must-fund first, then by priority (highest first), ties by competency code, then band."""
    return (line.choice != Choice.MUST_FUND, -line.priority, line.competency_code, line.band)


def build_plan(
    *,
    needs: Iterable[Need],
    offerings: Iterable[Terms],
    budget: Decimal,
    choices: Mapping[tuple[str, int], str] | None = None,
) -> PlanResult:
    """The plan the formulas give: a line per need with an offering, the funding rule over
    them, the uncovered needs listed with their headcount and priority."""
    offerings = list(offerings)
    choices = choices or {}
    lines, uncovered = [], []
    for need in needs:
        if need.count <= 0:
            continue
        terms = best_offering(need, offerings)
        if terms is None:
            uncovered.append(
                Line(need, None, need.count, 0, Decimal(0), Decimal(0), "", LineStatus.UNCOVERED)
            )
        else:
            lines.append(
                line_for(need, terms, choice=choices.get((need.competency_code, need.band), ""))
            )
    lines.sort(key=funding_order)
    remaining = Decimal(budget)
    funded = []
    for line in lines:
        if line.status == LineStatus.EXCLUDED:
            funded.append(line)
        elif line.cost <= remaining:
            remaining -= line.cost
            funded.append(replace(line, status=LineStatus.FUNDED))
        else:
            funded.append(replace(line, status=LineStatus.OVER_BUDGET))
    uncovered.sort(key=lambda line: (-line.priority, line.competency_code, line.band))
    return summarise(lines=funded + uncovered, budget=Decimal(budget))


def summarise(*, lines: list[Line], budget: Decimal) -> PlanResult:
    """Budget used, priority covered (funded priority / all need priority) and people reached."""
    total = sum(line.priority for line in lines)
    funded = [line for line in lines if line.funded]
    return PlanResult(
        lines=lines,
        budget=budget,
        budget_used=sum((line.cost for line in funded), Decimal(0)),
        priority_covered=sum(line.priority for line in funded) / total if total else None,
        people_reached=sum(line.participants for line in funded),
    )
