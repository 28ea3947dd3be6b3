"""The demo city's workforce plan: a catalogue in both languages that covers most needs but
not all (every fifth competency has no offering, so uncovered needs show), an approved plan
for last year's campaign with enrolments (some completed, so this year's campaign has
something to compare), and a draft for this year's. Seeding twice changes nothing."""

import random
from decimal import Decimal

from diagnostic.models import Campaign

from .catalogue import offering_save
from .models import Enrolment, Offering, Plan
from .plans import plan_approve, plan_create, plan_result, plan_set_choice

STEPS = [
    (0, 2, "course", "Fundamentos de", "Foundations of", 12, "350", "4000", 25),
    (2, 4, "workshop", "Taller avanzado de", "Advanced workshop on", 16, "900", "9000", 15),
]
STATES = ["completed"] * 5 + ["enrolled"] * 2 + ["withdrawn"] + ["planned"] * 2


def seed_catalogue(*, campaign: Campaign) -> int:
    competencies = list(campaign.framework.competencies.order_by("code"))
    codes = set(Offering.objects.current().values_list("code", flat=True))
    made = 0
    for i, competency in enumerate(competencies):
        if i % 5 == 4:
            continue
        for level_from, level_to, kind, es, en, hours, person, cohort, capacity in STEPS:
            code = f"{competency.code}-{level_from}{level_to}"
            if code in codes:
                continue
            name_es = getattr(competency, "name_es_mx", None) or competency.name
            name_en = getattr(competency, "name_en", None) or competency.name
            offering_save(
                values={
                    "offering_code": code,
                    "title_es": f"{es} {name_es.lower()}"[:200],
                    "title_en": f"{en} {name_en.lower()}"[:200],
                    "provider": "Instituto Municipal de Capacitación",
                    "format": kind,
                    "language": "es",
                    "hours": str(hours),
                    "cost_per_person": person,
                    "cost_per_cohort": cohort,
                    "capacity": str(capacity),
                    "link": f"https://capacitacion.example.gob.mx/{code.lower()}",
                    "competency_code": competency.code,
                    "level_from": str(level_from),
                    "level_to": str(level_to),
                },
                competency_codes={competency.code},
            )
            made += 1
    return made


def seed_plans(*, last_year: Campaign, current: Campaign, rng: random.Random) -> None:
    seed_catalogue(campaign=current)
    approved_code = f"plan-{last_year.code}"
    if not Plan.objects.filter(code=approved_code).exists():
        plan = plan_create(
            code=approved_code,
            name=f"Plan de formación en datos {last_year.opens_at.year}",
            campaign=last_year,
            budget=Decimal(600_000),
        )
        plan_approve(plan=plan)
        enrolments = list(Enrolment.objects.filter(line__plan=plan).order_by("pk"))
        for enrolment in enrolments:
            enrolment.state = rng.choice(STATES)
        Enrolment.objects.bulk_update(enrolments, ["state"], batch_size=2000)
    draft_code = f"plan-{current.code}"
    if not Plan.objects.filter(code=draft_code).exists():
        draft = plan_create(
            code=draft_code,
            name=f"Plan de formación en datos {current.opens_at.year} (borrador)",
            campaign=current,
            budget=Decimal(800_000),
        )
        lines = plan_result(plan=draft).covered
        if lines:
            last = lines[-1]
            plan_set_choice(
                plan=draft, competency_code=last.competency_code, band=last.band, choice="must_fund"
            )
