"""The staff admin: import preview → confirm, permissions, audit trail, search, exports."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from contacts.models import Department, Section
from csvimport.models import ImportBatch
from programs.models import Program
from tests.conftest import staff_in
from tests.factories import DepartmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db

HEADER = "コード,担当部門,課・室名,電話番号,メールアドレス\r\n"


@pytest.fixture
def roles():
    DepartmentFactory(code="management-support", name="経営支援部")
    DepartmentFactory(code="fund", name="ファンド事業部")
    call_command("setup_roles", verbosity=0)


def upload(client, url, text, encoding="cp932", name="sections.csv"):
    data = text.encode(encoding)
    return client.post(url, {"file": SimpleUploadedFile(name, data), "encoding": "auto"})


def test_preview_then_confirm_applies_and_is_audited(client, superuser, roles):
    client.force_login(superuser)
    text = HEADER + "kigyo,経営支援部,企業支援課,03-5470-1564,\r\n"
    response = upload(client, "/admin/contacts/section/import/", text)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/contacts/section/import/{batch.pk}/"
    assert Section.objects.count() == 0  # preview writes nothing

    page = client.get(response["Location"])
    body = page.content.decode()
    assert "新規 1件" in body and "取り込む" in body

    response = client.post(f"/admin/contacts/section/import/{batch.pk}/")
    assert response.status_code == 302
    assert Section.objects.get().name == "企業支援課"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert (batch.user, batch.file_name, batch.new_count, batch.encoding) == (
        superuser,
        "sections.csv",
        1,
        "cp932",
    )
    entry = LogEntry.objects.get()
    assert entry.user == superuser
    assert "CSV取り込み（sections.csv）で追加" in entry.change_message
    # the audit list is visible in the admin
    assert "sections.csv" in client.get("/admin/csvimport/importbatch/").content.decode()


def test_confirm_applies_the_previewed_file_only_once(client, superuser, roles):
    client.force_login(superuser)
    upload(client, "/admin/contacts/section/import/", HEADER + "k,経営支援部,企業支援課,,\r\n")
    batch = ImportBatch.objects.get()
    client.post(f"/admin/contacts/section/import/{batch.pk}/")
    client.post(f"/admin/contacts/section/import/{batch.pk}/")
    assert Section.objects.count() == 1
    assert LogEntry.objects.count() == 1


def test_preview_with_errors_cannot_be_confirmed(client, superuser, roles):
    client.force_login(superuser)
    text = HEADER + "a,経営支援部,企業支援課,,\r\nb,架空部,総務課,,\r\n"
    response = upload(client, "/admin/contacts/section/import/", text)
    body = client.get(response["Location"]).content.decode()
    assert "3行目「担当部門」列：担当部門「架空部」は登録されていません。" in body
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    client.post(f"/admin/contacts/section/import/{batch.pk}/")
    assert Section.objects.count() == 0


def test_upload_size_limit(client, superuser, roles, monkeypatch):
    from csvimport import admin as admin_csv

    monkeypatch.setattr(admin_csv, "MAX_UPLOAD_BYTES", 10)
    client.force_login(superuser)
    response = upload(client, "/admin/contacts/section/import/", HEADER)
    assert response.status_code == 200
    assert "ファイルが大きすぎます" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_import_needs_its_own_permission(client, roles):
    reviewer = staff_in("閲覧者")
    client.force_login(reviewer)
    assert client.get("/admin/contacts/section/").status_code == 200  # may read
    refused = client.get("/admin/contacts/section/import/")
    assert refused.status_code == 403
    # Inside the admin layout, in Japanese, saying why.
    page = refused.content.decode()
    assert '<header id="header">' in page and "この操作を行う権限がありません" in page
    assert "課・室の取り込みには「課・室」の取り込みの権限が必要です。" in page
    assert "Forbidden" not in page
    response = upload(client, "/admin/contacts/section/import/", HEADER + "k,経営支援部,課,,\r\n")
    assert response.status_code == 403
    assert client.get("/admin/contacts/section/export/?format=utf-8-sig").status_code == 403
    assert ImportBatch.objects.count() == 0

    importer = staff_in("データ取込担当")
    client.force_login(importer)
    assert client.get("/admin/contacts/section/import/").status_code == 200


def test_reviewer_is_read_only(client, roles):
    program = ProgramFactory(department=Department.objects.get(name="経営支援部"))
    client.force_login(staff_in("閲覧者"))
    response = client.post(f"/admin/programs/program/{program.pk}/change/", {"name": "書き換え"})
    assert response.status_code == 403
    program.refresh_from_db()
    assert program.name != "書き換え"


def test_department_editor_changes_only_own_programs(client, roles):
    own = ProgramFactory(department=Department.objects.get(name="経営支援部"))
    other = ProgramFactory(department=Department.objects.get(name="ファンド事業部"))
    client.force_login(staff_in("編集者：経営支援部"))
    page = client.get(f"/admin/programs/program/{own.pk}/change/")
    assert page.status_code == 200 and 'name="name"' in page.content.decode()
    response = client.post(f"/admin/programs/program/{other.pk}/change/", {"name": "書き換え"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.name != "書き換え"
    # the other department's program is still readable, but without an editable form
    readonly = client.get(f"/admin/programs/program/{other.pk}/change/").content.decode()
    assert 'name="name"' not in readonly


def test_admin_edit_is_in_the_program_history(client, superuser, handbook):
    client.force_login(superuser)
    program = Program.objects.get(code="it-introduction-subsidy")
    page = client.get(f"/admin/programs/program/{program.pk}/change/")
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    data["fee"] = "無料"
    data["covid"] = "on" if program.covid else ""
    if not data["covid"]:
        data.pop("covid")
    response = client.post(f"/admin/programs/program/{program.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    history = client.get(f"/admin/programs/program/{program.pk}/history/").content.decode()
    assert "費用" in history
    assert LogEntry.objects.filter(object_id=str(program.pk), user=superuser).exists()


def test_search_ignores_full_and_half_width(client, superuser, handbook):
    client.force_login(superuser)
    body = client.get("/admin/programs/program/", {"q": "ＩＴ導入"}).content.decode()
    assert "it-introduction-subsidy" in body or "IT 導入補助金" in body
    department = DepartmentFactory(name="テスト部")
    Section.objects.create(code="half", department=department, name="IT戦略課")
    Section.objects.create(code="full", department=department, name="ＩＴ推進室")
    Section.objects.create(code="kana", department=department, name="カタカナ課")
    found = client.get("/admin/contacts/section/", {"q": "ＩＴ戦略"}).context["cl"].result_list
    assert [s.code for s in found] == ["half"]
    found = client.get("/admin/contacts/section/", {"q": "IT推進"}).context["cl"].result_list
    assert [s.code for s in found] == ["full"]
    found = client.get("/admin/contacts/section/", {"q": "ｶﾀｶﾅ"}).context["cl"].result_list
    assert [s.code for s in found] == ["kana"]


def test_export_view_downloads_excel_safe_csv(client, superuser, handbook):
    client.force_login(superuser)
    response = client.get("/admin/programs/program/export/", {"format": "utf-8-sig"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="program-')
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert len(rows) == 75
    # The handbook prints a figure dash (‒) that Shift_JIS cannot hold: refused, not garbled.
    response = client.get("/admin/programs/program/export/", {"format": "cp932"})
    # Inside the admin layout, naming every program and column, with the formats that work.
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "<tr><td>2024 / sme-business-conditions-survey</td><td>事業のポイント</td>"
        "<td>「‒」（U+2012 FIGURE DASH）</td></tr>"
    ) in page
    assert 'id="user-tools"' in page
    assert "?format=xlsx" in page and "?format=utf-8-sig" in page
    response = client.get("/admin/contacts/prefecture/export/", {"format": "cp932"})
    assert response.content.decode("cp932").startswith("都道府県コード,都道府県名")


def test_japanese_site_titles(client, superuser):
    client.force_login(superuser)
    body = client.get("/admin/").content.decode()
    assert "中小機構 支援施策ポータル 管理サイト" in body
    assert "CSV取り込み履歴" in body


def test_export_recommends_and_downloads_a_workbook(client, superuser, handbook):
    client.force_login(superuser)
    page = client.get("/admin/contacts/prefecture/export/").content.decode()
    assert "おすすめは Excelブック（.xlsx）です" in page
    assert '/admin/csvimport/importbatch/format/#contacts.prefecture"' in page
    response = client.get("/admin/contacts/prefecture/export/", {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    # The workbook goes back in through the same upload as a CSV: nothing changed.
    upload = SimpleUploadedFile("prefectures.xlsx", response.content)
    client.post("/admin/contacts/prefecture/import/", {"file": upload, "encoding": "auto"})
    batch = ImportBatch.objects.get()
    assert (batch.encoding, batch.unchanged_count, batch.error_count) == ("xlsx", 47, 0)


def test_format_help_page_is_generated_from_the_columns(client, superuser):
    client.force_login(superuser)
    page = client.get("/admin/csvimport/importbatch/format/").content.decode()
    assert 'id="user-tools"' in page  # inside the admin layout
    assert "どの形式を使うか" in page and "Excelブック（.xlsx）― おすすめ" in page
    assert '<h3 id="programs.program">事業・制度（programs.csv）</h3>' in page
    assert '<th scope="row">掲載状態</th>' in page and "次のいずれか：掲載中 / 廃止" in page
    assert "2桁の数字" in page  # 都道府県コード
    import_page = client.get("/admin/programs/program/import/").content.decode()
    assert "docs/csv-format.md" not in import_page
    assert "/admin/csvimport/importbatch/format/#programs.program" in import_page
