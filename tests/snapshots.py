"""Expensive test data built once per session and copied into each test that needs it.

`load_handbook` reads the CSV files of fixtures/ through the admin's import pipeline (parsing,
validation, every row checked): about a second per call, and hundreds of tests start from the
handbook. So the session builds such data once, the real way, inside a transaction that is
rolled back, and keeps the rows it added (DatabaseSnapshot.take). Each test then gets the same
rows, with the same ids, through a few prepared INSERTs (DatabaseSnapshot.insert): the
same database as building it again, in a few milliseconds (the handbook: about 10 ms instead of
a second). tests/test_snapshots.py compares the two for the handbook, table by table.

What the build leaves besides its rows is handled here too: on PostgreSQL the sequences are moved
past the copied ids (a row the test creates later gets a new id), and when the rows are public
content the page cache's version moves on commit, as after any save (core.page_cache).
"""

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction

from core import page_cache


def concrete_models():
    """Every model with a table of its own (many-to-many tables included), each after the
    models it refers to."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    ordered = []

    def visit(model, path=()):
        if model in ordered:
            return
        if model in path:
            raise ValueError(f"foreign keys in a cycle: {[m._meta.label for m in path]}")
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model and target in models:
                visit(target, (*path, model))
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def table_rows(model):
    """The model's rows as stored, in primary-key order: {column attname: value} each."""
    names = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.order_by("pk").values_list(*names)
    return [dict(zip(names, row, strict=True)) for row in rows]


def database_rows():
    """Every table's rows: {model: [row, ...]}."""
    return {model: table_rows(model) for model in concrete_models()}


class DatabaseSnapshot:
    """The rows a build added to the database, per model in dependency order, and what the
    build returned (`result`)."""

    def __init__(self, rows, result=None):
        self.rows = rows  # {model: [row, ...]}, only the models the build wrote to
        self.result = result
        self._statements = None

    @classmethod
    def take(cls, build):
        """Run build() in a transaction, keep the rows it added, and roll it all back."""
        with transaction.atomic():
            before = database_rows()
            result = build()
            after = database_rows()
            transaction.set_rollback(True)
        added = {}
        for model, rows in after.items():
            old = {_pk(model, row): row for row in before[model]}
            # An insert cannot replay a change to rows that were already there.
            if [row for row in rows if _pk(model, row) in old] != list(old.values()):
                raise ValueError(f"the build changed or removed {model._meta.label} rows")
            new = [row for row in rows if _pk(model, row) not in old]
            if new:
                added[model] = new
        _refuse_references_outside(added)
        return cls(added, result)

    def insert(self):
        """Insert the snapshot's rows into a database that has none of them yet."""
        occupied = [m._meta.label for m in self.rows if m._base_manager.exists()]
        if occupied:
            raise ValueError(
                "a snapshot is copied into empty tables; these already have rows: "
                + ", ".join(occupied)
                + " (request the snapshot's fixture before the fixtures that add them)"
            )
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in self._inserts():
                cursor.execute(sql, params)
            # Explicit ids leave PostgreSQL's sequences behind (SQLite follows by itself).
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.rows)):
                cursor.execute(sql)
            # Plain inserts send no signals; any save of public content expires the public
            # pages when it is committed.
            if any(m._meta.app_label in settings.PUBLIC_PAGE_CACHE_APPS for m in self.rows):
                page_cache.content_changed()

    def _inserts(self):
        """Multi-row INSERTs (as many rows as the database takes in one) with the values as
        stored: no save(), so nothing such as auto_now is worked out again. Prepared once:
        bulk_create's per-value work costs more than the inserts themselves."""
        if self._statements is None:
            quote = connection.ops.quote_name
            self._statements = []
            for model, rows in self.rows.items():
                fields = model._meta.concrete_fields
                head = "INSERT INTO {} ({}) VALUES ".format(
                    quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
                )
                values = "({})".format(", ".join(["%s"] * len(fields)))
                size = connection.ops.bulk_batch_size(fields, rows)
                for start in range(0, len(rows), size):
                    batch = rows[start : start + size]
                    params = [
                        f.get_db_prep_save(row[f.attname], connection)
                        for row in batch
                        for f in fields
                    ]
                    sql = head + ", ".join([values] * len(batch))
                    if connection.vendor == "postgresql":
                        # psycopg reads a long statement's placeholders again on every execute
                        # (in Python): the values are quoted into it once, as psycopg would.
                        sql, params = connection.ops.compose_sql(sql, params), None
                    self._statements.append((sql, params))
        return self._statements


def _pk(model, row):
    return row[model._meta.pk.attname]


def _refuse_references_outside(added):
    """Every foreign key of the snapshot must point into the snapshot: the rows that were there
    before are not the same in every test (a transactional test's flush creates the content
    types and permissions again, under new ids)."""
    for model, rows in added.items():
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            target = field.related_model
            inside = {row[field.target_field.attname] for row in added.get(target, [])}
            outside = {row[field.attname] for row in rows} - inside - {None}
            if outside:
                raise ValueError(
                    f"{model._meta.label}.{field.name} refers to {target._meta.label} rows that "
                    f"the build did not add: {sorted(outside)[:5]}"
                )
