"""The respondent's URLs, with the answer each role gets.

The invitation belongs to `employee`. Its link opens the assessment: opened by nobody signed
in, it works; opened by anyone signed in as someone else (HR and administrators included), it
does not exist, and the refusal is audited. Once submitted, the link alone is not enough for
the results and downloads: they answer with the results-code form (403), while the
employee's own account reads them. "My assessments" needs an account.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from diagnostic.assessment import codes
from diagnostic.assessment.scoring import score_response
from diagnostic.models import Answer, CompetencyScore, Invitation, Response
from tests.conftest import ROLES

from .data import make_assessment, started


def database_state() -> dict[str, list]:
    """Everything a respondent's request could write."""
    return {
        "answers": sorted(
            Answer.objects.values_list("response_id", "question_id", "value", "option_id")
        ),
        "responses": sorted(
            Response.objects.values_list(
                "pk", "invitation_id", "privacy_accepted_at", "submitted_at", "scored_at"
            )
        ),
        "invitations": sorted(Invitation.objects.values_list("pk", "declined_at")),
        "scores": sorted(CompetencyScore.objects.values_list("response_id", "competency_id")),
    }


OWNER_OR_LINK = ["anonymous", "employee"]
OTHERS = [role for role in ROLES if role not in OWNER_OR_LINK]

# url name -> (method, needs a submitted response, extra kwargs,
#              status for the owner's account, status for the link alone)
TOKEN_URLS = {
    "start": ("get", False, {}, 302, 302),
    "privacy": ("get", False, {}, 200, 200),
    "declined": ("get", False, {}, 200, 200),
    "area": ("get", False, {"code": "first"}, 200, 200),
    "save": ("post", False, {}, 200, 200),
    "review": ("get", False, {}, 200, 200),
    "submit": ("post", False, {}, 302, 302),
    "results": ("get", True, {}, 200, 403),  # the link alone: the results-code form
    "download": ("get", True, {"what": "answers.csv"}, 200, 403),
    "code": ("get", True, {}, 200, 200),
    "new_code": ("get", True, {}, 200, 403),  # the link alone: the results-code form
}

COVERED_URLS = {f"assessment:{name}" for name in TOKEN_URLS} | {"assessment:mine"}

CASES = [(name, role) for name in TOKEN_URLS for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_token_urls(url_name, role, client_as, employee, request):
    method, submitted, kwargs, owner_status, link_status = TOKEN_URLS[url_name]
    assessment = make_assessment(employee=employee.employee)
    response = started(assessment)
    if submitted:
        Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now())
        score_response(response=response)
    if kwargs.get("code") == "first":
        kwargs = {"code": assessment.areas[0].code}
    client = client_as(role)
    data = {f"q{assessment.questions[0].pk}": "2"} if url_name == "save" else {}
    before = database_state()
    reply = getattr(client, method)(assessment.url(url_name, **kwargs), data)
    expected = {"employee": owner_status, "anonymous": link_status}.get(role, 404)
    assert reply.status_code == expected
    if expected == 403:  # the form that asks for the code, and none of the data
        assert 'name="code"' in reply.content.decode()
        assert "Content-Disposition" not in reply
    if role not in OWNER_OR_LINK:
        assert database_state() == before
        refused = AuditEvent.objects.get(action=AuditEvent.Action.LINK_REFUSED)
        assert refused.user == request.getfixturevalue(role)


# what each post writes for the owner: (url name, kwargs, data, notice accepted before)
POSTS = {
    "save": ("save", {}, {"q": "2"}, True),
    "area": ("area", {"code": "first"}, {"q": "2", "action": "stay"}, True),
    "submit": ("submit", {}, {}, True),
    "accept the notice": ("privacy", {}, {"decision": "accept"}, False),
    "decline": ("privacy", {}, {"decision": "decline"}, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("post", POSTS)
def test_a_refused_post_changes_nothing(post, role, client_as, employee):
    url_name, kwargs, data, accepted = POSTS[post]
    assessment = make_assessment(employee=employee.employee)
    response = started(assessment)
    Answer.objects.create(response=response, question=assessment.questions[0], value=1)
    if not accepted:
        Response.objects.filter(pk=response.pk).update(privacy_accepted_at=None)
    if "code" in kwargs:
        kwargs = {"code": assessment.areas[0].code}
    first = f"q{assessment.questions[0].pk}"
    data = {(first if key == "q" else key): value for key, value in data.items()}
    client = client_as(role)
    before = database_state()
    reply = client.post(assessment.url(url_name, **kwargs), data)
    if role in OWNER_OR_LINK:
        assert reply.status_code in (200, 302)
        assert database_state() != before  # the post writes for its owner...
    else:
        assert reply.status_code == 404
        assert database_state() == before  # ...and for nobody else


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_my_assessments(role, client_as):
    reply = client_as(role).get(reverse("assessment:mine"))
    if role == "anonymous":
        assert reply.status_code == 302
        assert reply["Location"].startswith(reverse("login"))
    else:
        assert reply.status_code == 200


@pytest.mark.django_db
def test_another_employees_results_are_not_theirs_to_see(client, employee, other_employee):
    mine = make_assessment(employee=employee.employee)
    Response.objects.filter(pk=started(mine).pk).update(submitted_at=timezone.now())
    client.force_login(other_employee)
    assert client.get(mine.url("results")).status_code == 404
    assert client.get(mine.url("download", what="data.json")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_entering_the_results_code(role, client_as, employee):
    assessment = make_assessment(employee=employee.employee)
    Response.objects.filter(pk=started(assessment).pk).update(
        submitted_at=timezone.now(), results_code=codes.hashed("7KQM3XTB")
    )
    client = client_as(role)
    before = database_state()
    reply = client.post(assessment.url("code"), {"code": "7KQM-3XTB"})
    if role in OWNER_OR_LINK:
        assert reply["Location"] == assessment.url("results")
        assert client.get(assessment.url("results")).status_code == 200
    else:  # the right code does not make someone else's link theirs
        assert reply.status_code == 404
        assert client.get(assessment.url("results")).status_code == 404
    assert database_state() == before
