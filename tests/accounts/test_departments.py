import pytest
from django.core.exceptions import ValidationError

from accounts.models import Department
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_path_records_every_ancestor(tree):
    assert tree["POTHOLES"].path == "/CITY/WORKS/ROADS/POTHOLES/"
    assert tree["POTHOLES"].depth == 3
    assert tree["CITY"].depth == 0


def test_subtree_includes_deep_descendants_and_nothing_else(tree):
    codes = set(Department.objects.subtree(tree["WORKS"]).values_list("code", flat=True))
    assert codes == {"WORKS", "ROADS", "POTHOLES"}


def test_subtree_query_count_does_not_grow_with_depth(tree, django_assert_num_queries):
    parent = tree["POTHOLES"]
    for level in range(10):
        parent = DepartmentFactory(code=f"DEEP{level}", parent=parent)
    with django_assert_num_queries(1):
        codes = list(Department.objects.subtree(tree["CITY"]).values_list("code", flat=True))
    assert len(codes) == 15


def test_moving_a_department_moves_its_subtree(tree):
    roads = tree["ROADS"]
    roads.parent = tree["WELFARE"]
    roads.save()
    potholes = Department.objects.get(code="POTHOLES")
    assert potholes.path == "/CITY/WELFARE/ROADS/POTHOLES/"
    assert potholes.depth == 3
    assert set(Department.objects.subtree(tree["WORKS"]).values_list("code", flat=True)) == {
        "WORKS"
    }


def test_moving_a_department_up_a_level_fixes_depths(tree):
    roads = tree["ROADS"]
    roads.parent = tree["CITY"]
    roads.save()
    potholes = Department.objects.get(code="POTHOLES")
    assert (potholes.path, potholes.depth) == ("/CITY/ROADS/POTHOLES/", 2)


def test_a_department_cannot_move_under_its_own_descendant(tree):
    works = tree["WORKS"]
    works.parent = tree["POTHOLES"]
    with pytest.raises(ValidationError) as excinfo:
        works.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_a_root_department_is_valid(tree):
    tree["CITY"].full_clean()
