import pytest

from accounts.models import Department, Employee
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible_codes(user) -> set[str]:
    return set(Department.objects.visible_to(user).values_list("code", flat=True))


def test_hr_sees_every_department(hr, tree):
    assert visible_codes(hr) == set(tree)


def test_admin_sees_every_department(admin_user, tree):
    assert visible_codes(admin_user) == set(tree)


def test_manager_sees_their_subtree_down_to_the_deepest_level(manager):
    assert visible_codes(manager) == {"WORKS", "ROADS", "POTHOLES"}


def test_manager_cannot_see_other_department(manager, outsider_manager):
    assert "WELFARE" not in visible_codes(manager)
    assert visible_codes(outsider_manager) == {"WELFARE"}


def test_manager_of_nested_departments_sees_each_once(manager, tree):
    tree["ROADS"].managers.add(manager)
    departments = list(Department.objects.visible_to(manager))
    assert sorted(d.code for d in departments) == ["POTHOLES", "ROADS", "WORKS"]


def test_manager_of_a_deep_department_sees_only_below_it(tree):
    user = UserFactory()
    tree["ROADS"].managers.add(user)
    assert visible_codes(user) == {"ROADS", "POTHOLES"}


def test_employee_sees_no_department(employee):
    assert visible_codes(employee) == set()


def test_inactive_manager_sees_nothing(manager):
    manager.is_active = False
    manager.save()
    assert visible_codes(manager) == set()


def test_employee_sees_only_their_own_roster_record(employee, other_employee):
    records = list(Employee.objects.visible_to(employee))
    assert [r.user for r in records] == [employee]


def test_manager_sees_no_individual_roster_record(manager, employee, tree):
    EmployeeFactory(department=tree["ROADS"])
    assert list(Employee.objects.visible_to(manager)) == []


def test_hr_sees_the_whole_roster(hr, employee, other_employee):
    assert Employee.objects.visible_to(hr).count() == 2


def test_in_departments_covers_subtrees(tree, employee, other_employee):
    deep = EmployeeFactory(department=tree["POTHOLES"])
    found = set(Employee.objects.in_departments([tree["WORKS"]]))
    assert found == {employee.employee, deep}


def test_visible_to_uses_a_constant_number_of_queries(manager, tree, django_assert_num_queries):
    for code in ("A", "B", "C"):
        tree[code] = Department.objects.create(code=code, name=code, parent=tree["WORKS"])
        tree[code].managers.add(manager)
    with django_assert_num_queries(3):  # the roles, managed departments, the list
        assert len(list(Department.objects.visible_to(manager))) == 6
