"""The file-format help page inside the admin, generated from the Column definitions of every
registered resource (so it cannot drift from what the import accepts)."""

from dataclasses import dataclass

from .registry import entries
from .widgets import (
    ChoiceLabelWidget,
    DateWidget,
    FlagWidget,
    IntegerWidget,
    PaddedCodeWidget,
    PhoneWidget,
    ReferenceWidget,
)


@dataclass
class ColumnHelp:
    name: str
    meaning: str
    required: str
    form: str


def describe_widget(column):
    widget = column.widget
    if isinstance(widget, ChoiceLabelWidget):
        return "次のいずれか：" + " / ".join(widget.to_value)
    if isinstance(widget, ReferenceWidget):
        target = widget.model._meta
        field = target.get_field(widget.field).verbose_name
        return f"参照：{target.verbose_name}の{field}（登録済みのもの）"
    if isinstance(widget, FlagWidget):
        return "該当すれば「○」、しなければ空欄"
    if isinstance(widget, DateWidget):
        return "日付（2024-06-01。Excelの 2024/6/1 も可）"
    if isinstance(widget, IntegerWidget):
        return "半角の整数"
    if isinstance(widget, PhoneWidget):
        return "電話番号を1行に1件（例：03-5470-1564、代表：03-3433-8811）"
    if isinstance(widget, PaddedCodeWidget):
        return f"{widget.width}桁の数字（Excelで 0 が消えた 1 は 01 として読みます）"
    return "文字列（複数行可）"


def entity_help(entry):
    resource = entry.resource_class()
    model = entry.model
    keys = set(resource.key_columns())
    columns = []
    for column in resource.import_columns():
        field = model._meta.get_field(column.attribute)
        required = "○（キー）" if column.column_name in keys else ("" if field.blank else "○")
        meaning = str(field.verbose_name)
        if field.help_text:
            meaning += f"。{field.help_text}"
        columns.append(ColumnHelp(column.column_name, meaning, required, describe_widget(column)))
    return {
        "anchor": model._meta.label_lower,
        "name": model._meta.verbose_name,
        "filename": entry.filename,
        "keys": "＋".join(resource.key_columns()),
        "columns": columns,
    }


def format_help():
    return [entity_help(entry) for entry in entries()]
