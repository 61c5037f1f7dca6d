"""The one import path: admin, command line and load_handbook all come through here.

A file is decoded (UTF-8, UTF-8 with BOM or cp932), checked for missing, unknown and duplicate
key columns, then fed to a django-import-export resource inside one transaction. Any error rolls
the whole file back; a preview (dry run) always rolls back. The report lists every row as
new / changed (field by field, old → new) / unchanged / error, with row and column.
"""

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import UniqueConstraint
from django.utils import translation
from import_export import fields, resources
from import_export.widgets import ManyToManyWidget

from . import csvio, page_cache, widgets


class ImportAborted(Exception):
    """Raised inside the transaction so that nothing of a failed import is kept."""


@dataclass
class RowReport:
    line: int
    key: str
    status: str  # new / changed / unchanged / error
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    object_id: str = ""

    STATUS_LABELS = {"new": "新規", "changed": "変更", "unchanged": "変更なし", "error": "エラー"}

    @property
    def status_label(self):
        return self.STATUS_LABELS[self.status]


@dataclass
class ImportReport:
    resource_name: str
    encoding: str = ""
    dry_run: bool = True
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    def count(self, status):
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self):
        return {s: self.count(s) for s in ("new", "changed", "unchanged", "error")}

    @property
    def has_errors(self):
        return bool(self.file_errors) or any(r.status == "error" for r in self.rows)

    @property
    def errors(self):
        """Every problem as one Japanese sentence naming row and column."""
        messages = list(self.file_errors)
        for row in self.rows:
            for column, message in row.errors:
                where = f"{row.line}行目" + (f"「{column}」列" if column else "")
                messages.append(f"{where}：{message}")
        return messages

    def as_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data):
        """A report stored as JSON (ImportBatch.report); JSON turns the tuples into lists."""
        rows = [RowReport(**row) for row in data.get("rows", [])]
        return cls(**{**data, "rows": rows})

    def summary(self):
        c = self.counts
        return (
            f"新規 {c['new']}件 / 変更 {c['changed']}件 / 変更なし {c['unchanged']}件 / "
            f"エラー {c['error'] + len(self.file_errors)}件"
        )


def text_field(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget())


def int_field(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.IntegerWidget())


def ref_field(attribute, column, model, key, label=None):
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=widgets.ReferenceWidget(model, key, label or column),
    )


def choice_field(attribute, column, choices, default=None):
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=widgets.ChoiceLabelWidget(choices, column, default=default),
    )


