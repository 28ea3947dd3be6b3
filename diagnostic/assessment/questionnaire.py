"""The employee's way through the assessment: plain functions the views and tests call.

Every write here is durable and idempotent: an answer is an upsert on (response, question),
so a retried or duplicated save leaves the same row, and a submission is a conditional
UPDATE that only the first of any number of concurrent submits can win.
"""

from dataclasses import dataclass, field
from functools import partial

from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..exceptions import (
    AlreadySubmittedError,
    CampaignNotOpenError,
    InvalidAnswerError,
    PrivacyNoticeNotAcceptedError,
)
from ..models import (
    Answer,
    Area,
    Campaign,
    Frequency,
    Invitation,
    Level,
    LevelDescriptor,
    Option,
    PrivacyNotice,
    Question,
    Response,
)
from ..tasks import enqueue_scoring
from . import codes, published_questions, question_fieldsets

FIELD_PREFIX = "q"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class AnswerInput:
    question_id: int
    value: int | None
    option_id: int | None


# --- who may answer -----------------------------------------------------------------------


def require_open(*, campaign: Campaign) -> None:
    if not campaign.is_open():
        raise CampaignNotOpenError


def start_response(*, invitation: Invitation) -> Response:
    """The invitation's response, made on first visit; the same one from any device."""
    require_open(campaign=invitation.campaign)
    response, _created = Response.objects.get_or_create(invitation=invitation)
    return response


def privacy_notice_for(*, campaign: Campaign) -> PrivacyNotice | None:
    """The campaign's notice, or the latest one when the campaign names none."""
    return campaign.privacy_notice or PrivacyNotice.objects.order_by("-version").first()


def accept_privacy_notice(*, response: Response, notice: PrivacyNotice | None) -> None:
    """Record the acceptance once; accepting again keeps the first time. Someone who had
    declined and now takes part is no longer counted as declined."""
    Response.objects.filter(pk=response.pk, privacy_accepted_at__isnull=True).update(
        privacy_accepted_at=timezone.now(), privacy_notice=notice, updated_at=timezone.now()
    )
    Invitation.objects.filter(pk=response.invitation_id, declined_at__isnull=False).update(
        declined_at=None
    )
    response.refresh_from_db(fields=["privacy_accepted_at", "privacy_notice"])


def decline(*, invitation: Invitation) -> None:
    """Participation is voluntary: declining removes any unsubmitted draft and its answers,
    and stops the reminders."""
    with transaction.atomic():
        Response.objects.filter(invitation=invitation, submitted_at__isnull=True).delete()
        Invitation.objects.filter(pk=invitation.pk).update(declined_at=timezone.now())


def require_answerable(*, response: Response) -> None:
    if response.submitted_at is not None:
        raise AlreadySubmittedError
    require_open(campaign=response.invitation.campaign)
    if response.privacy_accepted_at is None:
        raise PrivacyNoticeNotAcceptedError


# --- what is asked ------------------------------------------------------------------------


def areas_of(*, campaign: Campaign) -> list[Area]:
    """The pages of the questionnaire, in order, each with its number of questions; kept
    for a published version (`published_questions`) when the campaign holds its framework."""
    framework = campaign.framework if Campaign.framework.is_cached(campaign) else None
    return published_questions.cached(
        framework=framework,
        kind="areas",
        load=lambda: list(
            Area.objects.filter(framework_id=campaign.framework_id)
            .annotate(question_count=Count("competencies__questions"))
            .filter(question_count__gt=0)
            .order_by("position", "code")
        ),
    )


def _loaded_framework(response: Response):
    """The response's framework when the page already holds it (access.response_of), else
    None: a caller that holds less asks the database as before."""
    if not Response.invitation.is_cached(response):
        return None
    campaign = response.invitation.campaign
    return campaign.framework if Campaign.framework.is_cached(campaign) else None


def answer_rules(*, framework) -> dict[int, tuple[str, frozenset[str]]]:
    """Each question of a version: its kind and, for a knowledge question, its options'
    pks as posted; kept for a published version."""

    def load():
        options: dict[int, set[str]] = {}
        rows = Option.objects.filter(question__framework_id=framework.pk)
        for question_id, option_id in rows.values_list("question_id", "pk"):
            options.setdefault(question_id, set()).add(str(option_id))
        kinds = Question.objects.filter(framework_id=framework.pk).values_list("pk", "kind")
        return {pk: (kind, frozenset(options.get(pk, ()))) for pk, kind in kinds}

    return published_questions.cached(framework=framework, kind="rules", load=load)


