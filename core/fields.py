"""Model field helpers every app uses: natural codes, phone lists, postal codes, permissions."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from .phones import POSTAL_CODE_RE, parse_phones, validate_phones
from .text import canonical_text

# Every model staff import also gets "import" and "export" permissions.
PERMISSIONS = ("add", "change", "delete", "view", "import", "export")

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$", "コードは半角英小文字・数字・ハイフンで入力してください。"
)
postal_code_validator = RegexValidator(
    POSTAL_CODE_RE, "郵便番号は「123-4567」の形式で入力してください。"
)


def code_field(**kwargs):
    return models.CharField(
        "コード", max_length=60, unique=True, validators=[code_validator], **kwargs
    )


def phones_field(verbose_name="電話番号", **kwargs):
    return models.TextField(
        verbose_name,
        blank=True,
        validators=[validate_phones],
        help_text=(
            "1行に1件。「番号」または「ラベル：番号」"
            "（例：代表：03-3433-8811、協議会は 全：011-222-2829）。"
        ),
        **kwargs,
    )


class PhonesMixin:
    """`phone_list` for a model whose `phones` field holds one number per line."""

    phones_attribute = "phones"

    @property
    def phone_list(self):
        return parse_phones(getattr(self, self.phones_attribute))


def text_fields(model):
    """The editable free-text fields of a model (CharField and TextField without choices): the
    ones canonical_text applies to."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and f.editable and not f.choices
    ]


class CanonicalTextMixin:
    """Keeps every text field of a model in the canonical form (core.text.canonical_text) on
    validation and on save, whoever writes it (admin, shell, a command)."""

    def canonicalize_text(self):
        for f in text_fields(type(self)):
            setattr(self, f.attname, canonical_text(getattr(self, f.attname)))

    def clean_fields(self, exclude=None):
        self.canonicalize_text()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.canonicalize_text()
        super().save(*args, **kwargs)


def canonicalize_rows(model):
    """A data migration's step: rewrite the stored text of every row of a (historical) model in
    the canonical form; rows already canonical are not written."""
    fields = text_fields(model)
    changed = []
    for obj in model.objects.only("pk", *(f.attname for f in fields)).iterator():
        dirty = False
        for f in fields:
            value = getattr(obj, f.attname)
            if canonical_text(value) != value:
                setattr(obj, f.attname, canonical_text(value))
                dirty = True
        if dirty:
            changed.append(obj)
    model.objects.bulk_update(changed, [f.attname for f in fields], batch_size=500)
    return len(changed)


def split_lines(value):
    """The non-empty, stripped lines of a text value (a list field's items)."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ChoiceListFormField(forms.MultipleChoiceField):
    """Check boxes for a ChoiceListField: shows the stored lines as ticks, saves them as lines
    in the vocabulary's order."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return split_lines(value) if isinstance(value, str) else value

    def to_python(self, value):
        if isinstance(value, str):
            value = split_lines(value)
        return super().to_python(value)

    def clean(self, value):
        chosen = set(super().clean(value))
        return "\n".join(key for key, _label in self.choices if key in chosen)

    def has_changed(self, initial, data):
        # The stored value is lines of text; the form sends a list (or, from a script, lines):
        # compare the chosen keys, or every save would record this field as changed.
        def keys(value):
            if isinstance(value, str):
                return set(split_lines(value))
            return {key for item in value or () for key in split_lines(str(item))}

        return keys(initial) != keys(data)


class ChoiceListField(models.TextField):
    """Several values of a fixed vocabulary, one per line (e.g. a program's 対象). Stored as text
    so that the CSV cell, the admin and the database all hold the same thing."""

    def __init__(self, *args, vocabulary=(), **kwargs):
        self.vocabulary = list(vocabulary)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary
        return name, path, args, kwargs

    def labels(self, value):
        names = dict(self.vocabulary)
        return [names.get(key, key) for key in split_lines(value)]

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        keys = split_lines(value)
        known = dict(self.vocabulary)
        unknown = [key for key in keys if key not in known]
        if unknown:
            raise ValidationError(
                f"{self.verbose_name}「{'」「'.join(unknown)}」は使えません。次から選んでください："
                + "、".join(str(label) for label in known.values())
            )
        if len(set(keys)) != len(keys):
            raise ValidationError(f"{self.verbose_name}に同じ値が2回あります。")

    def formfield(self, **kwargs):
        return ChoiceListFormField(
            choices=self.vocabulary,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )
