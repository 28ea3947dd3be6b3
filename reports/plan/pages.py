"""What the plan pages show, computed once per request in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from .charts import budget_chart, need_chart
from .funding import Line, PlanResult
from .models import BANDS, Plan
from .plans import plan_result


@dataclass
class NeedRow:
    code: str
    name: str
    bands: list[Line | None]  # one per band 0..3
    people: int
    priority: float


@dataclass
class PlanPage:
    plan: Plan
    result: PlanResult
    names: dict[str, str]
    needs: list[NeedRow]
    charts: dict
    threshold: int

    @property
    def covered_rows(self) -> list[tuple[Line, str]]:
        return [(line, self.names.get(line.competency_code, "")) for line in self.result.covered]

    @property
    def uncovered_rows(self) -> list[tuple[Line, str]]:
        return [(line, self.names.get(line.competency_code, "")) for line in self.result.uncovered]

    @property
    def priority_covered_pct(self) -> float | None:
        covered = self.result.priority_covered
        return None if covered is None else 100 * covered


def need_rows(result: PlanResult, names: dict[str, str]) -> list[NeedRow]:
    """Needs by competency (rows) and level band (columns), competencies by priority."""
    by_code: dict[str, list[Line | None]] = {}
    for line in result.lines:
        by_code.setdefault(line.competency_code, [None] * len(BANDS))[line.band] = line
    rows = [
        NeedRow(
            code=code,
            name=names.get(code, ""),
            bands=bands,
            people=sum(line.participants for line in bands if line),
            priority=sum(line.priority for line in bands if line),
        )
        for code, bands in by_code.items()
    ]
    return sorted(rows, key=lambda row: (-row.priority, row.code))


def plan_page(*, plan: Plan) -> PlanPage:
    result = plan_result(plan=plan)
    threshold = plan.threshold or plan.campaign.anonymity_threshold
    names = plan.competency_names()
    return PlanPage(
        plan=plan,
        result=result,
        names=names,
        needs=need_rows(result, names),
        charts={
            "need": need_chart(result, names=names, threshold=threshold),
            "budget": budget_chart(result),
        },
        threshold=threshold,
    )
