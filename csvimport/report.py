"""What an import found, row by row: new / changed (column by column, old → new) / unchanged /
error (with the Excel row number and the column), kept as JSON with the ImportBatch."""

import dataclasses
from dataclasses import dataclass, field

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

    def count(self, status):
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
