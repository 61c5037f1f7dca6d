"""The yearly edition (issue 5): next year's CSV imported as a draft, its change report against the
current edition, staff preview, publishing in one step, archived and retired programs."""

import datetime
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.wareki import fiscal_year_label
from csvimport import csvio
from csvimport.models import ImportBatch
from programs import changes, editions
from programs.models import Edition, Program
from tests.conftest import body
from tests.editions_data import (
    FEE_CHANGED,
    NEW,
    NEW_FEE,
    NEW_NAME,
    NEW_PROGRAM_NAME,
    OLD_FEE,
    OLD_NAME,
    REMOVED,
    REMOVED_NAME,
    RENAMED,
    next_year_csv,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]


def run(*args):
    """A management command's exit: (stdout, stderr), or CommandError raised."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def csv_2025(tmp_path):
    path = tmp_path / "programs-2025.csv"
    path.write_bytes(next_year_csv())
    return path


@pytest.fixture
def draft(csv_2025):
    """The issue's scenario up to review: an empty 2025 draft with the 2025 CSV imported."""
    run("start_edition", "2025")
    run("import_csv", "programs.Program", str(csv_2025), "--edition", "2025")
    return Edition.objects.get(year=2025)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="pw", is_staff=True)


def states():
    return {e.year: (e.status, e.published_on) for e in Edition.objects.all()}


# --- Done when: importing as a draft reports exactly the four changes --------------------------


def test_importing_next_years_csv_as_a_draft_reports_exactly_the_four_changes(csv_2025):
    out, _err = run("start_edition", "2025")
    assert "令和7年度版（下書き）「令和7年度版「中小機構総合ハンドブック」」を作成しました" in out
    out, _err = run("import_csv", "programs.Program", str(csv_2025), "--edition", "2025")
    assert "取り込みました（取り込み先：令和7年度版）：新規 74件 / 変更 0件" in out
    assert "令和6年度版からの変更点：新規 1件 / 廃止 1件 / 変更 2件 / 変更なし 71件" in out

    draft = Edition.objects.get(year=2025)
    assert draft.status == Edition.Status.DRAFT
    assert Program.objects.filter(edition=draft).count() == 74
    batch = ImportBatch.objects.get(status=ImportBatch.Status.APPLIED)
    assert batch.target == str(draft.year)

    diff = changes.compare(draft)
    assert diff.base == Edition.objects.get(year=2024)
    assert [(c.code, c.name) for c in diff.new] == [(NEW, NEW_PROGRAM_NAME)]
    assert [(c.code, c.name) for c in diff.retired] == [(REMOVED, REMOVED_NAME)]
    assert {c.code: [(f.column, f.old, f.new) for f in c.fields] for c in diff.changed} == {
        RENAMED: [("事業・制度名", OLD_NAME, NEW_NAME)],
        FEE_CHANGED: [("費用", OLD_FEE, NEW_FEE)],
    }
    assert diff.unchanged == 71


def test_diff_edition_prints_the_report(draft):
    out, _err = run("diff_edition", "2025")
    assert out.splitlines()[:2] == [
        "令和7年度版の主な変更点（下書き）：令和6年度版との比較",
        "新規 1件 / 廃止 1件 / 変更 2件 / 変更なし 71件",
    ]
    assert f"■ 新規（1件）\n  {NEW}  {NEW_PROGRAM_NAME}\n" in out
    assert f"■ 廃止（1件）\n  {REMOVED}  {REMOVED_NAME}（令和6年度版まで）\n" in out
    assert f"  {RENAMED}  {NEW_NAME}\n    事業・制度名：{OLD_NAME} → {NEW_NAME}\n" in out
    assert f"    費用：{OLD_FEE} → {NEW_FEE}\n" in out
    # Against itself there is nothing to report; against no edition everything is new.
    with pytest.raises(CommandError, match="同じ版どうし"):
        run("diff_edition", "2025", "--against", "2025")
    with pytest.raises(CommandError, match="令和8年度版（2026）がありません"):
        run("diff_edition", "2026")
    out, _err = run("diff_edition", "2024")
    assert "新規 74件 / 廃止 0件 / 変更 0件 / 変更なし 0件" in out
    assert "（比較する前の版なし）" in out


