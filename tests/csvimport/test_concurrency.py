"""Two confirms of one preview at the same moment, on two real PostgreSQL connections: the batch
row is locked, so the file is applied once and the history says so.

PostgreSQL only: production runs on it, and the lock under test is its row lock. SQLite (the
development database) has no row locks; two threads on its shared in-memory test database fail
with "table is locked" in ways that say nothing about the portal."""

import threading
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection

from contacts.models import Section
from contacts.resources import SectionResource
from csvimport import csvio
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


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_publishing_waits_for_an_import_into_the_same_edition(superuser):
    """Publishing a draft while an import into it is under way waits for the import: rows never
    arrive in an edition after it was published."""
    from django.core.management import call_command

    from programs.models import Edition, Program
    from programs.resources import ProgramResource
    from tests.editions_data import next_year_csv

    call_command("load_handbook", verbosity=0)
    call_command("start_edition", "2025", copy_from=2024, verbosity=0)
    headers, rows = ProgramResource().export_rows(Program.objects.filter(code="hands-on-it"))
    row = dict(zip(headers, rows[0], strict=True))
    extra = [
        [*{**row, "年度": "2025", "事業コード": f"load-{i}", "章内番号": str(100 + i)}.values()]
        for i in range(1500)
    ]
    extra_lines = csvio.write(headers, extra).split(b"\r\n", 1)[1]  # without the header
    data = next_year_csv(year="2025") + extra_lines
    batch, report = record_preview(
        ProgramResource.for_target(2025), data, file_name="p.csv", user=superuser, target="2025"
    )
    assert not report.has_errors, report.errors[:3]
    # The publish starts once the import has checked that its edition is a draft: the moment
    # where, without the lock, it could publish under the import's feet.
    resource = ProgramResource.for_confirm("2025")
    checked = threading.Event()
    check_target = resource.check_target

    def check_then_signal():
        check_target()
        checked.set()

    resource.check_target = check_then_signal
    finished = {}

    def run_import():
        try:
            result = apply_batch(batch, resource, user=superuser)
            finished["import"] = ("failed" if result.has_errors else "applied", time.monotonic())
        finally:
            checked.set()
            connection.close()

    def run_publish():
        try:
            assert checked.wait(timeout=60)
            call_command("publish_edition", "2025", verbosity=0)
            finished["publish"] = ("published", time.monotonic())
        finally:
            connection.close()

    threads = [threading.Thread(target=run_import), threading.Thread(target=run_publish)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert Edition.objects.get(year=2025).status == Edition.Status.PUBLISHED
    outcome, import_done = finished["import"]
    _published, publish_done = finished["publish"]
    assert outcome == "applied"
    assert import_done < publish_done  # publishing waited for the import's lock
    assert Program.objects.filter(edition__year=2025, code__startswith="load-").count() == 1500
