"""The exporters of a campaign, one per file of DESIGN.md "Data exchange".

Each has a `name`, the `headers` of its file and a `rows()` generator; individual-level
exporters stream from the database in chunks and know their row count in one query.
"""

from collections.abc import Iterator
from functools import cached_property

from django.db import connection
from django.db.models import QuerySet

from diagnostic.models import Answer, Campaign, CompetencyScore, Option, Question, RoleTarget

from ..aggregation import campaign_report
from ..models import Release
from ..pseudonyms import pseudonym
from ..releases import FIGURE_FIELDS, RELEASE_HEADERS, release_csv_rows, release_report
from . import bulk
from .writers import batches, cell_text, csv_cell, csv_line, text_rows, timestamp

CHUNK = 5000

# DESIGN.md gives department_report.csv and release.csv the same figure columns.
DEPARTMENT_REPORT_HEADERS = [
    "department_code",
    "competency_code",
    "invited",
    "responded",
    "suppressed",
    "n",
    *FIGURE_FIELDS,
]
EMPTY = [None] * (len(DEPARTMENT_REPORT_HEADERS) - 5)


class LiveReport:
    """The campaign's live report, computed on first use and shared by the exporters given it
    (a data package's departments.csv and department_report.csv compute it once)."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign

    @cached_property
    def report(self):
        return campaign_report(campaign=self.campaign)


class Exporter:
    name: str = ""
    headers: list[str] = []
    individual = False  # rows about one person each: HR only, pseudonymous by default

    def __init__(
        self,
        *,
        campaign: Campaign,
        identified: bool = False,
        departments=None,
        live: LiveReport | None = None,
    ):
        self.campaign = campaign
        self.identified = identified
        self.departments = departments  # a queryset limiting the rows, or None for all
        self.live = live or LiveReport(campaign)

    def rows(self) -> Iterator[list]:
        raise NotImplementedError

    def count(self) -> int:
        return sum(1 for _ in self.rows())

    def text_rows(self) -> Iterator[list[str]]:
        """The rows as CSV text cells, formula escaping applied (writers.cell_text)."""
        return text_rows(self.rows())

    def csv_batches(self) -> Iterator[tuple[str, int]]:
        """The CSV text of the rows (no header), in batches of (text, rows): byte for byte
        what writers.write_csv writes for them."""
        for batch in batches(self.text_rows(), bulk.BATCH):
            yield "".join(map(csv_line, batch)), len(batch)

    def respondent(self, invitation_id: int, employee_number: str | None) -> str:
        if self.identified:
            return employee_number or ""
        return pseudonym(campaign_code=self.campaign.code, invitation_id=invitation_id)


class IndividualExporter(Exporter):
    """Rows about one person each, counted in the database rather than by reading them."""

    individual = True

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def count(self) -> int:
        return self.queryset().count()

    def copy_statement(self) -> tuple[str, list] | None:
        """PostgreSQL's COPY of the CSV rows (bulk.py), or None for the Python path."""
        return None

    def lines(self) -> Iterator[str] | None:
        """The CSV lines (CRLF ended) built from cells worked out once, or None for the
        Python path: what csv_batches gives where PostgreSQL's COPY is not there."""
        return None

    def csv_batches(self) -> Iterator[tuple[str, int]]:
        if connection.vendor == "postgresql":
            statement = self.copy_statement()
            if statement is not None:
                return bulk.copy_batches(*statement)
        lines = self.lines()
        if lines is None:
            return super().csv_batches()
        return (("".join(batch), len(batch)) for batch in batches(lines, bulk.BATCH))


class DepartmentReportExporter(Exporter):
    """One row per department of the population and competency, suppression applied: from
    `release` when given (what managers download), else from the live figures (HR)."""

    name = "department_report"
    headers = DEPARTMENT_REPORT_HEADERS

    def __init__(self, *, release: Release | None = None, **kwargs):
        super().__init__(**kwargs)
        self.release = release

    def rows(self) -> Iterator[list]:
        if self.release is not None:
            report = release_report(release=self.release, by_role=False)
        else:
            report = self.live.report
        allowed = None
        if self.departments is not None:
            allowed = set(self.departments.values_list("pk", flat=True))
        for department in report.departments.values():
            if allowed is not None and department.pk not in allowed:
                continue
            group = report.group(department.pk)
            for competency in report.competencies:
                figures = None if group.suppressed else group.competency(competency.code)
                if figures is None or figures.suppressed:
                    yield [department.code, competency.code, group.invited, None, 1, *EMPTY]
                    continue
                yield [
                    department.code,
                    competency.code,
                    group.invited,
                    group.responded,
                    0,
                    figures.n,
                    figures.mean_level,
                    figures.median_level,
                    figures.mean_target,
                    figures.n_required,
                    figures.mean_gap,
                    figures.pct_meeting,
                    figures.mean_usage,
                    *figures.levels,
                    figures.priority,
                ]