def questions_of(*, area: Area) -> list[Question]:
    """One area's questions with what their choices need, in three queries."""
    return list(
        Question.objects.filter(competency__area=area)
        .select_related("competency")
        .prefetch_related(
            Prefetch("competency__descriptors", queryset=LevelDescriptor.objects.order_by("level")),
            "options",
        )
        .order_by("competency__position", "competency__code", "position", "code")
    )


def choices_for(question: Question) -> list[Choice]:
    """Self: the competency's level descriptors; knowledge: its options; frequency: the scale."""
    if question.kind == Question.Kind.KNOWLEDGE:
        return [Choice(str(o.pk), o.text) for o in question.options.all()]
    if question.kind == Question.Kind.FREQUENCY:
        return [Choice(str(value), label) for value, label in Frequency.choices]
    descriptors = {d.level: d.text for d in question.competency.descriptors.all()}
    return [Choice(str(level), descriptors.get(level) or label) for level, label in Level.choices]


def answered_values(*, response: Response) -> dict[int, str]:
    """The saved answer of each question of the questionnaire, as the value its radio button
    carries: one query gives both an area's choices and the counter (its length)."""
    rows = Answer.objects.filter(
        response=response, question__framework_id=response.invitation.campaign.framework_id
    )
    return {
        question_id: str(option_id if option_id is not None else value)
        for question_id, value, option_id in rows.values_list("question_id", "value", "option_id")
    }


def answered_count(*, response: Response) -> int:
    return Answer.objects.filter(
        response=response, question__framework_id=response.invitation.campaign.framework_id
    ).count()


def questions_total(*, response: Response) -> int:
    """The number of questions of the response's questionnaire; kept for a published one."""
    framework = _loaded_framework(response)
    if framework is not None and framework.is_locked:
        return len(answer_rules(framework=framework))
    return Question.objects.filter(framework_id=response.invitation.campaign.framework_id).count()


def progress(*, response: Response) -> tuple[int, int]:
    """(answered, total) questions of the response's questionnaire: what the counter and the
    progress bar show after each save."""
    return answered_count(response=response), questions_total(response=response)


def _unanswered(*, response: Response):
    return (
        Question.objects.filter(framework_id=response.invitation.campaign.framework_id)
        .exclude(pk__in=Answer.objects.filter(response=response).values("question_id"))
        .select_related("competency__area")
        .order_by(
            "competency__area__position",
            "competency__area__code",
            "competency__position",
            "competency__code",
            "position",
            "code",
        )
    )


def unanswered_by_area(*, response: Response) -> list[tuple[Area, list[Question]]]:
    """What is still unanswered, grouped by page, for the review page."""
    grouped: dict[int, tuple[Area, list[Question]]] = {}
    for question in _unanswered(response=response):
        area = question.competency.area
        grouped.setdefault(area.pk, (area, []))[1].append(question)
    return list(grouped.values())


def resume_area(*, response: Response) -> Area | None:
    """The first page with an unanswered question, or None when all are answered."""
    question = _unanswered(response=response).first()
    return question.competency.area if question else None


# --- answering ----------------------------------------------------------------------------


def _where(question: Question) -> dict:
    return {
        "question": Truncator(question.text).chars(80),
        "code": question.code,
        "area": question.competency.area.name,
    }


def parse_answers(*, response: Response, data) -> list[AnswerInput]:
    """Validate the answers of a post (fields `q<question pk>`), all or nothing.

    Raises InvalidAnswerError naming the question and area at fault. Other fields are ignored.
    """
    posted: dict[int, list[str]] = {}
    for key in data:
        if not key.startswith(FIELD_PREFIX):
            continue
        pk = key[len(FIELD_PREFIX) :]
        if not pk.isdigit():
            raise InvalidAnswerError(
                _("“%(field)s” is not a question of this assessment; nothing was saved.")
                % {"field": key}
            )
        posted[int(pk)] = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
    if not posted:
        return []
    framework = _loaded_framework(response)
    if framework is not None and framework.is_locked:
        rules = answer_rules(framework=framework)
        answers = [_checked_by_rules(pk, values, rules) for pk, values in sorted(posted.items())]
        if None not in answers:
            return answers  # else the questions are read to say which answer is wrong
    framework_id = response.invitation.campaign.framework_id
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=posted, framework_id=framework_id)
        .select_related("competency__area")
        .prefetch_related("options")
    }
    answers = []
    for pk, values in sorted(posted.items()):
        question = questions.get(pk)
        if question is None:
            raise InvalidAnswerError(
                _("Question %(field)s is not part of this assessment; nothing was saved.")
                % {"field": f"{FIELD_PREFIX}{pk}"}
            )
        answers.append(_parse_one(question=question, values=values))
    return answers


