"""django-import-export widgets that speak Japanese and never create what they cannot find."""

from decimal import Decimal

from django.utils.formats import sanitize_separators
from import_export import widgets

from core.text import canonical_text

from . import excel


class ReferenceWidget(widgets.ForeignKeyWidget):
    """A foreign key by natural key; an unknown value is an error, never a silent creation.

    The referenced table is read once, on the first row, into `known` (natural key → object).
    Each resource instance gets its own copy of its fields, so that lookup lives exactly as long
    as the import of one file."""

    def __init__(self, model, field, label, **kwargs):
        self.label = label
        self.known = None
        super().__init__(model, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        key = str(value).strip() if value is not None else ""
        if not key:
            return None
        if self.known is None:
            self.known = {}
            for obj in self.get_queryset(value, row, **kwargs):
                self.known.setdefault(str(getattr(obj, self.field)), []).append(obj)
        found = self.known.get(key, [])
        if not found:
            raise ValueError(f"{self.label}「{value}」は登録されていません。")
        if len(found) > 1:
            raise ValueError(f"{self.label}「{value}」が複数あり、特定できません。")
        return found[0]

    def remember(self, obj):
        """A row of the file being imported that later rows may refer to (a parent office)."""
        if self.known is not None and isinstance(obj, self.model):
            self.known.setdefault(str(getattr(obj, self.field)), [obj])


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        message = f"「{value}」は整数ではありません。半角数字で入力してください。"
        try:
            number = super().clean(value, row=row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(message) from None
        # import-export truncates 12.5 to 12: a page number typed wrong would pass unseen.
        if number is not None and Decimal(sanitize_separators(value)) != number:
            raise ValueError(message)
        return number


class DateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")
        # Excel shows (and saves to CSV) 2024-06-01 as 2024/6/1; both mean the same day. The first
        # format is the one exported.
        self.formats = ("%Y-%m-%d", "%Y/%m/%d")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except ValueError:
            raise ValueError(
                f"「{value}」は日付として読めません。2024-06-01（または 2024/6/1）の形式で"
                "入力してください。"
            ) from None


class ChoiceLabelWidget(widgets.Widget):
    """TextChoices by their Japanese label (公開, 掲載中 …), as staff read them."""

    def __init__(self, choices, label, default=None):
        self.to_value = {str(lbl): value for value, lbl in choices}
        self.to_label = {value: str(lbl) for value, lbl in choices}
        self.label = label
        self.default = default
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        if not text and self.default is not None:
            return self.default
        if text in self.to_value:
            return self.to_value[text]
        if text in self.to_label:
            return text
        allowed = "、".join(self.to_value)
        raise ValueError(
            f"{self.label}「{text}」は使えません。次のいずれかを入力してください：{allowed}"
        )

    def render(self, value, obj=None, **kwargs):
        return self.to_label.get(value, value or "")


class ChoiceListWidget(ChoiceLabelWidget):
    """Several TextChoices in one cell, one label per line (中小企業・小規模事業者↵支援機関),
    stored as their values one per line."""

    def clean(self, value, row=None, **kwargs):
        lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
        return "\n".join(super(ChoiceListWidget, self).clean(line) for line in lines)

    def render(self, value, obj=None, **kwargs):
        lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
        return "\n".join(self.to_label.get(line, line) for line in lines)


class FlagWidget(widgets.Widget):
    """○ for yes, empty for no (the handbook's own mark); 1/true/はい are accepted too."""

    TRUE = {"○", "◯", "1", "true", "yes", "はい"}
    FALSE = {"", "0", "false", "no", "いいえ", "×"}

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            f"「{value}」は使えません。該当する場合は「○」、しない場合は空欄にしてください。"
        )

    def render(self, value, obj=None, **kwargs):
        return "○" if value else ""


class CharWidget(widgets.CharWidget):
    """Text in its canonical form (core.text.canonical_text, the same function the admin's
    forms and the models use): CRLF from Excel becomes LF, trailing spaces of lines and outer
    spaces and blank lines are dropped (a leading tab is kept, so a neutralised formula cell such
    as "'\t…" comes back unchanged)."""

    def __init__(self):
        super().__init__(allow_blank=True)

    def clean(self, value, row=None, **kwargs):
        text = canonical_text(super().clean(value, row=row, **kwargs) or "")
        message = excel.exponent_message(text)
        if message:
            raise ValueError(message)
        return text


class PhoneWidget(CharWidget):
    """Phone numbers, one per line: a number that lost its leading 0 in Excel says so (the
    model's validator would only say the format is wrong)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        message = excel.stripped_phone_message(text)
        if message:
            raise ValueError(message)
        return text


class PaddedCodeWidget(CharWidget):
    """A fixed-width numeric code (都道府県コード 01…47): Excel turns 01 into 1; a shorter
    number is padded with zeros, which is certain because every code has `width` digits."""

    def __init__(self, width):
        self.width = width
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row=row, **kwargs)
        if text.isascii() and text.isdigit() and len(text) < self.width:
            return text.zfill(self.width)
        return text
