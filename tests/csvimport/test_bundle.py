"""Backups: export_bundle writes every entity in the import format; restore_bundle puts it back
into an empty database through the import path, all or nothing; the round trip is lossless."""

import zipfile

import pytest
from django.core.management import CommandError, call_command

from contacts.models import RegionalDesk, RegionalOffice
from csvimport import bundle
from csvimport.pipeline import run_import
from csvimport.registry import entries
from programs.models import Edition, Program
from programs.resources import EditionResource

ENTRIES = [(e.label, e.resource_class, e.filename) for e in entries()]

pytestmark = pytest.mark.django_db

FILES = [filename for _label, _resource, filename in ENTRIES]


def empty_the_database():
    """Delete every importable row, latest entity first (foreign keys are PROTECT)."""
    RegionalOffice.objects.update(parent=None)
    for _label, resource, _filename in reversed(ENTRIES):
        resource._meta.model.objects.all().delete()
    for _label, resource, _filename in ENTRIES:
        assert not resource._meta.model.objects.exists()


def read_folder(folder):
    return {name: (folder / name).read_bytes() for name in FILES}


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_round_trip_is_lossless(handbook, tmp_path, kind):
    first = tmp_path / ("first.zip" if kind == "zip" else "first")
    call_command("export_bundle", str(first), verbosity=0)
    if kind == "zip":
        with zipfile.ZipFile(first) as archive:
            assert archive.namelist() == FILES  # registry order
            before = {name: archive.read(name) for name in FILES}
    else:
        before = read_folder(first)
    assert before["programs.csv"].startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, like exports
    links = sorted(RegionalDesk.objects.values_list("code", "program_codes"))
    assert sum(len(codes.split()) for _code, codes in links) > 0

    empty_the_database()
    call_command("restore_bundle", str(first), verbosity=0)

    assert Program.objects.count() == 74
    assert sorted(RegionalDesk.objects.values_list("code", "program_codes")) == links
    second = tmp_path / "second"
    call_command("export_bundle", str(second), verbosity=0)
    assert read_folder(second) == before  # byte-identical


def test_a_bundle_is_also_a_fixtures_folder(handbook, tmp_path):
    call_command("export_bundle", str(tmp_path / "b"), verbosity=0)
    # loading it over the same data changes nothing
    call_command("load_handbook", dir=str(tmp_path / "b"), verbosity=0)
    assert Program.objects.count() == 74


def test_restore_refuses_a_database_that_is_not_empty(handbook, tmp_path):
    call_command("export_bundle", str(tmp_path / "b"), verbosity=0)
    with pytest.raises(CommandError, match="データベースが空ではありません"):
        call_command("restore_bundle", str(tmp_path / "b"), verbosity=0)


def test_a_damaged_bundle_restores_nothing(handbook, tmp_path):
    folder = tmp_path / "b"
    call_command("export_bundle", str(folder), verbosity=0)
    desks = (folder / "desks.csv").read_text(encoding="utf-8-sig")
    # the last file refers to a program that is not in the bundle
    (folder / "desks.csv").write_text(
        desks.replace("business-succession-facilitation", "no-such-program", 1),
        encoding="utf-8-sig",
    )
    empty_the_database()
    with pytest.raises(CommandError) as failure:
        call_command("restore_bundle", str(folder), verbosity=0)
    assert "復元できませんでした" in str(failure.value)
    assert "no-such-program" in str(failure.value)
    # all or nothing: the files before desks.csv were rolled back too
    for _label, resource, _filename in ENTRIES:
        assert not resource._meta.model.objects.exists()


def test_missing_files_and_bad_archives_are_refused(tmp_path):
    (tmp_path / "partial").mkdir()
    (tmp_path / "partial" / "editions.csv").write_bytes(b"x")
    with pytest.raises(CommandError, match="ファイルがありません"):
        call_command("restore_bundle", str(tmp_path / "partial"), verbosity=0)
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="ZIPファイルとして読めません"):
        call_command("restore_bundle", str(tmp_path / "bad.zip"), verbosity=0)
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("restore_bundle", str(tmp_path / "nothing"), verbosity=0)


def test_a_non_empty_database_is_refused_before_the_bundle_is_read(handbook, tmp_path):
    # Not even a zip: had it been opened first, the error would be about the archive.
    (tmp_path / "huge.zip").write_bytes(b"not a zip at all")
    with pytest.raises(CommandError, match="データベースが空ではありません"):
        call_command("restore_bundle", str(tmp_path / "huge.zip"), verbosity=0)


@pytest.mark.parametrize("kind", ["zip", "folder"])
def test_an_oversized_member_is_refused_without_reading_it_whole(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(bundle, "MAX_MEMBER_BYTES", 1024 * 1024)
    big = b"a" * (3 * 1024 * 1024)  # compresses to a few kilobytes: a small zip, a big file
    if kind == "zip":
        source = tmp_path / "bomb.zip"
        with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in FILES:
                archive.writestr(name, big if name == "programs.csv" else b"x")
        assert source.stat().st_size < 64 * 1024
    else:
        source = tmp_path / "folder"
        source.mkdir()
        for name in FILES:
            (source / name).write_bytes(big if name == "programs.csv" else b"x")
    refused = "programs.csv が大きすぎます（3.0MB）。1ファイル1MBまで"
    with pytest.raises(CommandError, match=refused):
        call_command("restore_bundle", str(source), verbosity=0)


def test_a_bundle_with_two_published_editions_is_refused():
    data = (
        "年度,題名,状態,公開日\r\n"
        "2024,令和6年度版,公開,2024-06-01\r\n"
        "2025,令和7年度版,公開,2025-04-01\r\n"
    )
    report = run_import(EditionResource(), data.encode(), dry_run=False)
    assert [row.errors for row in report.rows] == [
        [],
        [
            (
                "状態",
                "公開の版が同じファイルに複数あります（令和6年度版）。公開中の版は1つだけです。",
            )
        ],
    ]
    assert not Edition.objects.exists()
