"""The yearly cycle of the handbook: start a draft edition (empty or copied from another one),
compare two editions (前年度からの変更点) and publish a draft in one step.

A program is the same program from year to year when it keeps its code (事業コード). Nothing
here deletes a program: a code that the new edition no longer has is reported as 廃止, and its
last version stays in the older edition, which is archived — not removed — when the new one is
published.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from smrj_portal.japanese import fiscal_year_label

from .models import Edition, Program

# Columns of the programs CSV that the change report leaves out: the edition itself, the state
# (new / retired is what the report is about), the page in the printed book (every program after
# an inserted one moves) and the staff's editorial notes.
NOT_COMPARED = ("年度", "掲載状態", "掲載ページ", "編集メモ")

KIND_LABELS = {"new": "新規", "retired": "廃止", "changed": "変更"}


class EditionError(Exception):
    """A request the yearly workflow refuses; the message is shown to staff as it is."""


def edition_label(year):
    return f"{fiscal_year_label(year)}版"


def default_title(year):
    """令和7年度版「中小機構総合ハンドブック」."""
    return f"{edition_label(year)}「中小機構総合ハンドブック」"


# --- start --------------------------------------------------------------------------------------


def start_edition(year, *, copy_from=None, title=None):
    """Create the draft edition for `year`; with `copy_from` (an Edition) copy every one of its
    programs, as they are, into the draft. Returns (edition, number of programs copied)."""
    if not 2019 <= year <= 2100:
        raise EditionError("年度は2019～2100の範囲で指定してください（西暦。2025 = 令和7年度）。")
    existing = Edition.objects.filter(year=year).first()
    if existing is not None:
        raise EditionError(
            f"{existing.label}はすでにあります（状態：{existing.get_status_display()}）。"
        )
    with transaction.atomic():
        edition = Edition(
            year=year, title=title or default_title(year), status=Edition.Status.DRAFT
        )
        edition.full_clean()
        edition.save()
        copies = []
        if copy_from is not None:
            for program in Program.objects.filter(edition=copy_from).order_by("pk"):
                program.pk = None
                program.edition = edition
                program.refresh_search_index()
                copies.append(program)
            Program.objects.bulk_create(copies)
    return edition, len(copies)


# --- compare ------------------------------------------------------------------------------------


def base_edition(edition):
    """What an edition is compared with: the latest published or archived edition before it."""
    return (
        Edition.objects.visible()
        .filter(year__lt=edition.year)
        .exclude(pk=edition.pk)
        .order_by("-year")
        .first()
    )


@dataclass
class ProgramChange:
    kind: str  # new / retired / changed
    code: str
    old: Program | None = None
    new: Program | None = None
    # (column, old value, new value), in the CSV's column order
    fields: list[tuple[str, str, str]] = field(default_factory=list)

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
            for column, old, new in change.fields:
                yield [change.kind_label, change.code, change.name, column, old, new]


def _snapshots(edition):
    """{code: (program, {column: exported text})} of an edition's active programs, in handbook
    order, exactly as the programs CSV writes them."""
    from .resources import ProgramResource

    if edition is None:
        return {}
    resource = ProgramResource()
    headers = resource.get_export_headers()
    programs = (
        Program.objects.filter(edition=edition, status=Program.Status.ACTIVE)
        .select_related("edition", "chapter", "support_type", "department", "contact_section")
        .order_by("chapter__number", "number", "code")
    )
    result = {}
    for program in programs:
        values = resource.export_resource(program)
        result[program.code] = (
            program,
            {h: "" if v is None else str(v) for h, v in zip(headers, values, strict=True)},
        )
    return result


def compare(edition, base=None):
    """The change report of `edition` against `base` (default: base_edition(edition)).

    new: active in `edition`, not active in `base`; retired: active in `base`, missing from
    `edition` or marked 廃止 there; changed: active in both, with the columns whose text differs
    (NOT_COMPARED left out)."""
    if base is None:
        base = base_edition(edition)
    diff = EditionDiff(edition=edition, base=base)
    before = _snapshots(base)
    after = _snapshots(edition)
    for code, (program, values) in after.items():
        if code not in before:
            diff.new.append(ProgramChange("new", code, new=program))
            continue
        old_program, old_values = before[code]
        fields = [
            (column, old_values.get(column, ""), value)
            for column, value in values.items()
            if column not in NOT_COMPARED and old_values.get(column, "") != value
        ]
        if fields:
            diff.changed.append(ProgramChange("changed", code, old_program, program, fields))
        else:
            diff.unchanged += 1
    for code, (program, _values) in before.items():
        if code not in after:
            diff.retired.append(ProgramChange("retired", code, old=program))
    return diff


# --- publish ------------------------------------------------------------------------------------


def publish(edition, *, today=None):
    """Make a draft the current edition: it becomes 公開 (published today) and the edition
    published so far becomes アーカイブ — in one transaction, so either both happen or neither.
    Returns the editions that were archived."""
    with transaction.atomic():
        # Lock the editions so that two publishes (or an import) cannot interleave.
        editions = list(Edition.objects.select_for_update().order_by("year"))
        edition = next((e for e in editions if e.pk == edition.pk), None)
        if edition is None:
            raise EditionError("この版は削除されています。")
        if edition.status == Edition.Status.PUBLISHED:
            raise EditionError(f"{edition.label}はすでに公開されています。")
        if edition.status == Edition.Status.ARCHIVED:
            raise EditionError(
                f"{edition.label}はアーカイブ済みです。公開できるのは下書きの版だけです。"
            )
        published = [e for e in editions if e.status == Edition.Status.PUBLISHED]
        newer = [e for e in published if e.year > edition.year]
        if newer:
            raise EditionError(
                f"{newer[-1].label}が公開中のため、それより古い{edition.label}は公開できません。"
            )
        if not Program.objects.filter(edition=edition, status=Program.Status.ACTIVE).exists():
            raise EditionError(f"{edition.label}には掲載中の事業が1件もないため、公開できません。")
        Edition.objects.filter(pk__in=[e.pk for e in published]).update(
            status=Edition.Status.ARCHIVED
        )
        edition.status = Edition.Status.PUBLISHED
        edition.published_on = today or timezone.localdate()
        edition.save(update_fields=["status", "published_on"])
    for e in published:
        e.status = Edition.Status.ARCHIVED
    return published


# --- the public pages ---------------------------------------------------------------------------


def last_version(code):
    """The newest published or archived version of a program that the current edition no longer
    carries: the last edition where it was 掲載中 (or, failing that, where it was recorded)."""
    versions = (
        Program.objects.filter(code=code)
        .exclude(edition__status=Edition.Status.DRAFT)
        .select_related("edition")
    )
    return (
        versions.filter(status=Program.Status.ACTIVE).order_by("-edition__year").first()
        or versions.order_by("-edition__year").first()
    )
