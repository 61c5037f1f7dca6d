"""One canonical form of stored text (core.text.canonical_text): the admin, the import and the
data migration store the same string for the same visible text, so an edit of one field records
one changed field and an unedited save or import records nothing."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.text import canonical_text, search_text
from csvimport import csvio
from csvimport.pipeline import run_import
from programs.models import Program
from programs.resources import ProgramResource
from tests.csvimport.test_migrations import migrate


@pytest.mark.parametrize(
    "raw, stored",
    [
        ("一行目\r\n二行目\r\n", "一行目\n二行目"),
        ("一行目\r二行目", "一行目\n二行目"),
        ("末尾に空白  \n次の行\t", "末尾に空白\n次の行"),
        ("\n\n  前後の空行  \n\n", "前後の空行"),
        ("経営支援部　企業支援課", "経営支援部　企業支援課"),  # a full-width space is meant
        ("一行目\n  字下げ", "一行目\n  字下げ"),  # indentation of a later line is kept
        ("\t=1+2", "\t=1+2"),  # a neutralised formula cell comes back as it was
        ("", ""),
        (None, None),
    ],
)
def test_canonical_text(raw, stored):
    assert canonical_text(raw) == stored
    assert canonical_text(stored) == stored  # idempotent


def form_data(program):
    """The change form as a browser posts it: every textarea with CRLF line ends."""
    from programs.admin import ProgramAdmin

    fields = [name for _title, options in ProgramAdmin.fieldsets for name in options["fields"]]
    data = {}
    for name in fields:
        if name == "history_link":
            continue
        field = Program._meta.get_field(name)
        value = field.value_from_object(program)
        if field.get_internal_type() == "BooleanField":
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value).replace("\n", "\r\n")
    return data


@pytest.mark.django_db
def test_admin_save_of_one_field_records_exactly_one_changed_field(client, superuser, handbook):
    program = Program.objects.exclude(points="").filter(points__contains="\n").first()
    multiline = [f for f in ("target", "points", "flow", "results") if "\n" in getattr(program, f)]
    assert multiline  # the browser really sends CRLF for these
    client.force_login(superuser)
    data = form_data(program)
    data["tagline"] = "新しいキャッチコピー"
    response = client.post(f"/admin/programs/program/{program.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    entry = LogEntry.objects.get(object_id=str(program.pk))
    changed = json.loads(entry.change_message)[0]["changed"]["fields"]
    assert changed == ["キャッチコピー"]
    program.refresh_from_db()
    assert all("\r" not in getattr(program, f) for f in multiline)

    # The same form again, unedited: the admin records no changed field at all.
    client.post(f"/admin/programs/program/{program.pk}/change/", form_data(program))
    last = LogEntry.objects.filter(object_id=str(program.pk)).latest("action_time")
    assert last.get_change_message() == "変更はありませんでした。"


@pytest.mark.django_db
def test_import_stores_what_the_admin_stores(handbook):
    program = Program.objects.get(code="startup-challenge-support")
    resource = ProgramResource()
    headers, rows = resource.export_rows(Program.objects.filter(pk=program.pk))
    row = list(rows[0])
    column = headers.index("対象者")
    row[column] = "一行目  \r\n二行目\t\r\n"
    report = run_import(
        ProgramResource(), csvio.write(headers, [row]), dry_run=False, encoding="auto"
    )
    assert not report.has_errors, report.errors
    program.refresh_from_db()
    assert program.target == "一行目\n二行目"


@pytest.mark.django_db(transaction=True)
def test_data_migration_makes_existing_rows_canonical():
    old = migrate(
        [
            ("programs", "0007_move_importbatch_to_csvimport"),
            ("contacts", "0006_desk_program_codes"),
        ]
    )
    Department = old.get_model("contacts", "Department")
    Section = old.get_model("contacts", "Section")
    Edition = old.get_model("programs", "Edition")
    Program = old.get_model("programs", "Program")
    department = Department.objects.create(code="d", name="経営支援部", kind="本部部門")
    Section.objects.create(
        code="s", department=department, name="企業支援課 ", phones="03-5470-1564\r\n03-5470-1524"
    )
    program = Program.objects.create(
        edition=Edition.objects.create(year=2025, title="t", status="draft"),
        code="p",
        number=1,
        name="事業",
        points="①\r\n②  \r\n",
        search_index="stale",
        chapter=old.get_model("programs", "Chapter").objects.create(number=1, name="章"),
        support_type=old.get_model("programs", "SupportType").objects.create(number=1, name="種"),
        department=department,
    )

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    section = new.get_model("contacts", "Section").objects.get(code="s")
    assert (section.name, section.phones) == ("企業支援課", "03-5470-1564\n03-5470-1524")
    program = new.get_model("programs", "Program").objects.get(pk=program.pk)
    assert program.points == "①\n②"
    assert program.search_index == search_text("事業", "①\n②")
