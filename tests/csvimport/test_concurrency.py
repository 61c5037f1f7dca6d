"""Two confirms of one preview at the same moment, on two real PostgreSQL connections: the batch
row is locked, so the file is applied once and the history says so.

PostgreSQL only: production runs on it, and the lock under test is its row lock. SQLite (the
development database) has no row locks; two threads on its shared in-memory test database fail
with "table is locked" in ways that say nothing about the portal."""

import threading

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection

from contacts.models import Section
from contacts.resources import SectionResource
from csvimport.batches import BatchError, apply_batch, record_preview
from csvimport.models import ImportBatch
from tests.factories import DepartmentFactory

HEADER = "コード,担当部門,課・室名,電話番号,メールアドレス\r\n"


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: PostgreSQL only (see module docstring)"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirms_apply_the_preview_once(superuser):
    DepartmentFactory(name="経営支援部")
    rows = "".join(f"sec-{i},経営支援部,課{i},,\r\n" for i in range(200))
    batch, report = record_preview(
        SectionResource(), (HEADER + rows).encode("utf-8"), file_name="s.csv", user=superuser
    )
    assert report.counts["new"] == 200
    start = threading.Barrier(2)
    outcomes = []

    def confirm():
        try:
            start.wait()
            apply_batch(ImportBatch.objects.get(pk=batch.pk), SectionResource(), user=superuser)
            outcomes.append("applied")
        except BatchError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["applied", "refused"]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.new_count == 200
    assert Section.objects.filter(code__startswith="sec-").count() == 200
    assert LogEntry.objects.filter(change_message__contains="s.csv").count() == 200
