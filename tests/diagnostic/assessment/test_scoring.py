"""Scoring against hand-computed cases and against a direct reading of DESIGN.md's formulas."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnostic.assessment.scoring import (
    AnswerData,
    TargetData,
    competency_scores,
    respondent_index,
    score_response,
)
from diagnostic.models import Answer, CompetencyScore, Question
from reports.aggregation import campaign_report
from tests.factories import (
    AnswerFactory,
    CampaignFactory,
    CompetencyFactory,
    FrameworkFactory,
    InvitationFactory,
    JobRoleFactory,
    QuestionFactory,
    ResponseFactory,
    RoleTargetFactory,
    knowledge_question,
)

SELF, KNOWLEDGE, FREQUENCY = Question.Kind.SELF, Question.Kind.KNOWLEDGE, Question.Kind.FREQUENCY


def self_(competency: int, value: int) -> AnswerData:
    return AnswerData(competency_id=competency, kind=SELF, value=value, correct=None)


def known(competency: int, correct: bool) -> AnswerData:
    return AnswerData(competency_id=competency, kind=KNOWLEDGE, value=None, correct=correct)


def often(competency: int, value: int) -> AnswerData:
    return AnswerData(competency_id=competency, kind=FREQUENCY, value=value, correct=None)


# --- by hand ------------------------------------------------------------------------------


def test_self_three_half_the_knowledge_right_at_weight_a_quarter_is_level_2_75():
    # L = 0.75 * 3 + 0.25 * 4 * 1/2 = 2.25 + 0.5 = 2.75; target 3: gap 0.25, not met
    [score] = competency_scores(
        answers=[self_(1, 3), known(1, True), known(1, False)],
        knowledge_questions={1: 2},
        targets={1: TargetData(3, 2)},
        knowledge_weight=0.25,
    )
    assert (score.self_level, score.knowledge_score, score.level) == (3, 0.5, 2.75)
    assert (score.target, score.importance, score.gap) == (3, 2, 0.25)
    assert score.required and not score.meets


def test_without_knowledge_questions_the_level_is_the_mean_of_the_self_answers():
    # S = (2 + 3) / 2 = 2.5, no knowledge question: L = S = 2.5; target 2: met, no gap
    [score] = competency_scores(
        answers=[self_(1, 2), self_(1, 3)],
        knowledge_questions={},
        targets={1: TargetData(2, 1)},
        knowledge_weight=0.25,
    )
    assert (score.level, score.knowledge_score, score.gap, score.meets) == (2.5, None, 0, True)


def test_expert_self_rating_with_no_knowledge_right_is_level_three():
    # S = 4, K = 0 ("I don't know" and a question left unanswered): L = 0.75 * 4 = 3; T 4: gap 1
    [score] = competency_scores(
        answers=[self_(1, 4), known(1, False)],
        knowledge_questions={1: 2},
        targets={1: TargetData(4, 3)},
        knowledge_weight=0.25,
    )
    assert (score.level, score.knowledge_score, score.gap, score.meets) == (3.0, 0.0, 1.0, False)


def test_a_level_exactly_on_target_meets_it_whatever_the_float_rounding():
    # w = 0.3, S = 3, K = 3/4: L = 0.7 * 3 + 0.3 * 4 * 0.75 = 2.1 + 0.9 = 3 exactly.
    # In floats this is 2.9999999999999996, which used to miss a target of 3.
    [score] = competency_scores(
        answers=[self_(1, 3), known(1, True), known(1, True), known(1, True), known(1, False)],
        knowledge_questions={1: 4},
        targets={1: TargetData(3, 1)},
        knowledge_weight=0.3,
    )
    assert score.level == 3.0 and score.meets and score.gap == 0.0


def test_a_competency_without_a_self_answer_is_unscored():
    scores = competency_scores(
        answers=[known(1, True), often(1, 4), self_(2, 1)],
        knowledge_questions={1: 1},
        targets={},
        knowledge_weight=0.25,
    )
    assert [s.competency_id for s in scores] == [2]


def test_a_missing_target_is_zero_with_importance_one_and_not_required():
    [score] = competency_scores(
        answers=[self_(1, 0)], knowledge_questions={}, targets={}, knowledge_weight=0.25
    )
    assert (score.target, score.importance, score.required, score.meets, score.gap) == (
        0,
        1,
        False,
        True,
        0,
    )


def test_usage_is_the_mean_of_the_frequency_answers_and_does_not_change_the_level():
    [score] = competency_scores(
        answers=[self_(1, 2), often(1, 1), often(1, 4)],
        knowledge_questions={},
        targets={},
        knowledge_weight=0.25,
    )
    assert (score.level, score.usage) == (2, 2.5)


def test_respondent_index_is_25_times_the_mean_level():
    # levels 2.75 and 2.5: 25 * 2.625 = 65.625
    scores = competency_scores(
        answers=[self_(1, 3), known(1, True), known(1, False), self_(2, 2), self_(2, 3)],
        knowledge_questions={1: 2},
        targets={},
        knowledge_weight=0.25,
    )
    assert respondent_index(scores) == 65.625
    assert respondent_index([]) is None


# --- against the formulas, for any answers ------------------------------------------------


def direct_level(answers, n_knowledge, w):
    """DESIGN.md "Scoring (exact)", read literally, in exact arithmetic."""
    s_values = [a.value for a in answers if a.kind == SELF]
    s = Fraction(sum(s_values), len(s_values))
    if not n_knowledge:
        return s, None
    k = Fraction(sum(1 for a in answers if a.kind == KNOWLEDGE and a.correct), n_knowledge)
    return (1 - w) * s + w * 4 * k, k


competency_answers = st.tuples(
    st.lists(st.integers(0, 4), min_size=0, max_size=3),  # self values
    st.integers(0, 3),  # knowledge questions in the framework
    st.lists(st.booleans(), max_size=3),  # knowledge answers given (correct or not)
    st.lists(st.integers(0, 4), max_size=3),  # frequency values
    st.integers(0, 4),  # target
    st.integers(1, 3),  # importance
)


@settings(max_examples=300, deadline=None)
@given(
    competencies=st.lists(competency_answers, min_size=1, max_size=5),
    weight_thousandths=st.integers(0, 1000),
)
def test_scores_follow_the_formulas_for_any_answers(competencies, weight_thousandths):
    w = Fraction(weight_thousandths, 1000)
    answers, n_knowledge, targets, expected = [], {}, {}, {}
    for cid, (selfs, n_k, given_k, freqs, target, importance) in enumerate(competencies, 1):
        given_k = given_k[:n_k]  # no more answers than questions
        mine = [self_(cid, v) for v in selfs]
        mine += [known(cid, c) for c in given_k] + [often(cid, v) for v in freqs]
        answers += mine
        n_knowledge[cid] = n_k
        targets[cid] = TargetData(target, importance)
        if selfs:
            expected[cid] = (direct_level(mine, n_k, w), target, freqs)
    scores = competency_scores(
        answers=answers,
        knowledge_questions=n_knowledge,
        targets=targets,
        knowledge_weight=weight_thousandths / 1000,
    )
    assert {s.competency_id for s in scores} == set(expected)
    for score in scores:
        (level, k), target, freqs = expected[score.competency_id]
        assert 0 <= score.level <= 4
        assert score.level == pytest.approx(float(level), abs=1e-12)
        assert score.knowledge_score == (None if k is None else pytest.approx(float(k)))
        assert score.meets == (level >= target)
        assert score.required == (target > 0)
        assert score.gap == pytest.approx(float(max(0, target - level)), abs=1e-12)
        assert score.usage == (pytest.approx(sum(freqs) / len(freqs)) if freqs else None)


# --- stored scores ------------------------------------------------------------------------


@pytest.mark.django_db
def test_score_response_stores_what_the_formula_gives_and_again_the_same():
    framework = FrameworkFactory(knowledge_weight=0.25)
    competency = CompetencyFactory(area__framework=framework, framework=framework)
    self_q = QuestionFactory(competency=competency, kind=SELF)
    right = knowledge_question(competency, correct="a")
    wrong = knowledge_question(competency, correct="a")
    response = ResponseFactory(invitation__campaign=CampaignFactory(framework=framework))
    RoleTargetFactory(
        competency=competency, job_role=response.invitation.job_role, target_level=3, importance=2
    )
    Answer.objects.create(response=response, question=self_q, value=3)
    Answer.objects.create(response=response, question=right, option=right.options.get(code="a"))
    Answer.objects.create(response=response, question=wrong, option=wrong.options.get(code="dk"))

    score_response(response=response)
    first = list(CompetencyScore.objects.values())
    score_response(response=response)
    again = list(CompetencyScore.objects.values())

    [row] = again
    assert (row["level"], row["target"], row["gap"], row["meets"]) == (2.75, 3, 0.25, False)
    assert [{**r, "id": None} for r in first] == [{**r, "id": None} for r in again]
    response.refresh_from_db()
    assert response.index == 68.75 and response.scored_at is not None


@pytest.mark.django_db
def test_answers_to_another_frameworks_questions_do_not_count():
    response = ResponseFactory()
    framework = response.invitation.campaign.framework
    competency = CompetencyFactory(area__framework=framework, framework=framework)
    Answer.objects.create(
        response=response, question=QuestionFactory(competency=competency), value=1
    )
    Answer.objects.create(response=response, question=QuestionFactory(), value=4)
    score_response(response=response)
    assert list(CompetencyScore.objects.values_list("competency", "level")) == [
        (competency.pk, 1.0)
    ]


def test_scores_and_reports_follow_the_snapshot_not_the_employees_current_place(tree):
    """DESIGN.md: the invitation records department and role at launch; later roster
    changes do not rewrite history. Three people move from WORKS as analysts to WELFARE as
    clerks after launch: their scores still carry the analyst's target and importance, and
    the report counts them in WORKS."""
    campaign = CampaignFactory(anonymity_threshold=3)
    campaign.departments.add(tree["CITY"])
    competency = CompetencyFactory(framework=campaign.framework, area__framework=campaign.framework)
    question = QuestionFactory(competency=competency, kind=SELF)
    analyst, clerk = JobRoleFactory(code="ANALYST"), JobRoleFactory(code="CLERK")
    RoleTargetFactory(competency=competency, job_role=analyst, target_level=3, importance=2)
    RoleTargetFactory(competency=competency, job_role=clerk, target_level=1, importance=3)
    for _ in range(3):
        invitation = InvitationFactory(
            campaign=campaign,
            employee__department=tree["WORKS"],
            employee__job_role=analyst,
            moved_to=(tree["WELFARE"], clerk),
        )
        assert (invitation.employee.department, invitation.employee.job_role) == (
            tree["WELFARE"],
            clerk,
        )
        response = ResponseFactory(invitation=invitation, submitted_at="2026-01-01T10:00:00Z")
        AnswerFactory(response=response, question=question, value=2)
        score_response(response=response)

    assert set(
        CompetencyScore.objects.values_list("target", "importance", "department", "job_role")
    ) == {(3, 2, tree["WORKS"].pk, analyst.pk)}
    report = campaign_report(campaign=campaign)
    works, welfare = report.group(tree["WORKS"].pk), report.group(tree["WELFARE"].pk)
    assert (works.invited, works.responded, works.suppressed) == (3, 3, False)
    assert works.competency(competency.code).n == 3
    assert (welfare.invited, welfare.responded) == (0, 0)