def test_diff_edition_csv_is_excel_safe(draft, tmp_path):
    program = Program.objects.get(edition=draft, code=FEE_CHANGED)
    program.fee = '=HYPERLINK("http://example.com")'
    program.save()
    path = tmp_path / "changes.csv"
    _out, err = run("diff_edition", "2025", "-o", str(path))
    assert "changes.csv に書き出しました（新規 1件" in err
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header, rows = csvio.read_rows(data.decode("utf-8-sig"))
    assert header == [
        "区分",
        "事業コード",
        "事業・制度名",
        "項目",
        "変更前（令和6年度版）",
        "変更後（令和7年度版）",
    ]
    cells = [r for _line, r in rows]
    assert ["新規", NEW, NEW_PROGRAM_NAME, "", "", ""] in cells
    assert ["廃止", REMOVED, REMOVED_NAME, "", "", ""] in cells
    assert ["変更", RENAMED, NEW_NAME, "事業・制度名", OLD_NAME, NEW_NAME] in cells
    assert len(cells) == 4
    # The formula reached the file neutralised (read_rows takes the apostrophe off again).
    assert "'=HYPERLINK(" in data.decode("utf-8-sig")


def test_reimporting_the_same_csv_reports_zero_changes(draft, csv_2025):
    out, _err = run("import_csv", "programs.Program", str(csv_2025), "--edition", "2025")
    assert "新規 0件 / 変更 0件 / 変更なし 74件 / エラー 0件" in out
    # The change report against 2024 is what it was.
    assert "新規 1件 / 廃止 1件 / 変更 2件 / 変更なし 71件" in out


# --- Done when: the public still sees 2024; staff preview the draft -----------------------------


def test_public_still_sees_2024_while_staff_preview_the_draft(client, draft, staff):
    home = client.get("/")
    assert home.context["current_edition"].year == 2024
    assert "/2025/changes/" not in body(home)
    assert client.get("/programs/").context["paginator"].count == 74
    assert OLD_NAME in body(client.get(f"/programs/{RENAMED}/"))
    assert NEW_NAME not in body(client.get("/programs/?q=DX"))
    for url in (
        "/2025/programs/",
        f"/2025/programs/{RENAMED}/",
        f"/2025/programs/{NEW}/",
        "/2025/changes/",
        f"/programs/{NEW}/",
    ):
        assert client.get(url).status_code == 404, url
    assert NEW not in body(client.get("/sitemap.xml"))
    assert NEW not in body(client.get("/programs.csv"))

    client.force_login(staff)
    listing = client.get("/2025/programs/")
    assert listing.status_code == 200
    assert listing.context["paginator"].count == 74
    assert "<strong>下書き</strong>：令和7年度版（未公開）" in body(listing)
    assert f'href="/2025/programs/{NEW}/"' in body(client.get("/2025/programs/?chapter=6"))
    page = client.get(f"/2025/programs/{RENAMED}/")
    assert "下書き：令和7年度版（未公開）" in body(page) and NEW_NAME in body(page)
    changes = client.get("/2025/changes/")
    assert changes.status_code == 200
    assert "<strong>下書き</strong>" in body(changes)
    # Staff still see the live site as the public does.
    assert client.get("/").context["current_edition"].year == 2024


def test_a_logged_in_non_staff_user_cannot_preview(client, draft, django_user_model):
    client.force_login(django_user_model.objects.create_user("someone", password="pw"))
    assert client.get("/2025/programs/").status_code == 404
    assert client.get("/2025/changes/").status_code == 404


# --- Done when: publishing switches over; 2024 archived and browsable ---------------------------