class ReleaseExporter(Exporter):
    """release.csv: every release of the campaign, exactly what managers can read."""

    name = "release"
    headers = RELEASE_HEADERS

    def rows(self) -> Iterator[list]:
        return release_csv_rows(campaign=self.campaign)


class DepartmentsExporter(Exporter):
    name = "departments"
    headers = ["department_code", "name", "parent_code"]

    def rows(self) -> Iterator[list]:
        report = self.live.report
        for department in report.departments.values():
            parent = report.departments.get(report.parents[department.pk])
            yield [department.code, department.name, parent.code if parent else None]


class QuestionsExporter(Exporter):
    name = "questions"
    headers = ["question_code", "competency_code", "area_code", "kind", "correct_option"]

    def queryset(self) -> QuerySet:
        return Question.objects.filter(framework_id=self.campaign.framework_id).order_by("code")

    def rows(self) -> Iterator[list]:
        correct = dict(
            Option.objects.filter(
                question__framework_id=self.campaign.framework_id, is_correct=True
            ).values_list("question_id", "code")
        )
        for pk, code, competency, area, kind in self.queryset().values_list(
            "pk", "code", "competency__code", "competency__area__code", "kind"
        ):
            yield [code, competency, area, kind, correct.get(pk)]


class RoleTargetsExporter(Exporter):
    name = "role_targets"
    headers = ["role_code", "competency_code", "target_level", "importance"]

    def rows(self) -> Iterator[list]:
        targets = RoleTarget.objects.filter(framework_id=self.campaign.framework_id).order_by(
            "job_role__code", "competency__code"
        )
        for row in targets.values_list(
            "job_role__code", "competency__code", "target_level", "importance"
        ):
            yield list(row)


class AnswersExporter(IndividualExporter):
    name = "answers"
    headers = [
        "respondent",
        "department_code",
        "role_code",
        "question_code",
        "competency_code",
        "kind",
        "value",
        "correct",
        "submitted_at",
    ]

    def queryset(self) -> QuerySet:
        return Answer.objects.filter(
            response__invitation__campaign=self.campaign, response__submitted_at__isnull=False
        ).order_by("response_id", "question__code")

    def fields(self) -> list[str]:
        return [
            "response__invitation_id",
            "response__invitation__employee__employee_number" if self.identified else "pk",
            "response__invitation__department__code",
            "response__invitation__job_role__code",
            "question__code",
            "question__competency__code",
            "question__kind",
            "value",
            "option__code",
            "option__is_correct",
            "response__submitted_at",
        ]

    def copy_statement(self) -> tuple[str, list]:
        return bulk.answers_copy(campaign=self.campaign, identified=self.identified)

    def lines(self) -> Iterator[str]:
        """The file's lines from the rows of the same query, cells worked out once each."""
        respondents: dict = {}
        questions: dict = {}
        options: dict = {}
        values: dict = {None: ","}  # levels are small integers
        knowledge_kind = Question.Kind.KNOWLEDGE
        for row in bulk.plain_rows(self.queryset().values_list(*self.fields())):
            invitation, number, department, role, question, competency, kind = row[:7]
            value, option, is_correct, submitted_at = row[7:]
            parts = respondents.get(invitation)
            if parts is None:
                shown = self.respondent(invitation, number)
                submitted = timestamp(bulk.datetime_value(submitted_at))
                parts = respondents[invitation] = (
                    ",".join(csv_cell(cell_text(c)) for c in (shown, department, role)) + ",",
                    f",{csv_cell(cell_text(submitted))}\r\n",
                )
            middle = questions.get(question)
            if middle is None:
                middle = questions[question] = (
                    ",".join(csv_cell(cell_text(c)) for c in (question, competency, kind)) + ","
                )
            if kind == knowledge_kind:
                shown = options.get((option, is_correct))
                if shown is None:
                    shown = options[option, is_correct] = (
                        f"{csv_cell(cell_text(option))},{1 if is_correct else 0}"
                    )
            else:
                shown = values.get(value)
                if shown is None:
                    shown = values[value] = f"{csv_cell(cell_text(value))},"
            yield parts[0] + middle + shown + parts[1]

    def rows(self) -> Iterator[list]:
        last = (None, "")
        for row in self.queryset().values_list(*self.fields()).iterator(chunk_size=CHUNK):
            invitation, number, department, role, question, competency, kind = row[:7]
            value, option, is_correct, submitted_at = row[7:]
            if last[0] != invitation:
                last = (invitation, self.respondent(invitation, number))
            knowledge = kind == Question.Kind.KNOWLEDGE
            yield [
                last[1],
                department,
                role,
                question,
                competency,
                kind,
                option if knowledge else value,
                (1 if is_correct else 0) if knowledge else None,
                timestamp(submitted_at),
            ]

    def text_rows(self) -> Iterator[list[str]]:
        """The same cells as `text_rows(self.rows())`, byte for byte, with the text of every
        code, value and timestamp worked out once: a million rows repeat a few hundred."""
        codes: dict = {}
        options: dict = {}
        values: dict = {None: ""}
        knowledge_kind = Question.Kind.KNOWLEDGE

        def code(value) -> str:
            text = codes.get(value)
            if text is None:
                text = codes[value] = cell_text(value)
            return text

        last = last_submitted = None
        respondent = submitted = ""
        for row in self.queryset().values_list(*self.fields()).iterator(chunk_size=CHUNK):
            invitation, number, department, role, question, competency, kind = row[:7]
            value, option, is_correct, submitted_at = row[7:]
            if last != invitation:
                last = invitation
                respondent = cell_text(self.respondent(invitation, number))
            if submitted_at != last_submitted:
                last_submitted = submitted_at
                submitted = cell_text(timestamp(submitted_at))
            if kind == knowledge_kind:
                shown = options.get(option)
                if shown is None:
                    shown = options[option] = cell_text(option)
                correct = "1" if is_correct else "0"
            else:
                shown = values.get(value)
                if shown is None:
                    shown = values[value] = cell_text(value)
                correct = ""
            yield [
                respondent,
                code(department),
                code(role),
                code(question),
                code(competency),
                code(kind),
                shown,
                correct,
                submitted,
            ]


