"""Personal results: levels against the role's targets, strengths, the largest gaps with the
next level's descriptor, the index, a chart with the same figures in a table, and downloads."""

import csv
import dataclasses
import io
import json

import pytest
from django.utils import timezone

from diagnostic.assessment.charts import levels_against_targets
from diagnostic.assessment.downloads import rows_as_csv
from diagnostic.assessment.results import personal_results
from diagnostic.assessment.scoring import score_response
from diagnostic.models import Answer, ProficiencyLevel, Question, Response
from tests.factories import (
    AreaFactory,
    CampaignFactory,
    CompetencyFactory,
    EmployeeFactory,
    FrameworkFactory,
    InvitationFactory,
    QuestionFactory,
    ResponseFactory,
    RoleTargetFactory,
    editable,
    knowledge_question,
)

from .data import Assessment, open_as_submitter, open_link

pytestmark = pytest.mark.django_db


def scored(*, selves: list[int], targets: list[int], employee=None) -> Assessment:
    """One self question per competency, answered with `selves`; no knowledge questions, so
    each level is the self value."""
    framework = FrameworkFactory()
    area = AreaFactory(framework=framework)
    employee = employee or EmployeeFactory()
    invitation = InvitationFactory(campaign=CampaignFactory(framework=framework), employee=employee)
    response = ResponseFactory(invitation=invitation, submitted_at=timezone.now())
    questions = []
    for value, target in zip(selves, targets, strict=True):
        competency = CompetencyFactory(area=area, framework=framework)
        RoleTargetFactory(competency=competency, job_role=employee.job_role, target_level=target)
        question = QuestionFactory(competency=competency, kind=Question.Kind.SELF)
        Answer.objects.create(response=response, question=question, value=value)
        questions.append(question)
    score_response(response=response)
    return Assessment(invitation=invitation, areas=[area], questions=questions)


def test_strengths_and_the_three_largest_gaps_with_what_the_next_level_looks_like():
    assessment = scored(selves=[0, 1, 2, 4, 1], targets=[3, 3, 3, 3, 1])
    codes = [q.competency.code for q in assessment.questions]
    results = personal_results(response=assessment.response())
    assert [(r.code, r.level, r.target, r.gap) for r in results.competencies] == [
        (codes[0], 0, 3, 3),
        (codes[1], 1, 3, 2),
        (codes[2], 2, 3, 1),
        (codes[3], 4, 3, 0),
        (codes[4], 1, 1, 0),
    ]
    assert [r.code for r in results.strengths] == [codes[3], codes[4]]
    assert [(r.code, r.next_level, r.next_descriptor) for r in results.largest_gaps] == [
        (codes[0], 1, f"Nivel 1 de {codes[0]}"),
        (codes[1], 2, f"Nivel 2 de {codes[1]}"),
        (codes[2], 3, f"Nivel 3 de {codes[2]}"),
    ]
    assert results.index == 25 * (0 + 1 + 2 + 4 + 1) / 5


def test_an_unscored_competency_is_named_and_left_out():
    assessment = scored(selves=[2], targets=[2])
    CompetencyFactory(area=assessment.areas[0], framework=assessment.campaign.framework)
    results = personal_results(response=assessment.response())
    assert len(results.competencies) == 1 and len(results.unscored) == 1


def test_the_chart_has_a_bar_per_level_and_a_marker_per_target():
    assessment = scored(selves=[1, 3], targets=[2, 4])
    figure = levels_against_targets(results=personal_results(response=assessment.response()))
    bars, targets = figure["data"]
    assert bars["type"] == "bar" and targets["type"] == "scatter"
    assert list(bars["x"]) == [3, 1] and list(targets["x"]) == [4, 2]  # plotly draws bottom-up
    assert figure["layout"]["xaxis"]["range"] == [0, 4.05]


def test_the_chart_draws_a_competency_name_as_typed_never_as_markup():
    results = personal_results(response=scored(selves=[1], targets=[2]).response())
    hostile = '<a href="https://evil.example">Datos</a>'  # as an editor may type it
    results.competencies[0] = dataclasses.replace(results.competencies[0], name=hostile)
    figure = levels_against_targets(results=results)
    names = [*figure["data"][0]["y"], *figure["data"][1]["y"]]
    assert names == ['&lt;a href="https://evil.example"&gt;Datos&lt;/a&gt;'] * 2