def test_publishing_makes_2025_current_and_2024_archived_and_browsable(client, draft):
    out, _err = run("publish_edition", "2025")
    today = timezone.localdate()
    assert f"令和7年度版を公開しました（公開日：{today:%Y-%m-%d}）。" in out
    assert "令和6年度版はアーカイブになりました（/2024/programs/）。" in out
    assert states() == {
        2025: (Edition.Status.PUBLISHED, today),
        2024: (Edition.Status.ARCHIVED, datetime.date(2024, 6, 1)),
    }
    assert Edition.objects.current().year == 2025

    home = client.get("/")
    assert home.context["current_edition"].year == 2025
    assert '<a href="/2025/changes/">令和7年度版の主な変更点</a>' in body(home)
    assert "掲載内容：令和7年度版" in body(home)
    assert client.get("/programs/").context["paginator"].count == 74
    assert NEW_NAME in body(client.get(f"/programs/{RENAMED}/"))
    assert client.get(f"/programs/{NEW}/").status_code == 200

    # 2024 stays at its stable addresses, marked as the archived edition.
    archived_list = client.get("/2024/programs/")
    assert archived_list.status_code == 200
    assert archived_list.context["paginator"].count == 74
    assert "令和6年度版（アーカイブ）の内容です" in body(archived_list)
    assert f'href="/2024/programs/{RENAMED}/"' in body(client.get("/2024/programs/?chapter=1"))
    archived = client.get(f"/2024/programs/{RENAMED}/")
    assert archived.status_code == 200
    assert OLD_NAME in body(archived)
    assert f'<a href="/programs/{RENAMED}/">最新の令和7年度版の内容を見る</a>' in body(archived)
    # The current edition at its year address is the same page, pointing to the canonical one.
    assert 'rel="canonical"' in body(client.get("/2025/programs/"))


def test_the_removed_programs_page_says_it_ended_with_reiwa_6(client, draft):
    run("publish_edition", "2025")
    gone = client.get(f"/programs/{REMOVED}/")
    assert gone.status_code == 410
    html = body(gone)
    assert "この事業は<strong>令和6年度版</strong>をもって掲載を終了しました（廃止）" in html
    assert f'<a href="/2024/programs/{REMOVED}/">令和6年度版に掲載された' in html
    assert '<a href="/2025/changes/">令和7年度版の主な変更点</a>' in html
    last = client.get(f"/2024/programs/{REMOVED}/")
    assert last.status_code == 200
    assert "この事業は令和6年度版をもって掲載を終了しました（廃止）" in body(last)
    # Never deleted: the 2024 row is still there, unchanged.
    assert Program.objects.get(edition__year=2024, code=REMOVED).status == Program.Status.ACTIVE
    # A code that never existed is still a plain 404.
    assert client.get("/programs/no-such-program/").status_code == 404


def test_public_changes_page_lists_the_four_changes(client, draft):
    run("publish_edition", "2025")
    response = client.get("/2025/changes/")
    assert response.status_code == 200
    html = body(response)
    assert "<h1>令和7年度版の主な変更点</h1>" in html
    assert "新たに掲載した事業 1件、掲載を終了した事業 1件、内容が変わった事業 2件" in html
    assert f'<a href="/programs/{NEW}/">{NEW_PROGRAM_NAME}</a>' in html
    assert (
        f'<a href="/2024/programs/{REMOVED}/">{REMOVED_NAME}</a>（令和6年度版をもって終了）' in html
    )
    assert f'<a href="/programs/{RENAMED}/">{NEW_NAME}</a>' in html
    assert OLD_NAME in html and OLD_FEE in html and NEW_FEE in html
    assert "編集メモ" not in html and "抽出元テキスト" not in html
    # 2024 has no edition before it to compare with.
    assert client.get("/2024/changes/").status_code == 404


def test_a_publish_that_fails_halfway_changes_nothing(draft, monkeypatch):
    before = states()
    real_save = Edition.save

    def failing_save(self, *args, **kwargs):
        # The first write (archiving 2024) has happened inside the transaction...
        assert Edition.objects.get(year=2024).status == Edition.Status.ARCHIVED
        raise RuntimeError("ディスクがいっぱいです")  # ...and the second one fails.

    monkeypatch.setattr(Edition, "save", failing_save)
    with pytest.raises(RuntimeError):
        run("publish_edition", "2025")
    monkeypatch.setattr(Edition, "save", real_save)
    assert states() == before
    assert Edition.objects.current().year == 2024