class PortalResource(resources.ModelResource):
    """Japanese columns, model validation, and a field-level change list for previews."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        # Rows are validated one by one but written in batches; resources whose rows refer to
        # earlier rows of the same file, or that have many-to-many columns, switch this off.
        use_bulk = True
        batch_size = 1000
        store_instance = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.changes = {}
        self._existing = None
        self._unique_index = None
        self._current_row = None

    @classmethod
    def column_names(cls):
        return [f.column_name for f in cls().get_import_fields()]

    @classmethod
    def key_columns(cls):
        resource = cls()
        return [resource.fields[name].column_name for name in resource._meta.import_id_fields]

    def before_import(self, dataset, **kwargs):
        for f in self.get_import_fields():
            if isinstance(f.widget, widgets.ReferenceWidget):
                f.widget.reset_cache()
        self._existing = None
        self._unique_index = None
        super().before_import(dataset, **kwargs)

    def get_instance(self, instance_loader, row):
        # One query for all existing rows instead of one per row.
        if self._existing is None:
            names = self._meta.import_id_fields
            self._existing = {
                tuple(
                    str(
                        getattr(obj, self.fields[n].attribute + "_id", None)
                        or getattr(obj, self.fields[n].attribute)
                    )
                    for n in names
                ): obj
                for obj in self._meta.model.objects.all()
            }
        key = []
        for name in self._meta.import_id_fields:
            field = self.fields[name]
            value = field.clean(row)
            key.append(str(value.pk if hasattr(value, "pk") else value))
        return self._existing.get(tuple(key))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model validation without a query per row.

        Foreign keys were just looked up by ReferenceWidget, so their existence is not checked
        again; uniqueness is checked against an index built once per file (existing rows plus the
        rows seen so far); every CheckConstraint is mirrored by a field validator or clean(), and
        the database enforces them as well.
        """
        errors = dict(import_validation_errors or {})
        resolved = {
            attribute
            for attribute in self._reference_attributes()
            if getattr(instance, f"{attribute}_id", None) is not None
        }
        try:
            instance.full_clean(
                exclude=set(errors) | resolved, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not errors:
            try:
                self._check_unique(instance)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    # A bulk resource's rows never refer to each other and uniqueness is checked in memory,
    # so a preview has nothing to learn from writing its batches (and rolling them back).
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.create_instances.clear()
            return
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
            return
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)

    @functools.cache  # noqa: B019 - one resource instance serves one file
    def get_import_fields(self):
        # django-import-export recomputes the field order for every row and every field.
        return super().get_import_fields()

    @functools.cache  # noqa: B019 - one resource instance serves one file
    def _reference_attributes(self):
        return [
            f.attribute
            for f in self.get_import_fields()
            if isinstance(f.widget, widgets.ReferenceWidget)
        ]

    @functools.cache  # noqa: B019 - one resource instance serves one file
    def _unique_sets(self):
        model = self._meta.model
        sets = [
            ((f.attname,), None, f.name)
            for f in model._meta.local_fields
            if f.unique and not f.primary_key
        ]
        for constraint in model._meta.constraints:
            if (
                isinstance(constraint, UniqueConstraint)
                and constraint.fields
                and not constraint.condition
            ):
                attnames = tuple(model._meta.get_field(n).attname for n in constraint.fields)
                sets.append((attnames, constraint, constraint.fields[-1]))
        return sets

    def _check_unique(self, instance):
        if self._unique_index is None:
            model = self._meta.model
            self._unique_index = {
                attnames: {
                    tuple(row[1:]): row[0] for row in model.objects.values_list("pk", *attnames)
                }
                for attnames, _c, _f in self._unique_sets()
            }
        marker = instance.pk or ("row", self._current_row)
        for attnames, constraint, field_name in self._unique_sets():
            key = tuple(getattr(instance, a) for a in attnames)
            if None in key:
                continue
            owner = self._unique_index[attnames].setdefault(key, marker)
            if owner != marker:
                if constraint is not None:
                    message = constraint.get_violation_error_message()
                else:
                    error = instance.unique_error_message(type(instance), (field_name,))
                    message = error.message % error.params
                raise ValidationError({field_name: message})

    def _snapshot(self, instance):
        return {f.column_name: f.export(instance) for f in self.get_import_fields()}

    @functools.cache  # noqa: B019 - one resource instance serves one file
    def _plain_fields(self):
        # Every column is checked up front (run_import), so each row can skip
        # django-import-export's per-field look-ups; many-to-many values are saved after the row.
        return [
            f
            for f in self.get_import_fields()
            if f.attribute and not f.readonly and not isinstance(f.widget, ManyToManyWidget)
        ]

    def _assign(self, instance, row):
        errors = {}
        for f in self._plain_fields():
            try:
                value = f.clean(row)
            except ValueError as exc:
                errors[f.attribute] = ValidationError(str(exc), code="invalid")
                continue
            if value is not None or f.saves_null_values:
                setattr(instance, f.attribute, value)
        if errors:
            raise ValidationError(errors)

    def import_instance(self, instance, row, **kwargs):
        before = self._snapshot(instance) if instance.pk else None
        self._assign(instance, row)
        if before is not None:
            after = self._snapshot(instance)
            # Many-to-many values are written only after the row is saved: compare the file's.
            for f in self.get_import_fields():
                if isinstance(f.widget, ManyToManyWidget):
                    after[f.column_name] = f.widget.render(f.clean(row))
            self.changes[kwargs["row_number"]] = [
                (column, before[column], after[column])
                for column in before
                if str(before[column]) != str(after[column])
            ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or not instance.pk:
            return False
        return not self.changes.get(self._current_row, [])

    def import_row(self, row, instance_loader, **kwargs):
        self._current_row = kwargs.get("row_number")
        return super().import_row(row, instance_loader, **kwargs)

    def export_rows(self, queryset=None):
        dataset = self.export(queryset)
        return dataset.headers, list(dataset)


def _column_for(resource, attribute):
    for f in resource.get_import_fields():
        if f.attribute == attribute or f.column_name == attribute:
            return f.column_name
    return ""


def _messages(error):
    if hasattr(error, "error_dict"):
        for attribute, errs in error.error_dict.items():
            for e in errs:
                yield attribute, " ".join(e.messages)
    else:
        for message in getattr(error, "messages", [str(error)]):
            yield "", message


def run_import(resource, data: bytes, *, dry_run=True, encoding="auto") -> ImportReport:
    """Validate and (unless dry_run) apply one CSV file, all or nothing."""
    report = ImportReport(resource_name=resource._meta.model._meta.verbose_name, dry_run=dry_run)
    with translation.override("ja"):
        try:
            text, report.encoding = csvio.decode(data, encoding)
            header, rows = csvio.read_rows(text)
        except csvio.CsvFormatError as exc:
            report.file_errors.append(str(exc))
            return report
        expected = [f.column_name for f in resource.get_import_fields()]
        missing = [c for c in expected if c not in header]
        unknown = [h for h in header if h and h not in expected]
        blank = [i + 1 for i, h in enumerate(header) if not h]
        duplicated = sorted({h for h in header if h and header.count(h) > 1})
        if missing:
            report.file_errors.append(
                "1行目：必要な列がありません：" + "、".join(f"「{c}」" for c in missing)
            )
        if unknown:
            report.file_errors.append(
                "1行目：使えない列があります：" + "、".join(f"「{c}」" for c in unknown)
            )
        if blank:
            report.file_errors.append(
                "1行目：列名が空欄の列があります（" + "、".join(f"{n}列目" for n in blank) + "）"
            )
        if duplicated:
            report.file_errors.append(
                "1行目：同じ列名が複数あります：" + "、".join(f"「{c}」" for c in duplicated)
            )
        if report.file_errors:
            return report
        for line, cells in rows:
            if len(cells) > len(header):
                report.file_errors.append(
                    f"{line}行目：列の数（{len(cells)}）が見出し（{len(header)}）より多くなっています。"
                )
        if report.file_errors:
            return report

        key_columns = [resource.fields[n].column_name for n in resource._meta.import_id_fields]
        key_index = [header.index(c) for c in key_columns]
        lines_by_key = {}
        for line, cells in rows:
            key = " / ".join(cells[i].strip() if i < len(cells) else "" for i in key_index)
            lines_by_key.setdefault(key, []).append(line)
        for key, lines in lines_by_key.items():
            if len(lines) > 1:
                report.file_errors.append(
                    f"{'・'.join(str(n) for n in lines)}行目："
                    f"{'・'.join(key_columns)}「{key}」が同じファイル内で重複しています。"
                )
        if report.file_errors:
            return report

        dataset = tablib.Dataset(headers=header)
        for _line, cells in rows:
            dataset.append(cells + [""] * (len(header) - len(cells)))
        try:
            with transaction.atomic():
                result = resource.import_data(
                    dataset,
                    dry_run=dry_run,
                    use_transactions=True,
                    rollback_on_validation_errors=True,
                )
                _fill_report(report, resource, result, rows, key_index)
                if dry_run or report.has_errors:
                    raise ImportAborted
                # Bulk writes send no model signals: expire the public pages explicitly.
                page_cache.content_changed()
        except ImportAborted:
            pass
    return report


def _fill_report(report, resource, result, rows, key_index):
    for error in result.base_errors:
        report.file_errors.append(f"取り込みを完了できませんでした：{error.error}")
    for number, row_result in enumerate(result.rows, 1):
        line, cells = rows[number - 1]
        # A short row (fewer cells than the header) was padded for the import: pad the key too.
        key = " / ".join(cells[i] if i < len(cells) else "" for i in key_index)
        entry = RowReport(line=line, key=key, status="unchanged")
        # In bulk mode a new row's primary key exists only once its batch has been written.
        instance_pk = getattr(row_result.instance, "pk", None)
        entry.object_id = str(row_result.object_id or instance_pk or "")
        if row_result.validation_error is not None:
            entry.status = "error"
            for attribute, message in _messages(row_result.validation_error):
                entry.errors.append((_column_for(resource, attribute), message))
        elif row_result.errors:
            entry.status = "error"
            for err in row_result.errors:
                entry.errors.append(("", f"保存できませんでした（{err.error}）"))
        elif row_result.import_type == "new":
            entry.status = "new"
        elif row_result.import_type == "update":
            entry.status = "changed"
            entry.changes = resource.changes.get(number, [])
        report.rows.append(entry)


def record_preview(resource_class, data: bytes, *, file_name, user=None, encoding="auto"):
    """Dry-run a file and keep it with its report, to be confirmed later (by any app server)."""
    from programs.models import ImportBatch

    resource = resource_class()
    report = run_import(resource, data, dry_run=True, encoding=encoding)
    batch = ImportBatch(
        model_label=resource._meta.model._meta.label,
        file_name=file_name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        encoding=report.encoding or encoding,
        user=user if user and user.is_authenticated else None,
    )
    _store(
        batch,
        report,
        ImportBatch.Status.FAILED if report.has_errors else ImportBatch.Status.PREVIEW,
    )
    return batch, report


def apply_batch(batch, resource_class, *, user=None):
    """Apply exactly the previewed bytes; all or nothing; every written row gets a history entry."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from programs.models import ImportBatch

    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValueError("この取り込みはすでに処理済みです。もう一度ファイルを選んでください。")
    resource = resource_class()
    with transaction.atomic():
        report = run_import(resource, bytes(batch.data), dry_run=False, encoding=batch.encoding)
        if report.has_errors:
            _store(batch, report, ImportBatch.Status.FAILED)
            return report
        batch.applied_at = timezone.now()
        _store(batch, report, ImportBatch.Status.APPLIED)
        actor = user if user and user.is_authenticated else batch.user
        if actor is not None:
            content_type = ContentType.objects.get_for_model(resource._meta.model)
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
    return report


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
