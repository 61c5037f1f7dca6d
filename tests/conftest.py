import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from core import page_cache
from programs.models import Program
from tests.snapshots import DatabaseSnapshot

# Property-based tests: modest example counts keep the suite fast; HYPOTHESIS_PROFILE=thorough
# runs many more (e.g. before a release).
hypothesis_settings.register_profile("default", max_examples=50, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def handbook_snapshot(django_db_setup, django_db_blocker):
    """The rows the real 2024 handbook load writes, loaded through the import path once per
    session and rolled back (tests/snapshots.py)."""
    with django_db_blocker.unblock():
        return DatabaseSnapshot.take(lambda: call_command("load_handbook", verbosity=0))


@pytest.fixture
def handbook(db, handbook_snapshot):
    """The real 2024 handbook in the test's database, exactly as `load_handbook` leaves it
    (tests/test_snapshots.py proves it), inside the test's transaction: every test starts
    from the same data and nothing leaks into the next one. Works in transactional tests too."""
    handbook_snapshot.insert()
    assert Program.objects.count() == 74


@pytest.fixture
def recorded_version(db):
    """A content version recorded, as on any site that has served a page (core.page_cache
    records one when it finds none, which costs a few queries once): a pinned query count then
    measures a request, not the site's first."""
    return page_cache.content_version()


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("chief", "chief@example.jp", "pw")


def staff_in(group_name, username=None):
    """A staff member whose only permissions come from the named role group."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username or f"user-{group_name}", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def body(response):
    """A response's text (a CSV's BOM, if any, left out)."""
    return response.content.decode("utf-8-sig")