# --- starting an edition ------------------------------------------------------------------------


def test_start_edition_copy_from_copies_every_program(client, staff):
    Program.objects.filter(code=REMOVED).update(editorial_note="メモもコピーされる")
    out, _err = run("start_edition", "2025", "--copy-from", "2024")
    assert "令和6年度版の事業74件をコピー" in out
    draft = Edition.objects.get(year=2025)
    assert draft.status == Edition.Status.DRAFT and draft.published_on is None
    assert draft.title == "令和7年度版「中小機構総合ハンドブック」"
    copies = Program.objects.filter(edition=draft)
    assert copies.count() == 74
    assert Program.objects.filter(edition__year=2024).count() == 74
    copy = copies.get(code=REMOVED)
    assert copy.editorial_note == "メモもコピーされる" and copy.search_index
    assert changes.compare(draft).summary() == "新規 0件 / 廃止 0件 / 変更 0件 / 変更なし 74件"
    # The copy is searchable in the staff preview.
    client.force_login(staff)
    assert client.get("/2025/programs/?q=ハンズオン").context["paginator"].count > 0


def test_importing_into_a_copied_draft_warns_about_programs_missing_from_the_file(csv_2025):
    run("start_edition", "2025", "--copy-from", "2024")
    out, _err = run("import_csv", "programs.Program", str(csv_2025), "--edition", "2025")
    assert "新規 1件 / 変更 2件 / 変更なし 71件" in out
    assert f"このファイルにない掲載中の事業が1件あります（{REMOVED}）" in out
    # Nothing is removed from the draft by an import: retiring is a decision, made explicitly.
    program = Program.objects.get(edition__year=2025, code=REMOVED)
    program.status = Program.Status.RETIRED
    program.save()
    diff = changes.compare(Edition.objects.get(year=2025))
    assert [c.code for c in diff.retired] == [REMOVED]
    assert diff.summary() == "新規 1件 / 廃止 1件 / 変更 2件 / 変更なし 71件"


def test_start_edition_refusals():
    run("start_edition", "2025")
    with pytest.raises(CommandError, match="令和7年度版はすでにあります（状態：下書き）") as exc:
        run("start_edition", "2025")
    assert exc.value.returncode == 1
    with pytest.raises(CommandError, match="令和6年度版はすでにあります（状態：公開）"):
        run("start_edition", "2024")
    with pytest.raises(CommandError, match="コピー元の令和12年度版（2030）がありません"):
        run("start_edition", "2026", "--copy-from", "2030")
    with pytest.raises(CommandError, match="2019～2100"):
        run("start_edition", "2101")
    assert sorted(Edition.objects.values_list("year", flat=True)) == [2024, 2025]


# --- import_csv --edition -----------------------------------------------------------------------


def test_import_into_a_published_or_missing_edition_is_refused(csv_2025, tmp_path):
    path = tmp_path / "programs-2024.csv"
    path.write_bytes(next_year_csv(year="2024"))
    with pytest.raises(CommandError) as exc:
        run("import_csv", "programs.Program", str(path), "--edition", "2024")
    assert exc.value.returncode == 1
    assert str(exc.value) == (
        "令和6年度版は「公開」のため取り込めません。取り込み先に指定できるのは下書きの版だけです。"
    )
    with pytest.raises(CommandError, match="python manage.py start_edition 2025 で下書きを"):
        run("import_csv", "programs.Program", str(csv_2025), "--edition", "2025")
    run("start_edition", "2025")
    with pytest.raises(CommandError, match="課・室の取り込みには取り込み先を指定できません"):
        run("import_csv", "contacts.Section", str(csv_2025), "--edition", "2025")
    assert ImportBatch.objects.count() == 0
    assert Program.objects.filter(edition__year=2024, code=RENAMED).get().name == OLD_NAME