def _checked_by_rules(pk: int, values: list[str], rules) -> AnswerInput | None:
    """`_parse_one` against a published version's kept rules; None where it would raise."""
    rule = rules.get(pk)
    if rule is None:
        return None
    raw = values[0].strip() if len(values) == 1 else ""
    kind, options = rule
    if kind == Question.Kind.KNOWLEDGE:
        return (
            AnswerInput(question_id=pk, value=None, option_id=int(raw)) if raw in options else None
        )
    if raw.isdigit() and 0 <= int(raw) <= 4:
        return AnswerInput(question_id=pk, value=int(raw), option_id=None)
    return None


def _parse_one(*, question: Question, values: list[str]) -> AnswerInput:
    raw = values[0].strip() if len(values) == 1 else ""
    if question.kind == Question.Kind.KNOWLEDGE:
        options = {str(o.pk) for o in question.options.all()}
        if raw in options:
            return AnswerInput(question_id=question.pk, value=None, option_id=int(raw))
    elif raw.isdigit() and 0 <= int(raw) <= 4:
        return AnswerInput(question_id=question.pk, value=int(raw), option_id=None)
    raise InvalidAnswerError(
        _(
            "The answer to “%(question)s” (%(code)s, area “%(area)s”) is not one of its "
            "choices; nothing was saved."
        )
        % _where(question)
    )


def save_answers(*, response: Response, answers: list[AnswerInput]) -> int:
    """Write answers as given (the later save of a question wins); idempotent.

    The guard is a conditional UPDATE of the response: it takes the row lock that a
    concurrent submit holds, so no answer lands after the submission.
    """
    require_answerable(response=response)
    if not answers:
        return 0
    now = timezone.now()
    with transaction.atomic():
        if not Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
            updated_at=now
        ):
            raise AlreadySubmittedError
        Answer.objects.bulk_create(
            [
                Answer(
                    response_id=response.pk,
                    question_id=a.question_id,
                    value=a.value,
                    option_id=a.option_id,
                )
                for a in answers
            ],
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=["value", "option", "answered_at"],
        )
    return len(answers)


def save_and_count(*, response: Response, answers: list[AnswerInput]) -> int:
    """`save_answers`, then the number of the questionnaire's questions answered: what the
    save's status line shows. On PostgreSQL one statement does both (`_save_and_count_sql`)."""
    if answers and connection.vendor == "postgresql":
        require_answerable(response=response)
        return _save_and_count_sql(response=response, answers=answers)
    save_answers(response=response, answers=answers)
    return answered_count(response=response)


