import factory
from django.contrib.auth.models import Group

from accounts.models import Department, Employee, JobRole, User
from accounts.roles import FRAMEWORK_EDITORS_GROUP, HR_GROUP

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.gob.mx")
    first_name = factory.Faker("first_name", locale="es_MX")
    last_name = factory.Faker("last_name", locale="es_MX")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*[Group.objects.get(name=name) for name in extracted])


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Dirección {o.code}")
    parent = None


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name_es_mx = factory.LazyAttribute(lambda o: f"Rol {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Role {o.code}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    employee_number = factory.Sequence(lambda n: f"N{n:06d}")
    full_name = factory.Faker("name", locale="es_MX")
    email = factory.LazyAttribute(lambda o: f"{o.employee_number.lower()}@example.gob.mx")
    department = factory.SubFactory(DepartmentFactory)
    job_role = factory.SubFactory(JobRoleFactory)
    position = "Analista"


def hr_user(**kwargs) -> User:
    return UserFactory(is_staff=True, groups=[HR_GROUP], **kwargs)


def framework_editor(**kwargs) -> User:
    return UserFactory(is_staff=True, groups=[FRAMEWORK_EDITORS_GROUP], **kwargs)


# --- the skills framework and campaigns -------------------------------------------------

import datetime as dt  # noqa: E402
import secrets  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from django.db.models import QuerySet  # noqa: E402
from django.utils import timezone  # noqa: E402

from diagnostic.assessment import published_questions, question_fieldsets  # noqa: E402
from diagnostic.campaigns.invitations import new_short_code  # noqa: E402
from diagnostic.models import (  # noqa: E402
    Answer,
    Area,
    Campaign,
    Competency,
    Framework,
    Invitation,
    LevelDescriptor,
    Option,
    Question,
    Response,
    RoleTarget,
)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"fw{n}")
    version = 1
    status = Framework.Status.PUBLISHED
    name_es_mx = factory.LazyAttribute(lambda o: f"Marco {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Framework {o.code}")
    knowledge_weight = 0.25


@contextmanager
def editable(framework):
    """Build content for a framework that the factories made published, the way the loader
    does it: as a draft, published again afterwards. A plain QuerySet goes around the guard
    that keeps published versions from changing; only test data is built this way."""
    rows = QuerySet(model=Framework).filter(pk=framework.pk)
    status = rows.values_list("status", flat=True).get()
    if status != Framework.Status.DRAFT:
        rows.update(status=Framework.Status.DRAFT)
    try:
        yield
    finally:
        if status != Framework.Status.DRAFT:
            rows.update(status=status)
            # Published content never changes, so the area pages keep it rendered: not here.
            codes = Area.objects.filter(framework_id=framework.pk).values_list("code", flat=True)
            question_fieldsets.forget(framework=framework, area_codes=list(codes))
            published_questions.forget(framework=framework)


class FrameworkContentFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with editable(kwargs["framework"]):
            return super()._create(model_class, *args, **kwargs)


class AreaFactory(FrameworkContentFactory):
    class Meta:
        model = Area

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name_es_mx = factory.LazyAttribute(lambda o: f"Área {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Area {o.code}")
    position = factory.Sequence(int)


class CompetencyFactory(FrameworkContentFactory):
    class Meta:
        model = Competency
        skip_postgeneration_save = True

    area = factory.SubFactory(AreaFactory)
    framework = factory.SelfAttribute("area.framework")
    code = factory.Sequence(lambda n: f"C{n}")
    name_es_mx = factory.LazyAttribute(lambda o: f"Competencia {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Competency {o.code}")
    position = factory.Sequence(int)

    @factory.post_generation
    def descriptors(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            with editable(obj.framework):
                LevelDescriptor.objects.bulk_create(
                    LevelDescriptor(
                        competency=obj,
                        level=level,
                        text_es_mx=f"Nivel {level} de {obj.code}",
                        text_en=f"Level {level} of {obj.code}",
                    )
                    for level in range(5)
                )


class QuestionFactory(FrameworkContentFactory):
    class Meta:
        model = Question

    competency = factory.SubFactory(CompetencyFactory)
    framework = factory.SelfAttribute("competency.framework")
    kind = Question.Kind.SELF
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.competency.code}-{o.kind[0].upper()}{n}")
    text_es_mx = factory.LazyAttribute(lambda o: f"Pregunta {o.code}")
    text_en = factory.LazyAttribute(lambda o: f"Question {o.code}")
    position = factory.Sequence(int)


def knowledge_question(competency, *, options=("a", "b", "c"), correct="a", **kwargs) -> Question:
    """A knowledge question with the given options, one correct, plus "I don't know"."""
    question = QuestionFactory(competency=competency, kind=Question.Kind.KNOWLEDGE, **kwargs)
    with editable(competency.framework):
        _add_options(question, options=options, correct=correct)
    return question


def _add_options(question, *, options, correct) -> None:
    for position, code in enumerate(options):
        Option.objects.create(
            question=question,
            code=code,
            text_es_mx=f"Opción {code}",
            text_en=f"Option {code}",
            is_correct=code == correct,
            position=position,
        )
    Option.objects.create(
        question=question,
        code="dk",
        text_es_mx="No sé",
        text_en="I don't know",
        is_dont_know=True,
        position=len(options),
    )


class RoleTargetFactory(FrameworkContentFactory):
    class Meta:
        model = RoleTarget

    competency = factory.SubFactory(CompetencyFactory)
    framework = factory.SelfAttribute("competency.framework")
    job_role = factory.SubFactory(JobRoleFactory)
    target_level = 2
    importance = 1


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    code = factory.Sequence(lambda n: f"camp{n}")
    name = factory.LazyAttribute(lambda o: f"Diagnóstico {o.code}")
    framework = factory.SubFactory(FrameworkFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    anonymity_threshold = 5
    launched_at = factory.LazyFunction(timezone.now)
    launch_completed_at = factory.SelfAttribute("launched_at")


class InvitationFactory(factory.django.DjangoModelFactory):
    """The snapshots are the employee's department and role at launch; `moved_to=(department,
    job_role)` then moves the employee, so that their current ones differ from the snapshot."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    employee = factory.SubFactory(EmployeeFactory)
    department = factory.SelfAttribute("employee.department")
    job_role = factory.SelfAttribute("employee.job_role")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    short_code = factory.LazyFunction(new_short_code)

    @factory.post_generation
    def moved_to(obj, create, extracted, **kwargs):
        if create and extracted:
            department, job_role = extracted
            Employee.objects.filter(pk=obj.employee_id).update(
                department=department, job_role=job_role
            )
            obj.employee.refresh_from_db()


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    invitation = factory.SubFactory(InvitationFactory)
    privacy_accepted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)
    value = 2
