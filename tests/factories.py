import factory
from django.contrib.auth.models import Group

from accounts.models import Department, Employee, JobRole, User
from accounts.querysets import FRAMEWORK_EDITORS_GROUP, HR_GROUP

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
