"""The demo city: about forty departments in three levels, N employees, a campaign closed
last year and one open now, with answers that follow realistic patterns by job role.

Built with bulk inserts and the scoring formula on plain data, so a city of 20,000 people
is a matter of minutes; `seed_demo --employees N` and the benchmarks both use it. Running it
again brings the organisation back to its known state and leaves existing campaigns alone.

The demo employee answered last year's campaign, and that submission has a known results
code (`DEMO_RESULTS_CODE`, printed by `seed_demo` with the accounts), so the results-code
page can be tried with her link on a device where nobody is signed in.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_ACCOUNTS, FIRST_NAMES, LAST_NAMES, ROLE_WEIGHTS, DemoAccount
from accounts.demo import seed_demo as seed_accounts
from accounts.models import Department, Employee, JobRole
from diagnostic.assessment import codes
from diagnostic.assessment.scoring import (
    AnswerData,
    TargetData,
    competency_scores,
    respondent_index,
    score_rows,
)
from diagnostic.campaigns.invitations import invitation_for, invitation_url
from diagnostic.framework.store import DEFAULT_FRAMEWORK_PATH, load_framework_file
from diagnostic.models import (
    Answer,
    Campaign,
    CompetencyScore,
    Framework,
    Invitation,
    Option,
    Question,
    Response,
    RoleTarget,
)

from .models import Release
from .plan.demo import seed_plans
from .releases import release_build, release_request

# Secretariats (level 1) and their directorates (level 2), under the municipal government, with
# their names as the city writes them (accents included): codes are identifiers, not names.
CITY = {
    "OBRAS": (
        "Obras Públicas",
        [
            ("VIALIDADES", "Dirección de Vialidades"),
            ("ALUMBRADO", "Dirección de Alumbrado Público"),
            ("PARQUES", "Dirección de Parques y Jardines"),
            ("AGUA", "Dirección de Agua Potable"),
            ("LICENCIAS", "Dirección de Licencias de Construcción"),
        ],
    ),
    "BIENESTAR": (
        "Bienestar Social",
        [
            ("SALUD", "Dirección de Salud Municipal"),
            ("DEPORTE", "Dirección de Deporte"),
            ("CULTURA", "Dirección de Cultura"),
            ("JUVENTUD", "Dirección de Atención a la Juventud"),
            ("MUJERES", "Instituto Municipal de las Mujeres"),
        ],
    ),
    "TESORERIA": (
        "Tesorería",
        [
            ("INGRESOS", "Dirección de Ingresos"),
            ("EGRESOS", "Dirección de Egresos"),
            ("CATASTRO", "Dirección de Catastro"),
            ("CONTABILIDAD", "Dirección de Contabilidad"),
        ],
    ),
    "INNOVACION": (
        "Innovación Gubernamental",
        [
            ("DATOS", "Dirección de Datos Abiertos"),
            ("SISTEMAS", "Dirección de Sistemas"),
            ("MEJORA", "Dirección de Mejora Regulatoria"),
            ("GOBDIGITAL", "Dirección de Gobierno Digital"),
        ],
    ),
    "SEGURIDAD": (
        "Seguridad Ciudadana",
        [
            ("POLICIA", "Dirección de Policía Preventiva"),
            ("TRANSITO", "Dirección de Tránsito"),
            ("PROTCIVIL", "Coordinación de Protección Civil"),
            ("C5", "Centro de Mando C5"),
        ],
    ),
    "DESARROLLO": (
        "Desarrollo Urbano",
        [
            ("PLANEACION", "Dirección de Planeación Urbana"),
            ("MOVILIDAD", "Dirección de Movilidad"),
            ("MEDIOAMB", "Dirección de Medio Ambiente"),
            ("VIVIENDA", "Dirección de Vivienda"),
        ],
    ),
    "ADMIN": (
        "Administración",
        [
            ("RECHUMANOS", "Dirección de Recursos Humanos"),
            ("ADQUISICIONES", "Dirección de Adquisiciones"),
            ("JURIDICO", "Dirección Jurídica"),
            ("ARCHIVO", "Archivo Municipal"),
            ("TRANSP", "Unidad de Transparencia"),
        ],
    ),
}
# Typical self-assessed level by role, and a lift for the departments that work with data.
ROLE_BASE = {"GEN": 1.1, "DIR": 1.7, "ANA": 2.7, "GOB": 2.3, "ING": 2.9, "COM": 2.0}
DATA_DEPARTMENTS = {"INNOVACION", "DATOS", "SISTEMAS", "GOBDIGITAL", "C5", "CATASTRO"}
# The demo employee (accounts/demo.py) and the results code of her submission of last year.
DEMO_EMPLOYEE = "E00000"
DEMO_RESULTS_CODE = "DATA-2345"


@dataclass(frozen=True)
class DemoResults:
    campaign: str
    code: str
    link: str


def build_departments() -> list[Department]:
    root = Department.objects.get(code="MUN")
    directorates = []
    for code, (name, children) in CITY.items():
        secretariat, _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "parent": root}
        )
        for child_code, child_name in children:
            directorate, _ = Department.objects.update_or_create(
                code=child_code, defaults={"name": child_name, "parent": secretariat}
            )
            directorates.append(directorate)
    return directorates


def build_employees(*, employees: int, rng: random.Random) -> None:
    roles = {r.code: r for r in JobRole.objects.filter(code__in=ROLE_WEIGHTS)}
    units = build_departments()
    secretariats = list(Department.objects.filter(code__in=CITY))
    rows = []
    for number in range(1, employees + 1):
        role = rng.choices(list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values()))[0]
        # Most people work in a directorate; managers often in the secretariat itself.
        pool = secretariats if role == "DIR" and rng.random() < 0.5 else units
        rows.append(
            Employee(
                employee_number=f"E{number:05d}",
                full_name=(
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
                ),
                email=f"e{number:05d}@demo.gob.mx",
                department=rng.choice(pool),
                job_role=roles[role],
                position=roles[role].name_es_mx,
                active=True,
            )
        )
    Employee.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["employee_number"],
        update_fields=["full_name", "email", "department", "job_role", "position", "active"],
    )


def demo_framework() -> Framework:
    """The shipped city framework, loaded as `manage.py load_framework` does (loading it again
    changes nothing)."""
    return load_framework_file(path=DEFAULT_FRAMEWORK_PATH).framework


def build_campaign(
    *, framework: Framework, code: str, names: tuple[str, str], opens_at, closes_at, closed: bool
) -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        code=code,
        defaults={
            "name_es_mx": names[0],
            "name_en": names[1],
            "framework": framework,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "launched_at": opens_at,
            "launch_completed_at": opens_at,
            "closed_at": closes_at if closed else None,
        },
    )
    campaign.departments.add(Department.objects.get(code="MUN"))
    return campaign


@transaction.atomic
def invite_and_answer(
    *,
    campaign: Campaign,
    rate: float,
    lift: float,
    rng: random.Random,
    skip=(),
    always=(),
    with_answers: bool = True,
) -> int:
    """Invite every active employee and write the answers and scores of a share of them,
    never of the employee numbers in `skip`, always of those in `always` (`with_answers=False`
    stores the scores only, for benchmarks of the reports).
    Returns the number of respondents; a campaign that has invitations is left alone."""
    if campaign.invitations.exists():
        return 0
    framework = campaign.framework
    employees = list(
        Employee.objects.filter(active=True).select_related("department__parent", "job_role")
    )
    invitations = Invitation.objects.bulk_create(
        (invitation_for(campaign=campaign, employee=e) for e in employees), batch_size=2000
    )
    questions = list(Question.objects.filter(framework=framework))
    correct = dict(
        Option.objects.filter(question__framework=framework, is_correct=True).values_list(
            "question_id", "pk"
        )
    )
    wrong = dict(
        Option.objects.filter(
            question__framework=framework, is_correct=False, is_dont_know=False
        ).values_list("question_id", "pk")
    )
    n_knowledge: dict[int, int] = defaultdict(int)
    for q in questions:
        if q.kind == Question.Kind.KNOWLEDGE:
            n_knowledge[q.competency_id] += 1
    targets: dict[int, dict[int, TargetData]] = defaultdict(dict)
    for t in RoleTarget.objects.filter(framework=framework):
        targets[t.job_role_id][t.competency_id] = TargetData(t.target_level, t.importance)
    difficulty = {c: rng.uniform(-0.6, 0.4) for c in {q.competency_id for q in questions}}
    weight = float(framework.knowledge_weight)
    submitted = campaign.opens_at + (campaign.closes_at - campaign.opens_at) / 3
    chosen = [
        (inv, e)
        for inv, e in zip(invitations, employees, strict=True)
        # one draw per employee whoever is chosen, so `always` leaves the others as they were
        if e.employee_number not in skip and (rng.random() < rate or e.employee_number in always)
    ]
    responses = Response.objects.bulk_create(
        (
            Response(
                invitation=inv,
                privacy_accepted_at=submitted,
                submitted_at=submitted,
                scored_at=submitted,
            )
            for inv, _e in chosen
        ),
        batch_size=2000,
    )
    answers, scores = [], []
    for response, (inv, employee) in zip(responses, chosen, strict=True):
        ability = ROLE_BASE.get(employee.job_role.code, 1.5) + lift + rng.gauss(0, 0.6)
        department = employee.department
        if {department.code, department.parent.code if department.parent else ""} & (
            DATA_DEPARTMENTS
        ):
            ability += 0.6
        plain = []
        for q in questions:
            level = ability + difficulty[q.competency_id]
            if q.kind == Question.Kind.KNOWLEDGE:
                right = rng.random() < min(0.95, max(0.05, level / 4))
                option = correct.get(q.pk) if right else wrong.get(q.pk)
                answers.append(Answer(response=response, question=q, option_id=option))
                plain.append(AnswerData(q.competency_id, q.kind, None, right))
            else:
                noise = rng.gauss(0, 0.7) if q.kind == Question.Kind.SELF else rng.gauss(0, 1)
                value = max(0, min(4, round(level + noise)))
                answers.append(Answer(response=response, question=q, value=value))
                plain.append(AnswerData(q.competency_id, q.kind, value, None))
        computed = competency_scores(
            answers=plain,
            knowledge_questions=n_knowledge,
            targets=targets[inv.job_role_id],
            knowledge_weight=weight,
        )
        response.index = respondent_index(computed)
        scores.extend(score_rows(response=response, invitation=inv, scores=computed))
        if len(scores) > 10000:
            if with_answers:
                Answer.objects.bulk_create(answers, batch_size=5000)
            CompetencyScore.objects.bulk_create(scores, batch_size=5000)
            answers, scores = [], []
    if with_answers:
        Answer.objects.bulk_create(answers, batch_size=5000)
    CompetencyScore.objects.bulk_create(scores, batch_size=5000)
    Response.objects.bulk_update(responses, ["index"], batch_size=2000)
    return len(responses)


def seed_demo_city(*, employees: int = 1000, seed: int = 2026) -> list[DemoAccount]:
    """The demo accounts (accounts/demo.py) in a city of `employees` people with two campaigns."""
    rng = random.Random(seed)
    seed_accounts(employees=0)
    build_employees(employees=employees, rng=rng)
    framework = demo_framework()
    now = timezone.now()
    last_year = build_campaign(
        framework=framework,
        code=f"diagnostico-{now.year - 1}",
        names=(
            f"Diagnóstico de habilidades de datos {now.year - 1}",
            f"Data skills assessment {now.year - 1}",
        ),
        opens_at=now - dt.timedelta(days=400),
        closes_at=now - dt.timedelta(days=370),
        closed=True,
    )
    current = build_campaign(
        framework=framework,
        code=f"diagnostico-{now.year}",
        names=(
            f"Diagnóstico de habilidades de datos {now.year}",
            f"Data skills assessment {now.year}",
        ),
        opens_at=now - dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=20),
        closed=False,
    )
    invite_and_answer(campaign=last_year, rate=0.72, lift=0.0, rng=rng, always={DEMO_EMPLOYEE})
    give_demo_results_code(campaign=last_year)
    # The demo employee has not answered this year's campaign yet, so she can try it.
    invite_and_answer(campaign=current, rate=0.55, lift=0.25, rng=rng, skip={DEMO_EMPLOYEE})
    # Managers read releases: last year's closing one, and an interim one of this year's.
    demo_release(campaign=last_year, kind=Release.Kind.CLOSING)
    demo_release(campaign=current, kind=Release.Kind.INTERIM)
    seed_plans(last_year=last_year, current=current, rng=rng)
    return DEMO_ACCOUNTS


def give_demo_results_code(*, campaign: Campaign) -> None:
    """The demo employee's submission to `campaign` gets `DEMO_RESULTS_CODE` (again)."""
    Response.objects.filter(
        invitation__campaign=campaign,
        invitation__employee__employee_number=DEMO_EMPLOYEE,
        submitted_at__isnull=False,
    ).update(results_code=codes.hashed(DEMO_RESULTS_CODE))


def demo_results() -> DemoResults | None:
    """What `seed_demo` prints about the demo employee's coded submission: the campaign, the
    code and her link (None before the demo city is seeded)."""
    invitation = (
        Invitation.objects.filter(
            employee__employee_number=DEMO_EMPLOYEE,
            response__submitted_at__isnull=False,
            response__results_code__gt="",
        )
        .select_related("campaign")
        .order_by("-campaign__opens_at")
        .first()
    )
    if invitation is None:
        return None
    return DemoResults(invitation.campaign.name, DEMO_RESULTS_CODE, invitation_url(invitation))


def demo_release(*, campaign: Campaign, kind: str) -> Release:
    """The campaign's release of that kind, made and built now if it has none (so a second
    seed leaves the releases, like the campaigns, as they are)."""
    existing = Release.objects.filter(campaign=campaign, kind=kind).done().first()
    if existing is not None:
        return existing
    closing_of = (
        (campaign.closed_at or campaign.closes_at) if kind == Release.Kind.CLOSING else None
    )
    release = release_request(campaign=campaign, kind=kind, closing_of=closing_of)
    return release_build(release_id=release.pk)