def _save_and_count_sql(*, response: Response, answers: list[AnswerInput]) -> int:
    """`save_answers` and `answered_count` in one PostgreSQL statement, for the save that
    runs on every answer: one round trip and no transaction to open and commit, instead of
    four. The same guard: the UPDATE of the response waits for the row lock a concurrent
    submit holds, then finds it submitted and the INSERT, which reads from it, writes
    nothing. The count sees the statement's snapshot, from before the INSERT: the answers
    saved now are added to the earlier answers of other questions."""
    now = timezone.now()
    answer_table, response_table = Answer._meta.db_table, Response._meta.db_table
    question_table = Question._meta.db_table
    posted = ", ".join(["(%s::bigint, %s::smallint, %s::bigint)"] * len(answers))
    sql = f"""
        WITH guard AS (
            UPDATE {response_table} SET updated_at = %s
            WHERE id = %s AND submitted_at IS NULL RETURNING id
        ), saved AS (
            INSERT INTO {answer_table} (response_id, question_id, value, option_id, answered_at)
            SELECT guard.id, posted.question_id, posted.value, posted.option_id, %s
            FROM guard CROSS JOIN (VALUES {posted}) AS posted (question_id, value, option_id)
            ON CONFLICT (response_id, question_id) DO UPDATE SET value = EXCLUDED.value,
                option_id = EXCLUDED.option_id, answered_at = EXCLUDED.answered_at
            RETURNING question_id
        )
        SELECT (SELECT count(*) FROM guard), (SELECT count(*) FROM saved) + (
            SELECT count(*) FROM {answer_table} AS a
            JOIN {question_table} AS q ON q.id = a.question_id
            WHERE a.response_id = %s AND q.framework_id = %s
            AND a.question_id NOT IN (SELECT question_id FROM saved)
        )
    """  # noqa: S608 - the names are the models' own tables; every value is a parameter
    values = [v for a in answers for v in (a.question_id, a.value, a.option_id)]
    framework_id = response.invitation.campaign.framework_id
    params = [now, response.pk, now, *values, response.pk, framework_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        guarded, answered = cursor.fetchone()
    if not guarded:
        raise AlreadySubmittedError
    return answered


def submit_response(*, response: Response) -> str | None:
    """Submit once: the results code for the call that submitted, None for any repeat.

    The code's hash is written by the same conditional UPDATE as the submission, so every
    submitted response has one and a repeat cannot replace it. Scoring is enqueued and the
    code e-mailed only after the submission commits, and a broker that cannot take the task
    does not undo the submission (`score_pending_responses` catches up).
    """
    require_open(campaign=response.invitation.campaign)
    if response.privacy_accepted_at is None:
        raise PrivacyNoticeNotAcceptedError

    code = codes.new_code()
    code_hash = codes.hashed(code)  # slow on purpose: before the row lock, not under it
    with transaction.atomic():
        Response.objects.select_for_update().filter(pk=response.pk).first()
        now = timezone.now()
        submitted = Response.objects.filter(pk=response.pk, submitted_at__isnull=True).update(
            submitted_at=now, updated_at=now, results_code=code_hash
        )
        if submitted:
            transaction.on_commit(partial(enqueue_scoring, response_pk=response.pk))
            transaction.on_commit(
                partial(codes.send_results_code, invitation=response.invitation, code=code)
            )
    response.refresh_from_db(fields=["submitted_at", "results_code"])
    return code if submitted else None


def open_invitations_of(*, user) -> list[Invitation]:
    """A signed-in employee's invitations in open campaigns, and past ones they submitted."""
    now = timezone.now()
    return list(
        Invitation.objects.for_user(user)
        .filter(
            Q(campaign__in=Campaign.objects.open(now=now)) | Q(response__submitted_at__isnull=False)
        )
        .select_related("campaign", "response")
        .order_by("-campaign__opens_at")
    )


# --- a page of the questionnaire ---------------------------------------------------------


@dataclass(frozen=True)
class AreaPage:
    """One page of the questionnaire: where it stands among the pages and, unless its post
    was saved, each question with its choices and the value chosen."""

    areas: list[Area]
    position: int
    saved: bool = False
    fieldsets: question_fieldsets.Fieldsets | question_fieldsets.Uncached | None = None
    selected: dict[int, str] = field(default_factory=dict)
    answered: int = 0
    error: str | None = None

    def fieldsets_html(self, *, save_url: str):
        """The page's questions, each with the value chosen (saved, or as posted)."""
        return self.fieldsets.html(selected=self.selected, save_url=save_url)

    @property
    def area(self) -> Area:
        return self.areas[self.position]

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def previous(self) -> Area | None:
        return self.areas[self.position - 1] if self.position else None

    @property
    def total(self) -> int:
        return sum(a.question_count for a in self.areas)

    def next_page(self, action: str | None) -> Area | None:
        """The page a button of this one leads to; None for the review."""
        if action == "previous" and self.position > 0:
            return self.areas[self.position - 1]
        if action == "next" and self.position + 1 < len(self.areas):
            return self.areas[self.position + 1]
        if action == "stay":
            return self.area
        return None


def area_page(*, response: Response, code: str, data=None) -> AreaPage | None:
    """The page of area `code`, None when the questionnaire has none; `data` (the page's
    post, if any) is saved first, all or nothing.

    A saved post gives a page with `saved` set and nothing else loaded. A post that does not
    validate gives the page with the error and the choices as posted, so that nothing the
    respondent picked is lost on the page that says what is wrong.
    """
    require_answerable(response=response)
    areas = areas_of(campaign=response.invitation.campaign)
    position = next((i for i, a in enumerate(areas) if a.code == code), None)
    if position is None:
        return None
    error, posted = None, {}
    if data is not None:
        try:
            save_answers(response=response, answers=parse_answers(response=response, data=data))
        except InvalidAnswerError as invalid:
            error, posted = invalid.message, _posted_values(data)
        else:
            return AreaPage(areas=areas, position=position, saved=True)
    area = areas[position]
    fieldsets = question_fieldsets.area_fieldsets(
        framework=response.invitation.campaign.framework,
        area=area,
        items=lambda: [(q, choices_for(q)) for q in questions_of(area=area)],
    )
    saved = answered_values(response=response)
    return AreaPage(
        areas=areas,
        position=position,
        fieldsets=fieldsets,
        selected={pk: saved[pk] for pk in fieldsets.question_ids if pk in saved} | posted,
        answered=len(saved),
        error=error,
    )


def _posted_values(data) -> dict[int, str]:
    prefix = len(FIELD_PREFIX)
    return {
        int(key[prefix:]): value
        for key, value in data.items()
        if key.startswith(FIELD_PREFIX) and key[prefix:].isdigit()
    }
