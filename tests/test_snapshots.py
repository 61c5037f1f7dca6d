"""The `handbook` fixture copies a snapshot instead of running the import (tests/snapshots.py):
it must leave exactly the database a real `load_handbook` leaves, in ordinary and in
transactional tests (live_server, browser tests)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from contacts.models import Department
from core.page_cache import VERSION_KEY
from tests.factories import CampusFactory, DepartmentFactory, RegionalDeskFactory, SectionFactory
from tests.snapshots import DatabaseSnapshot, database_rows


def comparable(rows_by_model):
    """Every table's rows, with each id (the primary key, and a foreign key to one) replaced by
    the row's position in its table: PostgreSQL's sequences are not rolled back with a test, so
    two loads number the same rows differently."""
    position = {
        model: {row[model._meta.pk.attname]: i for i, row in enumerate(rows)}
        for model, rows in rows_by_model.items()
    }
    result = {}
    for model, rows in rows_by_model.items():
        ids = {model._meta.pk.attname: model}
        for field in model._meta.concrete_fields:
            if field.is_relation and field.target_field.primary_key:
                ids[field.attname] = field.related_model
        result[model._meta.label] = [
            {
                name: position[ids[name]][value] if name in ids and value is not None else value
                for name, value in row.items()
            }
            for row in rows
        ]
    return result


# Ordinary tests run in a transaction that is rolled back; transactional ones (live_server)
# commit, and the tables are emptied afterwards; reset_sequences ones also start the sequences
# again from 1, below the ids a copy brings.
DB = pytest.param("db", marks=pytest.mark.django_db)
TRANSACTIONAL = pytest.param("transactional", marks=pytest.mark.django_db(transaction=True))
RESET_SEQUENCES = pytest.param("reset_sequences", marks=pytest.mark.django_db(reset_sequences=True))


@pytest.mark.parametrize("kind", [DB, TRANSACTIONAL])
def test_the_fixture_leaves_the_database_a_real_load_leaves(
    request, kind, handbook_snapshot, django_capture_on_commit_callbacks
):
    cache.delete(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        request.getfixturevalue("handbook")
    connection.check_constraints()  # every foreign key of the copy resolves
    copied = comparable(database_rows())
    copied_expires_pages = cache.get(VERSION_KEY) is not None

    # Empty the handbook's tables again (as `manage.py flush` does), and load it for real.
    tables = [model._meta.db_table for model in reversed(list(handbook_snapshot.rows))]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    cache.delete(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_handbook", verbosity=0)
    loaded = comparable(database_rows())
    assert cache.get(VERSION_KEY) is not None, "a real load expires the public pages"
    assert copied_expires_pages, "the copy must expire the public pages too"

    assert {label for label, rows in loaded.items() if rows} == {
        label for label, rows in copied.items() if rows
    }
    for label, rows in loaded.items():
        assert copied[label] == rows, label
    assert len(copied["programs.Program"]) == 74


@pytest.mark.parametrize("kind", [DB, TRANSACTIONAL, RESET_SEQUENCES])
def test_rows_added_after_the_fixture_get_new_ids(kind, handbook):
    """The copy inserts explicit ids: the sequences must have moved past them (PostgreSQL)."""
    assert RegionalDeskFactory().pk and SectionFactory().pk and CampusFactory().pk


# --- what a snapshot refuses, rather than copy wrongly ----------------------------------------


@pytest.mark.django_db
def test_a_build_that_changes_existing_rows_is_refused():
    department = DepartmentFactory()

    def rename():
        Department.objects.filter(pk=department.pk).update(name="改名した部")

    with pytest.raises(ValueError, match="changed or removed contacts.Department rows"):
        DatabaseSnapshot.take(rename)


@pytest.mark.django_db
def test_a_build_that_refers_to_rows_it_did_not_add_is_refused():
    """Rows that were there before may have other ids in the next test (a flush creates the
    content types and permissions again)."""
    group = Group.objects.create(name="編集者：既存")
    with pytest.raises(ValueError, match="contacts.Department.editor_group refers to auth.Group"):
        DatabaseSnapshot.take(lambda: DepartmentFactory(editor_group=group))


@pytest.mark.django_db
def test_a_snapshot_is_copied_into_empty_tables_only(handbook_snapshot):
    DepartmentFactory()
    with pytest.raises(ValueError, match="these already have rows: .*contacts.Department"):
        handbook_snapshot.insert()
