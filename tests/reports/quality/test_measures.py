"""Alpha, KR-20, difficulty, discrimination, option shares and flags, against hand
computations and against oracles written from DESIGN.md's words ("Instrument quality")."""

import statistics
from fractions import Fraction

import numpy as np
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest import approx

from reports.quality import measures
from reports.quality.snapshots import MIN_RESPONSES, instrument_quality

from .builders import OPTIONS, build_quality_campaign

# Three items, four people. Item variances (n - 1): 5/3, 2/3, 11/12, sum 13/4; the sums
# 3, 5, 7, 10 have variance 107/12; alpha = 3/2 * (1 - (13/4) / (107/12)) = 102/107.
HAND_ALPHA = [[0, 1, 2], [1, 2, 2], [2, 2, 3], [3, 3, 4]]
HAND_ALPHA_VALUE = Fraction(102, 107)
# KR-20: item variances 0.2, 0.3, 0.3 (sum 0.8); the sums 3, 2, 1, 0, 3 have variance 1.7;
# 3/2 * (1 - 0.8 / 1.7) = 27/34.
HAND_KR20 = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 1, 1]]
HAND_KR20_VALUE = Fraction(27, 34)


def test_alpha_matches_the_hand_computation():
    assert measures.cronbach_alpha(np.array(HAND_ALPHA, dtype=float)) == approx(
        float(HAND_ALPHA_VALUE)
    )


def test_kr20_matches_the_hand_computation():
    assert measures.cronbach_alpha(np.array(HAND_KR20, dtype=float)) == approx(
        float(HAND_KR20_VALUE)
    )


def test_alpha_is_empty_for_one_item_or_sums_without_variance():
    assert measures.cronbach_alpha(np.array([[1], [2], [3]], dtype=float)) is None
    assert measures.cronbach_alpha(np.array([[1, 3], [2, 2], [3, 1]], dtype=float)) is None


def test_a_campaign_gives_alpha_per_area_and_kr20_on_complete_cases(db):
    """32 people repeat the hand example (alpha does not change when rows are repeated: both
    variances scale alike); one more leaves an item out and is not a complete case."""
    selfs = [row for row in HAND_ALPHA for _ in range(8)] + [[4, None, 1]]
    knowledge = [
        ["a" if score else "b" for score in row] for row in (HAND_KR20 * 7)[: len(selfs) - 1]
    ] + [["dk", "dk", "dk"]]
    # The last person's "I don't know" counts as wrong, so they are a complete KR-20 case.
    built = build_quality_campaign(
        self_answers=selfs, self_areas=[0, 0, 0], knowledge_answers=knowledge
    )
    figures = instrument_quality(campaign=built.campaign)
    area = built.self_questions[0].competency.area.code
    rows = {row["scope"]: row for row in figures["reliability"]}
    assert rows[area]["n"] == 32 and rows[area]["items"] == 3
    assert rows[area]["alpha"] == approx(float(HAND_ALPHA_VALUE))
    scored = [[1 if code == "a" else 0 for code in row] for row in knowledge]
    assert rows["knowledge"]["n"] == 33
    assert rows["knowledge"]["alpha"] == approx(oracle_alpha(scored))


def oracle_alpha(rows: list[list[int]]) -> float:
    """The DESIGN.md formula, in exact arithmetic."""
    m = len(rows[0])
    columns = [[Fraction(row[i]) for row in rows] for i in range(m)]
    item_variance = sum(statistics.variance(column) for column in columns)
    sums = [Fraction(sum(row)) for row in rows]
    return float(Fraction(m, m - 1) * (1 - item_variance / statistics.variance(sums)))


def test_nothing_is_computed_below_30_responses(db):
    built = build_quality_campaign(
        self_answers=[[1, 2]] * (MIN_RESPONSES - 1),
        self_areas=[0, 0],
        knowledge_answers=[["a"]] * (MIN_RESPONSES - 1),
    )
    assert instrument_quality(campaign=built.campaign) == {"responses": MIN_RESPONSES - 1}


# --- knowledge items, on generated answers -------------------------------------------------

answer = st.sampled_from([*OPTIONS, None])


@st.composite
def knowledge_matrices(draw):
    people = draw(st.integers(MIN_RESPONSES, MIN_RESPONSES + 10))
    items = draw(st.integers(1, 4))
    return draw(
        st.lists(st.lists(answer, min_size=items, max_size=items), min_size=people, max_size=people)
    )


def expected_item(matrix: list[list[str | None]], k: int) -> dict:
    """From DESIGN.md's words: over the respondents who answered the item, p = correct / n;
    discrimination = Pearson of the item's 0/1 score with the number of *other* items answered
    correctly (unanswered counts 0), empty without variance; share choosing each option."""
    who = [row for row in matrix if row[k] is not None]
    n = len(who)
    own = [1 if row[k] == "a" else 0 for row in who]
    rest = [sum(1 for j, code in enumerate(row) if j != k and code == "a") for row in who]
    try:
        power = round(statistics.correlation(own, rest), 12) if n >= 2 else None
    except statistics.StatisticsError:
        power = None
    shares = {code: sum(row[k] == code for row in who) / n for code in OPTIONS} if n else {}
    p = sum(own) / n if n else None
    flags = []
    if p is not None and p < 0.2:
        flags.append("too_hard")
    if p is not None and p > 0.9:
        flags.append("too_easy")
    if power is not None and power < 0.2:
        flags.append("low_discrimination")
    if power is not None and power < 0:
        flags.append("check_key")
    if any(share < 0.05 for share in shares.values()):
        flags.append("rare_option")
    return {"n": n, "difficulty": p, "discrimination": power, "shares": shares, "flags": flags}


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(matrix=knowledge_matrices())
def test_items_match_a_direct_computation(db, matrix):
    with transaction.atomic():
        built = build_quality_campaign(
            self_answers=[[2] for _ in matrix], self_areas=[0], knowledge_answers=matrix
        )
        items = instrument_quality(campaign=built.campaign)["items"]
    assert [item["question_code"] for item in items] == [q.code for q in built.knowledge_questions]
    for k, item in enumerate(items):
        want = expected_item(matrix, k)
        assert item["n"] == want["n"]
        assert item["difficulty"] == approx(want["difficulty"])
        assert item["discrimination"] == approx(want["discrimination"], abs=1e-9)
        assert {o["code"]: o["share"] for o in item["options"]} == approx(want["shares"])
        assert item["flags"] == want["flags"]
