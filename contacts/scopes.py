"""Department scopes: what a department's editors (編集者：<部門>) may change.

A permission a user holds directly, or through a group that is not an editor group, applies to
every department. A permission held only through editor groups applies to the departments those
groups are linked to (Department.editor_group) — and to none when a group is linked to no
department (fail closed: e.g. an old group left behind, or one made by hand with the prefix).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import Department

EDITOR_PREFIX = "編集者："


def editor_group_name(department):
    """「編集者：経営支援部」: what setup_roles names a department's group."""
    return f"{EDITOR_PREFIX}{department.name}"


def editor_groups():
    """Every editor group: linked to a department, or named like one."""
    return Group.objects.filter(Q(department__isnull=False) | Q(name__startswith=EDITOR_PREFIX))


def department_scope(user, perm):
    """None when `perm` ("app.codename") applies to every department for this user; otherwise
    the set of pks of the departments it applies to (possibly empty). Memoized on the user
    object for the request."""
    memo = user.__dict__.setdefault("_department_scopes", {})
    if perm not in memo:
        memo[perm] = _scope(user, perm)
    return memo[perm]


def _scope(user, perm):
    if user.is_superuser or not user.is_active:
        return None
    app_label, codename = perm.split(".", 1)
    own = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    unscoped_groups = user.groups.exclude(pk__in=editor_groups().values("pk"))
    if own.filter(Q(user=user) | Q(group__in=unscoped_groups)).exists():
        return None
    return set(Department.objects.filter(editor_group__user=user).values_list("pk", flat=True))


def may(user, perm, department_id):
    """Whether `perm` (which the user holds) reaches a row of this department."""
    scope = department_scope(user, perm)
    return scope is None or department_id in scope


def scoped_departments(user, perm):
    """The departments a form may offer for `perm` (all of them when unscoped)."""
    scope = department_scope(user, perm)
    departments = Department.objects.all()
    return departments if scope is None else departments.filter(pk__in=scope)


def editors_of(department):
    """「○○の編集者」, for the reason a page is read-only."""
    return f"{department.name}の編集者"
