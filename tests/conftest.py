import pytest
from django.core.management import call_command

from programs.models import Program


@pytest.fixture(scope="session")
def handbook_db(django_db_setup, django_db_blocker):
    """The real 2024 handbook, loaded once per session through the import path."""
    with django_db_blocker.unblock():
        call_command("load_handbook", verbosity=0)


@pytest.fixture
def handbook(handbook_db, db):
    """The loaded handbook inside the test's transaction (changes are rolled back). A
    transactional test flushes the database, so reload when that has happened."""
    if not Program.objects.exists():
        call_command("load_handbook", verbosity=0)
