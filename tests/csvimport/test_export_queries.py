"""Every export path fetches related rows in a constant number of queries: 10 programs and
1,000 programs cost the same (it was one query per row per foreign key: 10,000 programs timed
out under gunicorn)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Program
from tests.factories import ProgramFactory, SectionFactory

pytestmark = pytest.mark.django_db


def add_programs(n):
    template = ProgramFactory(contact_section=SectionFactory())
    Program.objects.bulk_create(
        Program(
            edition=template.edition,
            code=f"bulk-{template.pk}-{i}",
            chapter=template.chapter,
            number=10_000 + Program.objects.count() + i,
            name=f"一括{i}",
            support_type=template.support_type,
            department=template.department,
            contact_section=template.contact_section,
        )
        for i in range(n - 1)
    )


def admin_export(client):
    response = client.get("/admin/programs/program/export/", {"format": "utf-8-sig"})
    assert response.status_code == 200
    return response.content


def admin_xlsx_export(client):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get("/admin/programs/program/export/", {"format": "xlsx"})
    assert response.status_code == 200
    rows = load_workbook(BytesIO(response.content), read_only=True).active.max_row
    return "\n" * rows


def command_export(client):
    out = StringIO()
    call_command("export_csv", "programs.Program", stdout=out)
    return out.getvalue()


def admin_action(client):
    # 「すべて選択」: the action gets the whole changelist queryset.
    first = Program.objects.values_list("pk", flat=True).first()
    response = client.post(
        "/admin/programs/program/",
        {"action": "export_selected_csv", "_selected_action": [first], "select_across": "1"},
    )
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("export", [admin_export, admin_xlsx_export, command_export, admin_action])
def test_export_queries_do_not_grow_with_rows(client, superuser, export):
    client.force_login(superuser)
    add_programs(10)
    with CaptureQueriesContext(connection) as small:
        export(client)
    add_programs(990)
    with CaptureQueriesContext(connection) as large:
        body = export(client)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert (body.count(b"\r\n") if isinstance(body, bytes) else body.count("\n")) > 1000
