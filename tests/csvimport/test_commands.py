import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contacts.models import Section
from csvimport.models import ImportBatch
from programs.models import Program
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

HEADER = "コード,担当部門,課・室名,電話番号,メールアドレス\r\n"


def test_import_csv_dry_run_then_apply(tmp_path, capsys):
    DepartmentFactory(name="経営支援部")
    path = tmp_path / "sections.csv"
    path.write_bytes((HEADER + "k,経営支援部,企業支援課,03-5470-1564,\r\n").encode("cp932"))
    call_command("import_csv", "contacts.Section", str(path), "--dry-run")
    assert "新規 1件" in capsys.readouterr().out
    assert Section.objects.count() == 0
    call_command("import_csv", "contacts.Section", str(path), "--encoding", "cp932")
    assert Section.objects.get().name == "企業支援課"
    assert ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED).count() == 1


def test_import_csv_error_exits_non_zero_and_writes_nothing(tmp_path):
    DepartmentFactory(name="経営支援部")
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "k,経営支援部,企業支援課,,\r\nx,無い部,課,,\r\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_csv", "contacts.Section", str(path))
    assert exc.value.returncode == 1
    assert Section.objects.count() == 0


def test_import_csv_unknown_model(tmp_path):
    with pytest.raises(CommandError, match="取り込み対象ではありません"):
        call_command("import_csv", "auth.User", str(tmp_path / "x.csv"))


def test_export_csv_to_file_round_trips(handbook, tmp_path, capsys):
    out = tmp_path / "programs.csv"
    call_command("export_csv", "programs.Program", "-o", str(out))
    assert out.read_bytes().decode("utf-8-sig").startswith("年度,事業コード")
    call_command("import_csv", "programs.Program", str(out), "--dry-run")
    assert "変更なし 74件" in capsys.readouterr().out
    assert Program.objects.count() == 74
    partners = tmp_path / "partners.csv"
    call_command(
        "export_csv", "contacts.PartnerOrganization", "-o", str(partners), "--encoding", "cp932"
    )
    assert "岡山県事業承継・引継ぎ支援センター" in partners.read_bytes().decode("cp932")
    with pytest.raises(CommandError, match="Shift_JIS"):
        call_command("export_csv", "programs.Program", "-o", str(out), "--encoding", "cp932")


def test_command_line_exit_codes(tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "bad.csv"
    path.write_bytes(b"\x00\x01")
    env = {**os.environ, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_csv", "contacts.Section", str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 1
    assert "NUL文字" in result.stderr
    good = tmp_path / "ok.csv"
    good.write_text("コード,担当部門,課・室名,電話番号,メールアドレス\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_csv", "contacts.Section", str(good)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self):
        return True


def test_progress_bars_on_a_terminal_for_long_files(db, tmp_path):

    DepartmentFactory(code="management-support", name="経営支援部")
    lines = [f"sec-{i:04d},経営支援部,課{i},," for i in range(1200)]
    path = tmp_path / "sections.csv"
    path.write_text(HEADER + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    terminal = Terminal()
    call_command("import_csv", "contacts.Section", str(path), stderr=terminal, stdout=io.StringIO())
    assert "確認中 [" in terminal.getvalue() and "取り込み中 [" in terminal.getvalue()
    assert f"[{'#' * 30}] 1200/1200" in terminal.getvalue()

    out = tmp_path / "out.xlsx"
    terminal = Terminal()
    call_command("export_csv", "contacts.Section", "-o", str(out), stderr=terminal)
    assert f"[{'#' * 30}] 1200/1200" in terminal.getvalue()
    assert out.read_bytes().startswith(b"PK")

    # Not a terminal, or -v 0: no bar.
    quiet = Terminal()
    call_command("export_csv", "contacts.Section", "-o", str(out), stderr=quiet, verbosity=0)
    log = io.StringIO()
    call_command("export_csv", "contacts.Section", "-o", str(out), stderr=log)
    assert "[" not in quiet.getvalue() and "[" not in log.getvalue()