def test_results_page_shows_the_figure_the_table_strengths_gaps_and_index(client):
    assessment = scored(selves=[1, 4], targets=[3, 2])
    open_as_submitter(client, assessment)
    body = client.get(assessment.url("results")).content.decode()
    assert '<script id="personal-figure" type="application/json">' in body
    assert "plotly/plotly.min.js" in body and "js/charts.js" in body
    assert "<table" in body and body.count('<th scope="row"') == 2
    assert "Sus fortalezas" in body and "Dónde crecer ahora" in body
    assert f"Nivel 2 de {assessment.questions[0].competency.code}" in body
    assert 'data-testid="respondent-index">63 ' in body  # 25 * (1 + 4) / 2 = 62.5


def test_results_before_scoring_say_they_are_being_calculated(client):
    assessment = scored(selves=[2], targets=[2])
    Response.objects.update(scored_at=None)
    open_as_submitter(client, assessment)
    body = client.get(assessment.url("results")).content.decode()
    assert "se están calculando" in body and "personal-figure" not in body


def test_results_before_submitting_lead_back_to_the_questionnaire(client):
    assessment = scored(selves=[2], targets=[2])
    Response.objects.update(submitted_at=None)
    open_link(client, assessment)
    assert client.get(assessment.url("results"))["Location"] == assessment.url("start")


@pytest.mark.parametrize("competencies", [2, 12])
def test_results_page_queries_do_not_grow_with_the_competencies(
    client, django_assert_num_queries, competencies
):
    assessment = scored(selves=[2] * competencies, targets=[3] * competencies)
    open_as_submitter(client, assessment)
    # The level names (results that explain themselves) and the workforce plan's offerings for
    # the largest gaps (reports/plan/offerings.py): one query each, whatever the size.
    with django_assert_num_queries(QUERIES):
        assert client.get(assessment.url("results")).status_code == 200


QUERIES = 10  # the response comes with the invitation of the link


def test_each_level_says_its_name_and_what_self_rating_and_knowledge_gave(client):
    assessment = scored(selves=[3, 2], targets=[4, 2])
    knowing = assessment.questions[0].competency
    question = knowledge_question(knowing)
    response = assessment.response()
    Answer.objects.create(
        response=response, question=question, option=question.options.get(code="a")
    )
    score_response(response=response)
    with editable(knowing.framework):
        ProficiencyLevel.objects.create(
            framework=knowing.framework, level=3, name_es_mx="Dominio", name_en="Practitioner"
        )
    first, second = personal_results(response=response).competencies
    # L = 0.75 * 3 + 0.25 * 4 * 1 = 3.25, at level 3 ("Dominio"); the next one is 4.
    assert (first.level, first.self_level, first.knowledge) == (3.25, 3, 4)
    assert (first.level_name, first.next_level) == ("Dominio", 4)
    assert (second.level, second.knowledge, second.level_name) == (2, None, "Aplicación")
    open_as_submitter(client, assessment)
    body = client.get(assessment.url("results")).content.decode()
    assert '3.25 <span class="small">Dominio</span>' in body
    assert "multiplicado por 25" in body and "pesa 25 %" in body


def test_own_answers_download_as_csv_with_a_bom(client):
    assessment = scored(selves=[3, 1], targets=[2, 2])
    open_as_submitter(client, assessment)
    reply = client.get(assessment.url("download", what="answers.csv"))
    assert reply["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in reply["Content-Disposition"]
    text = reply.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["question_code"], r["kind"], r["value"], r["correct"]) for r in rows] == [
        (q.code, "self", v, "") for q, v in zip(assessment.questions, ["3", "1"], strict=True)
    ]


def test_own_results_download_as_csv_and_everything_as_json(client):
    assessment = scored(selves=[3], targets=[4])
    open_as_submitter(client, assessment)
    text = client.get(assessment.url("download", what="results.csv")).content.decode()
    [row] = list(csv.DictReader(io.StringIO(text[1:])))
    assert (row["level"], row["target"], row["gap"], row["meets"]) == ("3.0000", "4", "1.0000", "0")
    data = json.loads(client.get(assessment.url("download", what="data.json")).content)
    assert data["campaign"] == assessment.campaign.code
    assert data["index"] == 75.0
    assert [a["value"] for a in data["answers"]] == [3]
    assert [s["level"] for s in data["scores"]] == [3.0]
    assert client.get(assessment.url("download", what="other.txt")).status_code == 404


def test_csv_cells_that_could_run_as_formulas_are_escaped():
    text = rows_as_csv(
        rows=[{"a": "=HYPERLINK(1)", "b": "-1.5"}, {"a": "＠SUM", "b": "+x"}], columns=["a", "b"]
    )
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1:] == [["'=HYPERLINK(1)", "-1.5"], ["'＠SUM", "'+x"]]
