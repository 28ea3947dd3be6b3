"""The lines, cohorts, cost and funding rule against DESIGN.md read literally.

The oracle below is written from the design's sentences, not from reports/plan/funding.py: it
walks the needs, picks the offering by scanning for the cheapest (exact fractions), and funds
in the stated order with a running remainder. Hypothesis draws catalogues with equal unit
costs (ties by code), capacities at and around the participant counts, needs with no
offering, budgets of zero and must-fund lines above the budget."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.plan.funding import Need, Terms, build_plan

COMPETENCIES = ["C1", "C2", "C3"]


def oracle(needs, offerings, budget, choices):
    lines = []
    uncovered = []
    for need in needs:
        best = None
        for o in offerings:
            if o.competency_code != need.competency_code:
                continue
            if not (o.level_from <= need.band < o.level_to):
                continue
            unit = Fraction(o.cost_per_person) + Fraction(o.cost_per_cohort) / o.capacity
            if best is None or unit < best[0] or (unit == best[0] and o.code < best[1].code):
                best = (unit, o)
        if best is None:
            uncovered.append(need)
            continue
        o = best[1]
        participants = need.count
        cohorts = -(-participants // o.capacity)
        lines.append(
            {
                "key": (need.competency_code, need.band),
                "offering": o.code,
                "participants": participants,
                "cohorts": cohorts,
                "cost": cohorts * o.cost_per_cohort + participants * o.cost_per_person,
                "hours": participants * o.hours,
                "priority": need.priority,
                "choice": choices.get((need.competency_code, need.band), ""),
            }
        )
    must = [x for x in lines if x["choice"] == "must_fund"]
    rest = [x for x in lines if x["choice"] != "must_fund"]

    def by_priority(x):
        return (-x["priority"], x["key"][0], x["key"][1])

    remaining = budget
    status = {}
    for x in sorted(must, key=by_priority) + sorted(rest, key=by_priority):
        if x["choice"] == "excluded":
            status[x["key"]] = "excluded"
        elif x["cost"] <= remaining:
            status[x["key"]] = "funded"
            remaining -= x["cost"]
        else:
            status[x["key"]] = "over_budget"
    funded = [x for x in lines if status[x["key"]] == "funded"]
    all_priority = sum(x["priority"] for x in lines) + sum(n.priority for n in uncovered)
    return {
        "lines": {x["key"]: {**x, "status": status[x["key"]]} for x in lines},
        "order": [x["key"] for x in sorted(must, key=by_priority) + sorted(rest, key=by_priority)],
        "uncovered": {(n.competency_code, n.band): n.count for n in uncovered},
        "used": sum((x["cost"] for x in funded), Decimal(0)),
        "covered": (sum(x["priority"] for x in funded) / all_priority) if all_priority else None,
        "reached": sum(x["participants"] for x in funded),
    }


money = st.sampled_from([Decimal(v) for v in ("0", "100", "250.50", "1000", "3000")])


@st.composite
def offerings(draw):
    result = []
    for i in range(draw(st.integers(0, 6))):
        level_from = draw(st.integers(0, 3))
        result.append(
            Terms(
                code=f"O{draw(st.integers(0, 99)):02d}-{i}",
                competency_code=draw(st.sampled_from(COMPETENCIES)),
                level_from=level_from,
                level_to=draw(st.integers(level_from + 1, 4)),
                hours=draw(st.sampled_from([Decimal("4"), Decimal("12.5")])),
                cost_per_person=draw(money),
                cost_per_cohort=draw(money),
                capacity=draw(st.integers(1, 12)),
            )
        )
    return result


@st.composite
def needs(draw):
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(COMPETENCIES), st.integers(0, 3)), unique=True, max_size=10
        )
    )
    # Priorities in quarters: exact in binary, so equal ones really tie.
    return [Need(c, b, draw(st.integers(1, 30)), draw(st.integers(1, 40)) / 4) for c, b in keys]


@settings(max_examples=300, deadline=None)
@given(
    needs=needs(),
    offerings=offerings(),
    budget=st.sampled_from([Decimal(v) for v in ("0", "500", "2500", "10000", "100000")]),
    data=st.data(),
)
def test_plan_matches_the_formulas(needs, offerings, budget, data):
    choices = {
        (n.competency_code, n.band): data.draw(st.sampled_from(["", "must_fund", "excluded"]))
        for n in needs
    }
    choices = {k: v for k, v in choices.items() if v}
    expected = oracle(needs, offerings, budget, choices)
    result = build_plan(needs=needs, offerings=offerings, budget=budget, choices=choices)

    got = {
        (line.competency_code, line.band): {
            "key": (line.competency_code, line.band),
            "offering": line.terms.code,
            "participants": line.participants,
            "cohorts": line.cohorts,
            "cost": line.cost,
            "hours": line.hours,
            "priority": line.priority,
            "choice": line.choice,
            "status": line.status,
        }
        for line in result.covered
    }
    assert got == expected["lines"]
    assert [(line.competency_code, line.band) for line in result.covered] == expected["order"]
    assert {
        (line.competency_code, line.band): line.participants for line in result.uncovered
    } == expected["uncovered"]
    assert all(line.status == "uncovered" for line in result.uncovered)
    assert result.budget_used == expected["used"]
    assert result.budget_used <= budget
    assert result.people_reached == expected["reached"]
    if expected["covered"] is None:
        assert result.priority_covered is None
    else:
        assert abs(result.priority_covered - expected["covered"]) < 1e-12


def terms(code, *, person="0", cohort="0", capacity=10, level_from=0, level_to=4, comp="C1"):
    return Terms(
        code, comp, level_from, level_to, Decimal(4), Decimal(person), Decimal(cohort), capacity
    )


def test_equal_unit_costs_fall_to_the_lower_code():
    # 100 + 0/10 and 0 + 1000/10 cost the same per participant.
    result = build_plan(
        needs=[Need("C1", 1, 5, 2.0)],
        offerings=[terms("B", person="100"), terms("A", cohort="1000")],
        budget=Decimal(0),
    )
    assert result.lines[0].terms.code == "A"


def test_a_unit_cost_below_a_centavo_still_decides():
    result = build_plan(
        needs=[Need("C1", 1, 5, 2.0)],
        offerings=[terms("A", cohort="100", capacity=3), terms("B", person="33.33")],
        budget=Decimal(0),
    )
    # 100 / 3 = 33.333... > 33.33
    assert result.lines[0].terms.code == "B"


def test_cohorts_at_and_just_over_capacity():
    at = build_plan(
        needs=[Need("C1", 0, 10, 1.0)], offerings=[terms("A", cohort="10", capacity=10)], budget=0
    )
    over = build_plan(
        needs=[Need("C1", 0, 11, 1.0)], offerings=[terms("A", cohort="10", capacity=10)], budget=0
    )
    assert (at.lines[0].cohorts, at.lines[0].cost) == (1, Decimal(10))
    assert (over.lines[0].cohorts, over.lines[0].cost) == (2, Decimal(20))


def test_the_step_contains_its_lower_level_and_not_its_upper_one():
    offering = terms("A", level_from=1, level_to=3)
    result = build_plan(
        needs=[Need("C1", b, 1, 1.0) for b in range(4)], offerings=[offering], budget=Decimal(0)
    )
    assert {line.band for line in result.covered} == {1, 2}
    assert {line.band for line in result.uncovered} == {0, 3}


def test_a_budget_of_zero_funds_only_free_lines():
    result = build_plan(
        needs=[Need("C1", 0, 3, 5.0), Need("C2", 0, 3, 1.0)],
        offerings=[terms("PAID", person="1"), terms("FREE", comp="C2")],
        budget=Decimal(0),
    )
    assert {line.terms.code: line.status for line in result.lines} == {
        "PAID": "over_budget",
        "FREE": "funded",
    }
    assert result.budget_used == 0
    assert result.priority_covered == 1 / 6


def test_a_must_fund_line_above_the_budget_is_over_budget_and_the_rest_still_considered():
    result = build_plan(
        needs=[Need("C1", 0, 10, 1.0), Need("C2", 0, 1, 9.0)],
        offerings=[terms("BIG", person="100"), terms("SMALL", person="50", comp="C2")],
        budget=Decimal(60),
        choices={("C1", 0): "must_fund"},
    )
    assert [(line.terms.code, line.status) for line in result.lines] == [
        ("BIG", "over_budget"),
        ("SMALL", "funded"),
    ]
    assert result.people_reached == 1


def test_a_need_with_no_offering_is_uncovered_with_its_count_and_priority():
    result = build_plan(needs=[Need("C3", 2, 7, 4.5)], offerings=[], budget=Decimal(100))
    (line,) = result.uncovered
    assert (line.participants, line.priority, line.status) == (7, 4.5, "uncovered")
    assert result.priority_covered == 0
