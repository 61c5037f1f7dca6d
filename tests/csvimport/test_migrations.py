"""Upgrading a database of the previous layout (ImportBatch in programs, desks linked to program
rows) keeps every import record and every desk's programs."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("programs", "0005_page_cache_table"),
    ("contacts", "0005_prefecture_code_validator"),
    ("csvimport", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_upgrade_keeps_import_batches_and_desk_links():
    old = migrate(BEFORE)
    Edition = old.get_model("programs", "Edition")
    Program = old.get_model("programs", "Program")
    Chapter = old.get_model("programs", "Chapter")
    SupportType = old.get_model("programs", "SupportType")
    Department = old.get_model("contacts", "Department")
    Office = old.get_model("contacts", "RegionalOffice")
    Desk = old.get_model("contacts", "RegionalDesk")
    Batch = old.get_model("programs", "ImportBatch")

    e2024 = Edition.objects.create(
        year=2024, title="t", status="published", published_on=datetime.date(2024, 6, 1)
    )
    e2025 = Edition.objects.create(year=2025, title="t", status="draft")
    common = {
        "chapter": Chapter.objects.create(number=1, name="章"),
        "support_type": SupportType.objects.create(number=1, name="種別"),
        "department": Department.objects.create(code="d", name="部", kind="本部部門"),
    }
    programs = [
        Program.objects.create(edition=e2024, code=code, number=n, name=code, **common)
        for n, code in enumerate(["alpha", "beta"], 1)
    ]
    office = Office.objects.create(code="o", name="本部", kind="本部")
    desk = Desk.objects.create(code="desk", office=office, section="課")
    desk.programs.set(programs)
    Desk.objects.create(code="empty", office=office)
    Batch.objects.create(
        model_label="programs.Program", file_name="p.csv", file_sha256="0" * 64,
        data=b"bytes", status="preview", edition=e2025,
    )  # fmt: skip
    Batch.objects.create(
        model_label="contacts.Section", file_name="s.csv", file_sha256="1" * 64,
        data=b"more", status="failed", error_count=2,
    )  # fmt: skip

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    NewBatch = new.get_model("csvimport", "ImportBatch")
    rows = sorted(NewBatch.objects.values_list("file_name", "target", "status", "error_count"))
    assert rows == [("p.csv", "2025", "preview", 0), ("s.csv", "", "failed", 2)]
    assert bytes(NewBatch.objects.get(file_name="p.csv").data) == b"bytes"
    NewDesk = new.get_model("contacts", "RegionalDesk")
    assert dict(NewDesk.objects.values_list("code", "program_codes")) == {
        "desk": "alpha\nbeta",
        "empty": "",
    }
