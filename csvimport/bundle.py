"""Backups as a CSV bundle: every importable entity in the import format, one file each.

The files are named as in fixtures/ and written in registry order, so a bundle is also a folder
that `load_handbook --dir` accepts. A bundle is a folder or a .zip of the same files. Restoring
goes through run_import (the admin's validation) into an empty database, all or nothing.
"""

import zipfile
from pathlib import Path

from django.db import transaction

from . import csvio
from .pipeline import ImportAborted, run_import
from .registry import entries

# Every file in a bundle is written the same way: the bytes depend only on the data.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
# A bundle file is an import file: the admin's upload limit is 5 MB; a whole edition of 20,000
# programs exported is about 30 MB. Anything larger is refused before it is read.
MAX_MEMBER_BYTES = 64 * 1024 * 1024


class BundleError(Exception):
    """A bundle that cannot be written or restored; the message is Japanese, for staff."""


def bundle_files():
    """(file name, CSV bytes, row count) for every entity, in registry order."""
    for entry in entries():
        headers, rows = entry.resource_class().export_rows()
        yield entry.filename, csvio.write(headers, rows, "utf-8-sig"), len(rows)


def write_bundle(target) -> list[tuple[str, int]]:
    """Write the bundle to a folder, or to a .zip when the name ends in .zip."""
    target = Path(target)
    files = list(bundle_files())
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for filename, data, _count in files:
                info = zipfile.ZipInfo(filename, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    else:
        if target.exists() and not target.is_dir():
            raise BundleError(f"{target} はフォルダーではありません。")
        target.mkdir(parents=True, exist_ok=True)
        for filename, data, _count in files:
            (target / filename).write_bytes(data)
    return [(filename, count) for filename, _data, count in files]


def read_bundle(source) -> dict[str, bytes]:
    """The bundle's files by name; every registry file must be there."""
    source = Path(source)
    expected = [entry.filename for entry in entries()]
    if not source.exists():
        raise BundleError(f"{source} が見つかりません。")
    if source.is_dir():
        found = {}
        for name in expected:
            path = source / name
            if path.exists():
                _check_size(name, path.stat().st_size)
                found[name] = path.read_bytes()
    else:
        try:
            with zipfile.ZipFile(source) as archive:
                members = {Path(i.filename).name: i for i in archive.infolist() if not i.is_dir()}
                found = {}
                for name in expected:
                    if name in members:
                        found[name] = _read_member(archive, members[name])
        except zipfile.BadZipFile:
            raise BundleError(f"{source} はZIPファイルとして読めません。") from None
    missing = [name for name in expected if name not in found]
    if missing:
        raise BundleError(f"{source} に次のファイルがありません：" + "、".join(missing))
    return found


def _check_size(name, size):
    if size > MAX_MEMBER_BYTES:
        raise BundleError(
            f"{name} が大きすぎます（{size / 1024 / 1024:.1f}MB）。"
            f"1ファイル{MAX_MEMBER_BYTES // 1024 // 1024}MBまでです。"
        )


def _read_member(archive, info):
    """A member's bytes, never more than MAX_MEMBER_BYTES: the size a zip declares is checked
    first, and the read stops there whatever the archive really inflates to."""
    _check_size(info.filename, info.file_size)
    with archive.open(info) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    _check_size(info.filename, len(data))
    return data


def database_is_empty():
    return not any(entry.model.objects.exists() for entry in entries())


class ImportFailed(Exception):
    """Some file of a set did not import; nothing of the set was kept."""

    def __init__(self, messages):
        super().__init__("\n".join(messages))
        self.messages = messages


def import_files(files, *, out=None, on_row=None):
    """Import every registry file (name → bytes) in registry order, in one transaction: the
    whole set goes in, or nothing does. Returns (file name, summary) per file."""
    failed = []
    summaries = []
    try:
        with transaction.atomic():
            for entry in entries():
                filename = entry.filename
                report = run_import(
                    entry.resource_class(), files[filename], dry_run=False, on_row=on_row
                )
                if on_row is not None:
                    on_row.finish()
                summaries.append((filename, report.summary()))
                if out is not None:
                    out(f"{filename:<20} {report.summary()}")
                if report.has_errors:
                    failed.extend(f"{filename} {message}" for message in report.errors)
                    raise ImportAborted
    except ImportAborted:
        raise ImportFailed(failed) from None
    return summaries


def restore_bundle(source, *, out=None):
    """Import every file of the bundle, in registry order, in one transaction."""
    # Checked before anything of the bundle is read: a refused restore costs nothing.
    if not database_is_empty():
        raise BundleError(
            "データベースが空ではありません。復元は空のデータベースにだけ行えます"
            "（migrate したばかりのデータベースを用意してください）。"
        )
    files = read_bundle(source)
    try:
        return import_files(files, out=out)
    except ImportFailed as exc:
        raise BundleError(
            "復元できませんでした。データベースは変更していません。\n" + "\n".join(exc.messages)
        ) from None
