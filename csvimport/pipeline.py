"""The one import path: the admin, the command line and load_handbook all come through here.

    decode → check the header → for each row: clean every cell with its Column's widget, assign,
    full_clean, check uniqueness in memory, compare with the stored row → write in bulk → report

One transaction per file: any error rolls the whole file back, and a preview (dry run) always
rolls back. The loop is ours; django-import-export provides the declarative Columns, their
widgets and the export. A resource instance serves exactly one file and is dropped after it.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from import_export import resources

from core import page_cache

from . import csvio, excel, xlsx
from .report import ImportReport, RowReport
from .widgets import CharWidget, ReferenceWidget

BATCH_SIZE = 1000
# Rows per file: a whole edition is a few hundred; 20,000 previews well inside the app server's
# timeout on a 2-core machine (bench/README.md). Larger files are refused before any row is read.
MAX_ROWS = 20_000


class ImportAborted(Exception):
    """Raised inside the transaction so that nothing of a failed import is kept."""


class ImportRefused(Exception):
    """The whole file cannot go in (e.g. its target edition is no longer a draft); the message
    is shown to staff as it is."""


class PortalResource(resources.ModelResource):
    """A resource whose Columns (csvimport.fields) define its CSV; imported by run_import."""

    # Rows that later rows of the same file refer to (a parent office) are saved one by one,
    # also in a preview (rolled back), so that the reference can be checked.
    save_each_row = False
    # Model fields the import sets besides the columns (kept in step by prepare_instance).
    extra_update_fields = ()

    def import_columns(self):
        """The CSV's columns, in order."""
        return [self.fields[name] for name in self._meta.fields]

    @classmethod
    def column_names(cls):
        return [f.column_name for f in cls().import_columns()]

    @classmethod
    def key_columns(cls):
        resource = cls()
        return [resource.fields[name].column_name for name in resource._meta.import_id_fields]

    # --- hooks of ours for a resource's own rules ----------------------------------------------
    # Where every row goes, when the file is imported into a chosen target (programs: a draft
    # edition, by year); "" when the rows say it themselves. Kept with the ImportBatch.
    target = ""

    @classmethod
    def for_target(cls, target):
        """A resource that imports every row into `target`; raise ImportRefused if it can't."""
        name = cls._meta.model._meta.verbose_name
        raise ImportRefused(f"{name}の取り込みには取り込み先を指定できません。")

    @classmethod
    def for_confirm(cls, target):
        """The resource that confirms a preview made with `target`. Whether the target still
        accepts rows is checked inside the import (check_target), so that a refusal is recorded
        with the batch."""
        return cls.for_target(target)

    def import_notes(self, report, dry_run):
        """Lines to tell staff after an import (e.g. what the file did not cover)."""
        return []

    def check_target(self):
        """Called inside the import's transaction before any row; raise ImportRefused to refuse
        the whole file."""

    def prepare_instance(self, instance):
        """Called for every row before validation (bulk writes call no save())."""

    def check_row(self, instance, changes):
        """Called for every valid row that would write: `changes` is [(column, before, after)]
        for a stored row, None for a new one. Raise ValidationError({attribute: message}) to
        make it a row error (e.g. a row of a frozen edition)."""

    # --- export --------------------------------------------------------------------------------
    def related_attributes(self):
        return [f.attribute for f in self.import_columns() if isinstance(f.widget, ReferenceWidget)]

    def export_rows(self, queryset=None):
        """(headers, rows) of the queryset (default: every row), related rows fetched with it."""
        if queryset is None:
            queryset = self._meta.model.objects.all()
        dataset = self.export(queryset.select_related(*self.related_attributes()))
        return dataset.headers, list(dataset)


def check_header(resource, header, rows):
    """File-level problems: missing, unknown, blank or repeated columns, rows longer than the
    header, and the same key twice in the file."""
    problems = []
    if len(rows) > MAX_ROWS:
        return [csvio.too_many_rows(MAX_ROWS, len(rows))]
    expected = [f.column_name for f in resource.import_columns()]
    missing = [c for c in expected if c not in header]
    unknown = [h for h in header if h and h not in expected]
    blank = [i + 1 for i, h in enumerate(header) if not h]
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if missing:
        problems.append("1行目：必要な列がありません：" + "、".join(f"「{c}」" for c in missing))
    if unknown:
        problems.append("1行目：使えない列があります：" + "、".join(f"「{c}」" for c in unknown))
    if blank:
        # A stray value far to the right makes thousands of blank columns: name a few.
        named = "、".join(f"{n}列目" for n in blank[:10])
        more = f" ほか{len(blank) - 10:,}列" if len(blank) > 10 else ""
        problems.append(f"1行目：列名が空欄の列があります（{named}{more}）")
    if duplicated:
        problems.append(
            "1行目：同じ列名が複数あります：" + "、".join(f"「{c}」" for c in duplicated)
        )
    if problems:
        return problems
    for line, cells in rows:
        if len(cells) > len(header):
            problems.append(
                f"{line}行目：列の数（{len(cells)}）が見出し（{len(header)}）より多くなっています。"
            )
    if problems:
        return problems
    key_columns = resource.key_columns()
    key_index = [header.index(c) for c in key_columns]
    lines_by_key = {}
    for line, cells in rows:
        lines_by_key.setdefault(row_key_text(cells, key_index), []).append(line)
    for key, lines in lines_by_key.items():
        if len(lines) > 1:
            problems.append(
                f"{'・'.join(str(n) for n in lines)}行目："
                f"{'・'.join(key_columns)}「{key}」が同じファイル内で重複しています。"
            )
    return problems


