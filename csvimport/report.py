"""What an import found, row by row: new / changed (column by column, old → new) / unchanged /
error (with the Excel row number and the column), kept as JSON with the ImportBatch."""

import dataclasses
import difflib
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

STATUS_LABELS = {"new": "新規", "changed": "変更", "unchanged": "変更なし", "error": "エラー"}


@dataclass
class RowReport:
    line: int
    key: str
    status: str  # new / changed / unchanged / error
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    object_id: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class ImportReport:
    resource_name: str
    encoding: str = ""
    dry_run: bool = True
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    # Counts of a stored report, whose unchanged rows are not kept (see as_dict).
    tally: dict | None = None

    def count(self, status):
        if self.tally is not None:
            return self.tally.get(status, 0)
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self):
        return {s: self.count(s) for s in STATUS_LABELS}

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
        """The report to store: counts, and only the rows that do something or are wrong (a
        10,000-row file that changes nothing stores no rows)."""
        data = dataclasses.asdict(self)
        data["rows"] = [r for r in data["rows"] if r["status"] != "unchanged"]
        data["tally"] = self.counts
        return data

    def rows_by_line(self):
        return {r.line: r for r in self.rows}

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


def mark_changes(old: str, new: str):
    """The whole old and new value as HTML, the characters that differ wrapped in <del> (old)
    and <ins> (new): a "?" that replaced a character, or a swapped look-alike, is visible."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    before, after = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            before.append(("{}", old[i1:i2]))
            after.append(("{}", new[j1:j2]))
            continue
        if i2 > i1:
            before.append(("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            after.append(("<ins>{}</ins>", new[j1:j2]))
    return _join(before), _join(after)


def _join(parts):
    return format_html_join("", "{}", ((format_html(template, text),) for template, text in parts))