def test_year_column_must_be_blank_or_the_target_year(tmp_path):
    run("start_edition", "2025")
    # Blank 年度 cells mean the target edition.
    blank = tmp_path / "blank.csv"
    blank.write_bytes(next_year_csv(year="")[3:])  # UTF-8 without BOM
    out, _err = run("import_csv", "programs.Program", str(blank), "--edition", "2025", "--dry-run")
    assert "確認のみ（書き込みなし）（取り込み先：令和7年度版）：新規 74件" in out
    assert Program.objects.filter(edition__year=2025).count() == 0
    # A file for another year is an error on every such row, and nothing is written.
    header, *rows = next_year_csv().decode("utf-8-sig").split("\r\n", 1)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        header + "\r\n" + rows[0].replace("2025,hands-on-general", "2024,hands-on-general", 1),
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="何も取り込んでいません"):
        call_command("import_csv", "programs.Program", str(mixed), "--edition", "2025", stderr=err)
    assert err.getvalue().splitlines() == [
        "2行目「年度」列：取り込み先は令和7年度版（2025）です。"
        "「年度」列は空欄か 2025 にしてください（この行は「2024」）。"
    ]
    assert Program.objects.filter(edition__year=2025).count() == 0


def test_a_preview_confirmed_after_publishing_writes_nothing(csv_2025):
    from csvimport.batches import apply_batch, record_preview
    from programs.resources import ProgramResource

    run("start_edition", "2025", "--copy-from", "2024")
    draft = Edition.objects.get(year=2025)
    resource = ProgramResource.for_target(2025)
    batch, report = record_preview(
        resource, csv_2025.read_bytes(), file_name="p.csv", target=resource.target
    )
    assert not report.has_errors
    run("publish_edition", "2025")
    report = apply_batch(batch, ProgramResource(edition=draft))
    assert report.errors == [
        "令和7年度版は「公開」のため取り込めません。取り込み先に指定できるのは下書きの版だけです。"
    ]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not Program.objects.filter(edition=draft, code=NEW).exists()
    assert Program.objects.get(edition=draft, code=RENAMED).name == OLD_NAME


# --- publish_edition ----------------------------------------------------------------------------


def test_publish_refusals(draft):
    with pytest.raises(CommandError, match="令和6年度版はすでに公開されています") as exc:
        run("publish_edition", "2024")
    assert exc.value.returncode == 1
    with pytest.raises(CommandError, match="令和12年度版（2030）がありません"):
        run("publish_edition", "2030")
    run("start_edition", "2026")
    with pytest.raises(CommandError, match="令和8年度版には掲載中の事業が1件もないため"):
        run("publish_edition", "2026")
    run("publish_edition", "2025")
    with pytest.raises(CommandError, match="令和6年度版はアーカイブ済みです"):
        run("publish_edition", "2024")
    run("start_edition", "2023", "--copy-from", "2024")
    with pytest.raises(CommandError, match="令和7年度版が公開中のため、それより古い令和5年度版は"):
        run("publish_edition", "2023")
    assert Edition.objects.current().year == 2025


def test_command_line_exit_codes(tmp_path):
    env = {
        **os.environ,
        "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], capture_output=True, text=True, env=env
        )

    assert manage("migrate", "-v0").returncode == 0
    assert manage("load_handbook").returncode == 0
    assert manage("start_edition", "2025", "--copy-from", "2024").returncode == 0
    again = manage("start_edition", "2025")
    assert again.returncode == 1
    assert "令和7年度版はすでにあります" in again.stderr
    refused = manage("import_csv", "programs.Program", "fixtures/programs.csv", "--edition", "2024")
    assert refused.returncode == 1
    assert "下書きの版だけ" in refused.stderr
    diff = manage("diff_edition", "2025")
    assert diff.returncode == 0 and "変更なし 74件" in diff.stdout
    assert manage("publish_edition", "2025").returncode == 0
    assert manage("publish_edition", "2025").returncode == 1


# --- 和暦 ---------------------------------------------------------------------------------------


def test_fiscal_years_are_shown_in_wareki():
    assert Edition(year=2019).label == "令和元年度版"
    assert Edition(year=2024).label == "令和6年度版"
    assert fiscal_year_label(2025) == "令和7年度"
    assert editions.default_title(2019) == "令和元年度版「中小機構総合ハンドブック」"
    edition, _count = editions.start_edition(2019)
    assert str(edition) == "令和元年度版"