class ScoresExporter(IndividualExporter):
    name = "scores"
    headers = [
        "respondent",
        "department_code",
        "role_code",
        "competency_code",
        "self_level",
        "knowledge_score",
        "level",
        "target",
        "gap",
        "meets",
        "usage",
    ]

    def queryset(self) -> QuerySet:
        return CompetencyScore.objects.filter(
            campaign=self.campaign, response__submitted_at__isnull=False
        ).order_by("response_id", "competency__code")

    def fields(self) -> list[str]:
        return [
            "response__invitation_id",
            "response__invitation__employee__employee_number" if self.identified else "pk",
            "department__code",
            "job_role__code",
            "competency__code",
            "self_level",
            "knowledge_score",
            "level",
            "target",
            "gap",
            "meets",
            "usage",
        ]

    def copy_statement(self) -> tuple[str, list]:
        return bulk.scores_copy(campaign=self.campaign, identified=self.identified)

    def lines(self) -> Iterator[str]:
        """The file's lines from the rows of the same query, cells worked out once each."""
        respondents: dict = {}
        codes: dict = {}
        decimals = bulk.Decimals()
        for invitation, number, *codes_and_figures in bulk.plain_rows(
            self.queryset().values_list(*self.fields())
        ):
            department, role, competency, s, k, level, target, gap, meets, usage = codes_and_figures
            shown = respondents.get(invitation)
            if shown is None:
                shown = respondents[invitation] = csv_cell(
                    cell_text(self.respondent(invitation, number))
                )
            for code in (department, role, competency):
                if code not in codes:
                    codes[code] = csv_cell(cell_text(code))
            yield (
                f"{shown},{codes[department]},{codes[role]},{codes[competency]},"
                f"{decimals[s]},{decimals[k]},{decimals[level]},{target},{decimals[gap]},"
                f"{1 if meets else 0},{decimals[usage]}\r\n"
            )

    def rows(self) -> Iterator[list]:
        last = (None, "")
        for invitation, number, *rest in (
            self.queryset().values_list(*self.fields()).iterator(chunk_size=CHUNK)
        ):
            if last[0] != invitation:
                last = (invitation, self.respondent(invitation, number))
            department, role, competency, s, k, level, target, gap, meets, usage = rest
            yield [
                last[1],
                department,
                role,
                competency,
                float(s),
                None if k is None else float(k),
                float(level),
                target,
                float(gap),
                1 if meets else 0,
                None if usage is None else float(usage),
            ]


EXPORTERS: dict[str, type[Exporter]] = {
    e.name: e
    for e in (
        DepartmentReportExporter,
        DepartmentsExporter,
        QuestionsExporter,
        RoleTargetsExporter,
        AnswersExporter,
        ScoresExporter,
    )
}


def campaign_metadata(*, campaign: Campaign) -> dict:
    framework = campaign.framework
    return {
        "code": campaign.code,
        # One name column, as DESIGN.md lists it: the Spanish name, whatever language the
        # exporter reads the site in (the English one is optional and falls back to it).
        "name": campaign.name_es_mx or campaign.name,
        "framework_code": framework.code,
        "framework_version": framework.version,
        "knowledge_weight": float(framework.knowledge_weight),
        "anonymity_threshold": campaign.anonymity_threshold,
        "opens_at": timestamp(campaign.opens_at),
        "closes_at": timestamp(campaign.closes_at),
    }