def row_key_text(cells, key_index):
    return " / ".join(cells[i].strip() if i < len(cells) else "" for i in key_index)


class UniqueIndex:
    """Every unique field and unconditional UniqueConstraint of a model, checked in memory:
    the stored rows are read once (one query per unique set), then each row of the file."""

    def __init__(self, model):
        self.model = model
        self.sets = [
            ((f.attname,), None, f.name)
            for f in model._meta.local_fields
            if f.unique and not f.primary_key
        ]
        for constraint in model._meta.constraints:
            if (
                isinstance(constraint, models.UniqueConstraint)
                and constraint.fields
                and not constraint.condition
            ):
                attnames = tuple(model._meta.get_field(n).attname for n in constraint.fields)
                self.sets.append((attnames, constraint, constraint.fields[-1]))
        self.owners = {
            attnames: {tuple(row[1:]): row[0] for row in model.objects.values_list("pk", *attnames)}
            for attnames, _constraint, _field in self.sets
        }

    def check(self, instance, marker):
        """Claim the instance's unique values for `marker` (its pk, or its row in the file)."""
        for attnames, constraint, field_name in self.sets:
            key = tuple(getattr(instance, a) for a in attnames)
            if None in key:
                continue
            owner = self.owners[attnames].setdefault(key, marker)
            if owner != marker:
                if constraint is not None:
                    message = constraint.get_violation_error_message()
                else:
                    error = instance.unique_error_message(type(instance), (field_name,))
                    message = error.message % error.params
                raise ValidationError({field_name: message})


