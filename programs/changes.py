"""前年度からの変更点: what changed in an edition against the one before it, program by program
and column by column — the same report in the admin, in diff_edition, as CSV and (limited to the
columns the program pages show) on the public 主な変更点 page.

A program is the same program from year to year when it keeps its code (事業コード). The columns
compared are the programs CSV's (its registered resource), except those marked compare=False.
"""

from dataclasses import dataclass, field

from csvimport.registry import resource_for_model

from .models import Edition, Program

KIND_LABELS = {"new": "新規", "retired": "廃止", "changed": "変更"}


def base_edition(edition):
    """What an edition is compared with: the latest published or archived edition before it."""
    return (
        Edition.objects.public()
        .filter(year__lt=edition.year)
        .exclude(pk=edition.pk)
        .order_by("-year")
        .first()
    )


@dataclass
class FieldChange:
    name: str  # the field name (ProgramResource)
    column: str  # its CSV header
    old: str
    new: str


@dataclass
class ProgramChange:
    kind: str  # new / retired / changed
    code: str
    old: Program | None = None
    new: Program | None = None
    fields: list[FieldChange] = field(default_factory=list)  # in the CSV's column order

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def program(self):
        """The version to show: the new one, or for a retired program its last one."""
        return self.new or self.old

    @property
    def name(self):
        return self.program.name


@dataclass
class EditionDiff:
    edition: Edition
    base: Edition | None
    new: list[ProgramChange] = field(default_factory=list)
    retired: list[ProgramChange] = field(default_factory=list)
    changed: list[ProgramChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changes(self):
        return [*self.new, *self.retired, *self.changed]

    @property
    def is_empty(self):
        return not self.changes

    @property
    def title(self):
        return f"{self.edition.label}の主な変更点"

    def summary(self):
        return (
            f"新規 {len(self.new)}件 / 廃止 {len(self.retired)}件 / 変更 {len(self.changed)}件 / "
            f"変更なし {self.unchanged}件"
        )

    @property
    def headers(self):
        base = self.base.label if self.base else "前の版"
        return [
            "区分",
            "事業コード",
            "事業・制度名",
            "項目",
            f"変更前（{base}）",
            f"変更後（{self.edition.label}）",
        ]

    def rows(self):
        """One row per new or retired program and per changed field (for the CSV)."""
        for change in self.new:
            yield [change.kind_label, change.code, change.name, "", "", ""]
        for change in self.retired:
            yield [change.kind_label, change.code, change.name, "", "", ""]
        for change in self.changed:
            for f in change.fields:
                yield [change.kind_label, change.code, change.name, f.column, f.old, f.new]


def compared_columns():
    """The programs CSV's columns (its registered resource), less those marked compare=False."""
    return [c for c in resource_for_model(Program)().import_columns() if c.compare]


def _snapshots(edition, columns):
    """{code: (program, {field name: exported text})} of an edition's active programs, in
    handbook order, exactly as the programs CSV writes them."""
    if edition is None:
        return {}
    programs = (
        Program.objects.filter(edition=edition)
        .active()
        .select_related("edition", "chapter", "support_type", "department", "contact_section")
        .order_by("chapter__number", "number", "code")
    )
    result = {}
    for program in programs:
        values = {}
        for column in columns:
            value = column.export(program)
            values[column.attribute] = "" if value is None else str(value)
        result[program.code] = (program, values)
    return result


def compare(edition, base=None):
    """The change report of `edition` against `base` (default: base_edition(edition)).

    new: active in `edition`, not active in `base`; retired: active in `base`, missing from
    `edition` or marked 廃止 there; changed: active in both, with the columns whose text differs
    (columns marked compare=False left out)."""
    if base is None:
        base = base_edition(edition)
    diff = EditionDiff(edition=edition, base=base)
    columns = compared_columns()
    before = _snapshots(base, columns)
    after = _snapshots(edition, columns)
    for code, (program, values) in after.items():
        if code not in before:
            diff.new.append(ProgramChange("new", code, new=program))
            continue
        old_program, old_values = before[code]
        fields = [
            FieldChange(c.attribute, c.column_name, old_values[c.attribute], values[c.attribute])
            for c in columns
            if old_values[c.attribute] != values[c.attribute]
        ]
        if fields:
            diff.changed.append(ProgramChange("changed", code, old_program, program, fields))
        else:
            diff.unchanged += 1
    for code, (program, _values) in before.items():
        if code not in after:
            diff.retired.append(ProgramChange("retired", code, old=program))
    return diff
