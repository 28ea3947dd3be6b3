"""The plan's three files in a campaign's data package (DESIGN.md "Outputs"): catalogue.csv,
plans.csv and plan_lines.csv, for every plan built from the campaign.

A draft's lines are the formulas on the current scores and catalogue (as its page shows); an
approved plan's are its frozen lines, with the offering versions they froze. catalogue.csv
lists the offering versions those lines use plus the current catalogue; its rows are not keyed
by code alone, since an approved plan can keep an old version of a code.

The open-data variant keeps the three files, as the design says, but a line counting fewer
than k people (0 < participants < k) shows its codes, choice and status only: participants,
cohorts, hours, cost and priority would each give a figure about fewer than k people in a
file anyone may read. The full package (HR only) keeps them.
"""

from collections.abc import Iterator

from ..exports.campaign import Exporter
from .models import Offering, Plan
from .plans import plan_result


class PlanExporter(Exporter):
    open_data = False

    def plans(self) -> list[Plan]:
        return list(
            Plan.objects.filter(campaign=self.campaign).select_related("scope").order_by("code")
        )


class CatalogueExporter(PlanExporter):
    name = "catalogue"
    headers = [
        "offering_code",
        "competency_code",
        "level_from",
        "level_to",
        "hours",
        "cost_per_person",
        "cost_per_cohort",
        "capacity",
    ]

    def rows(self) -> Iterator[list]:
        used = Offering.objects.filter(plan_lines__plan__campaign=self.campaign)
        offerings = (Offering.objects.current() | used).distinct().order_by("code", "version")
        for o in offerings:
            yield [
                o.code,
                o.competency_code,
                o.level_from,
                o.level_to,
                float(o.hours),
                float(o.cost_per_person),
                float(o.cost_per_cohort),
                o.capacity,
            ]


class PlansExporter(PlanExporter):
    name = "plans"
    headers = ["plan_code", "campaign_code", "scope_code", "budget", "status"]

    def rows(self) -> Iterator[list]:
        for plan in self.plans():
            scope = plan.scope.code if plan.scope else ""
            yield [plan.code, self.campaign.code, scope, float(plan.budget), plan.status]


class PlanLinesExporter(PlanExporter):
    name = "plan_lines"
    headers = [
        "plan_code",
        "competency_code",
        "band",
        "offering_code",
        "participants",
        "cohorts",
        "hours",
        "cost",
        "priority",
        "choice",
        "status",
    ]

    def rows(self) -> Iterator[list]:
        k = self.campaign.anonymity_threshold
        for plan in self.plans():
            for line in plan_result(plan=plan).lines:
                figures = [
                    line.participants,
                    line.cohorts,
                    float(line.hours),
                    float(line.cost),
                    line.priority,
                ]
                if self.open_data and 0 < line.participants < k:
                    figures = [None] * len(figures)
                offering = line.terms.code if line.terms else ""
                yield [
                    plan.code,
                    line.competency_code,
                    line.band,
                    offering,
                    *figures,
                    line.choice,
                    line.status,
                ]


def plan_exporters(*, campaign, open_data: bool) -> list[Exporter]:
    exporters = [
        kind(campaign=campaign) for kind in (CatalogueExporter, PlansExporter, PlanLinesExporter)
    ]
    for exporter in exporters:
        exporter.open_data = open_data
    return exporters