class FileImport:
    """The rows of one file against one resource; `run` fills the report and writes (unless the
    caller rolls back)."""

    def __init__(self, resource, header, report):
        self.resource = resource
        self.header = header
        self.report = report
        self.model = resource._meta.model
        self.columns = [f for f in resource.import_columns() if not f.readonly]
        self.column_by_attribute = {f.attribute: f.column_name for f in self.columns}
        self.key_fields = [resource.fields[n] for n in resource._meta.import_id_fields]
        self.key_index = [header.index(f.column_name) for f in self.key_fields]
        self.references = [f for f in self.columns if isinstance(f.widget, ReferenceWidget)]
        self.texts = [f for f in self.columns if isinstance(f.widget, CharWidget)]
        self.reference_attributes = {f.attribute for f in self.references}
        self.to_create, self.to_update = [], []

    def existing(self):
        """{key: stored row}, related rows included (the change list reads them): one query."""
        queryset = self.model.objects.select_related(*self.reference_attributes)
        attnames = [self.model._meta.get_field(f.attribute).attname for f in self.key_fields]
        return {tuple(str(getattr(obj, a)) for a in attnames): obj for obj in queryset}

    def row_key(self, row):
        key = []
        for f in self.key_fields:
            value = f.clean(row)
            key.append(str(value.pk if isinstance(value, models.Model) else value))
        return tuple(key)

    def snapshot(self, instance):
        return {f.column_name: str(f.export(instance)) for f in self.columns}

    def assign(self, instance, row):
        errors = {}
        for f in self.columns:
            try:
                value = f.clean(row)
            except ValueError as exc:
                errors[f.attribute] = [str(exc)]
                continue
            if value is not None or f.saves_null_values:
                setattr(instance, f.attribute, value)
        return errors

    def undo_excel(self, instance, stored, errors):
        """Excel's Shift_JIS save, against the stored text: a character turned into "?" is an
        error (the data is gone); a look-alike swap (〜 → ～) is no change (the stored character
        is kept)."""
        for f in self.texts:
            old, new = stored[f.attribute], getattr(instance, f.attribute)
            if f.attribute in errors or not isinstance(old, str) or old == new:
                continue
            lost = excel.lost_characters(old, new)
            if lost:
                errors[f.attribute] = [excel.lost_message(lost)]
            elif excel.only_lookalike_swaps(old, new):
                setattr(instance, f.attribute, old)

    def validate(self, instance, errors, marker, unique):
        # Foreign keys were just looked up by their ReferenceWidget: full_clean need not query
        # them again. Uniqueness is checked in memory; the database enforces it as well.
        resolved = {
            a for a in self.reference_attributes if getattr(instance, f"{a}_id", None) is not None
        }
        try:
            instance.full_clean(
                exclude=set(errors) | resolved, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for attribute, messages in exc.message_dict.items():
                errors.setdefault(attribute, []).extend(messages)
        if not errors:
            try:
                unique.check(instance, marker)
            except ValidationError as exc:
                for attribute, messages in exc.message_dict.items():
                    errors.setdefault(attribute, []).extend(messages)
        return errors

    def check_row(self, instance, changes):
        try:
            self.resource.check_row(instance, changes)
        except ValidationError as exc:
            return exc.message_dict
        return {}

    def run(self, rows, on_row=None):
        existing = self.existing()
        unique = UniqueIndex(self.model)
        entries = []
        for done, (line, cells) in enumerate(rows, start=1):
            if on_row is not None:
                on_row(done, len(rows))
            row = dict(
                zip(self.header, cells + [""] * (len(self.header) - len(cells)), strict=True)
            )
            entry = RowReport(line=line, key=row_key_text(cells, self.key_index), status="new")
            try:
                instance = existing.get(self.row_key(row))
            except ValueError:
                instance = None  # the key's own error is reported by assign()
            before = self.snapshot(instance) if instance is not None else None
            if instance is None:
                instance = self.model()
                errors = self.assign(instance, row)
            else:
                stored = {f.attribute: getattr(instance, f.attribute) for f in self.texts}
                errors = self.assign(instance, row)
                self.undo_excel(instance, stored, errors)
            self.resource.prepare_instance(instance)
            errors = self.validate(instance, errors, instance.pk or ("row", line), unique)
            if not errors and before is not None:
                after = self.snapshot(instance)
                entry.changes = [(c, before[c], after[c]) for c in before if before[c] != after[c]]
            if not errors and (before is None or entry.changes):
                errors = self.check_row(instance, entry.changes if before is not None else None)
            if errors:
                entry.status = "error"
                entry.changes = []
                entry.errors = [
                    (self.column_by_attribute.get(attribute, ""), " ".join(messages))
                    for attribute, messages in errors.items()
                ]
            elif before is not None:
                entry.status = "changed" if entry.changes else "unchanged"
                if entry.changes:
                    self.to_update.append(instance)
            else:
                self.to_create.append(instance)
                if self.resource.save_each_row:
                    instance.save()
                    for f in self.references:
                        f.widget.remember(instance)
            entries.append((entry, instance))
        self.report.rows = [entry for entry, _instance in entries]
        return entries

    def write(self, entries):
        if not self.resource.save_each_row:
            self.model.objects.bulk_create(self.to_create, batch_size=BATCH_SIZE)
        fields = [f.attribute for f in self.columns] + list(self.resource.extra_update_fields)
        if self.to_update:
            self.model.objects.bulk_update(self.to_update, fields, batch_size=BATCH_SIZE)
        for entry, instance in entries:
            entry.object_id = str(instance.pk or "")


def run_import(
    resource, data: bytes, *, dry_run=True, encoding="auto", check=None, on_row=None
) -> ImportReport:
    """Validate and (unless dry_run) apply one CSV file or Excel workbook (recognised by its
    content, whatever its name), all or nothing. `check(report)`, called inside the transaction
    once every row is validated and before any is written, may refuse the file by returning
    messages. `on_row(done, total)` is told of each row (a progress bar)."""
    report = ImportReport(resource_name=resource._meta.model._meta.verbose_name, dry_run=dry_run)
    with translation.override("ja"):
        try:
            if xlsx.is_xlsx(data):
                report.encoding = "xlsx"
                header, rows = xlsx.read(data, max_rows=MAX_ROWS)
            else:
                text, report.encoding = csvio.decode(data, encoding)
                header, rows = csvio.read_rows(text, csvio.delimiter_for(report.encoding))
        except csvio.CsvFormatError as exc:
            report.file_errors.append(str(exc))
            return report
        report.file_errors.extend(check_header(resource, header, rows))
        if report.file_errors:
            return report
        try:
            with transaction.atomic():
                resource.check_target()
                job = FileImport(resource, header, report)
                entries = job.run(rows, on_row)
                if dry_run or report.has_errors:
                    raise ImportAborted
                # The caller's last word before anything is written (a confirm: is this still
                # what was previewed?); its messages refuse the whole file.
                refusals = check(report) if check is not None else []
                if refusals:
                    report.file_errors.extend(refusals)
                    raise ImportAborted
                job.write(entries)
                # Bulk writes send no model signals: expire the public pages explicitly.
                page_cache.content_changed()
        except ImportAborted:
            pass
        except ImportRefused as exc:
            report.rows = []
            report.file_errors.append(str(exc))
    return report
