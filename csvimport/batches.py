"""Preview → confirm: a file is dry-run and kept with its report (ImportBatch); confirming
applies exactly those bytes, once, from any app server."""

import hashlib

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import ImportBatch
from .pipeline import run_import
from .report import ImportReport


class BatchError(Exception):
    """A confirm that cannot go ahead; the message is shown to staff as it is."""


def record_preview(
    resource, data: bytes, *, file_name, user=None, encoding="auto", target="", on_row=None
):
    """Dry-run a file and keep it with its report, to be confirmed later (by any app server)."""
    report = run_import(resource, data, dry_run=True, encoding=encoding, on_row=on_row)
    batch = ImportBatch(
        model_label=resource._meta.model._meta.label,
        file_name=file_name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        encoding=report.encoding or encoding,
        target=target,
        user=user if user and user.is_authenticated else None,
    )
    _store(
        batch,
        report,
        ImportBatch.Status.FAILED if report.has_errors else ImportBatch.Status.PREVIEW,
    )
    return batch, report


def apply_batch(batch, resource, *, user=None, on_row=None):
    """Apply exactly the previewed bytes, all or nothing; every written row gets a history
    entry. The batch row is locked first, so two confirms of one preview apply it once."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEW:
            raise BatchError("この取り込みはすでに処理済みです。もう一度ファイルを選んでください。")
        preview = ImportReport.from_dict(batch.report)
        report = run_import(
            resource,
            bytes(batch.data),
            dry_run=False,
            encoding=batch.encoding,
            check=lambda report: changed_since_preview(preview, report),
            on_row=on_row,
        )
        if report.has_errors:
            _store(batch, report, ImportBatch.Status.FAILED)
            return report
        batch.applied_at = timezone.now()
        _store(batch, report, ImportBatch.Status.APPLIED)
        actor = user if user and user.is_authenticated else batch.user
        if actor is not None:
            _log_rows(batch, report, resource._meta.model, actor)
    return report


def changed_since_preview(preview, report):
    """Refuse a confirm whose rows no longer do what the preview showed: a row edited in the
    admin or by another import since then would otherwise be overwritten unseen (a lost
    update). Each row's outcome (status, and every change with its old value) is compared; rows
    the stored preview does not list were unchanged."""
    previewed = preview.rows_by_line()
    stale = []
    for row in report.rows:
        before = previewed.get(row.line)
        expected = ("unchanged", []) if before is None else (before.status, before.changes)
        if (row.status, _plain(row.changes)) != (expected[0], _plain(expected[1])):
            stale.append(f"{row.line}行目（{row.key}）")
    if not stale:
        return []
    return [
        "確認画面を作ったあとに、次の行が管理サイトでの編集や別の取り込みで変わりました。"
        "このまま取り込むとその変更を上書きしてしまうため、何も取り込んでいません。"
        "もう一度ファイルを選んで、確認し直してください：" + "、".join(stale)
    ]


def _plain(changes):
    return [list(change) for change in changes]


def _log_rows(batch, report, model, actor):
    content_type = ContentType.objects.get_for_model(model)
    entries = []
    for row in report.rows:
        if row.status not in ("new", "changed") or not row.object_id:
            continue
        if row.status == "new":
            message = f"CSV取り込み（{batch.file_name}）で追加"
        else:
            fields_changed = "、".join(column for column, _old, _new in row.changes)
            message = f"CSV取り込み（{batch.file_name}）で変更：{fields_changed}"
        entries.append(
            LogEntry(
                user_id=actor.pk,
                content_type_id=content_type.pk,
                object_id=row.object_id,
                object_repr=row.key[:200],
                action_flag=ADDITION if row.status == "new" else CHANGE,
                change_message=message,
            )
        )
    LogEntry.objects.bulk_create(entries)


def _store(batch, report, status):
    counts = report.counts
    batch.status = status
    batch.new_count = counts["new"]
    batch.changed_count = counts["changed"]
    batch.unchanged_count = counts["unchanged"]
    batch.error_count = counts["error"] + len(report.file_errors)
    batch.report = report.as_dict()
    if report.encoding:
        batch.encoding = report.encoding
    batch.save()
