"""setup_roles: editor groups follow their department through a rename; editor groups linked to no
department are left with no permissions (fail closed)."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from contacts.models import Department
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def setup_roles():
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    return out.getvalue()


def test_renaming_a_department_renames_its_group_and_keeps_its_members():
    DepartmentFactory(code="management-support", name="経営支援部")
    setup_roles()
    group = Group.objects.get(name="編集者：経営支援部")
    Department.objects.filter(code="management-support").update(name="経営支援推進部")
    out = setup_roles()
    assert "「編集者：経営支援部」を「編集者：経営支援推進部」に改名しました。" in out
    group.refresh_from_db()
    assert group.name == "編集者：経営支援推進部"
    assert Department.objects.get(code="management-support").editor_group == group
    assert not Group.objects.filter(name="編集者：経営支援部").exists()
    assert setup_roles().count("改名") == 0  # the same result when run again


def test_an_editor_group_linked_to_no_department_loses_its_permissions():
    DepartmentFactory(code="fund", name="ファンド事業部")
    setup_roles()
    leftover = Group.objects.create(name="編集者：旧組織")
    leftover.permissions.set(Group.objects.get(name="編集者：ファンド事業部").permissions.all())
    out = setup_roles()
    assert "「編集者：旧組織」はどの担当部門にも結び付いていないため、権限を外しました。" in out
    assert not leftover.permissions.exists()
    assert (
        Group.objects.get(name="編集者：ファンド事業部")
        .permissions.filter(codename="change_program")
        .exists()
    )
