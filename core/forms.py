"""Form fields that store text in its canonical form (core.text.canonical_text)."""

from django import forms
from django.db import models

from .text import canonical_text


class CanonicalCharField(forms.CharField):
    """A CharField whose cleaned value is canonical text. A browser sends a textarea with CRLF
    line ends; folding them here (not only on save) makes has_changed() compare like with like,
    so the admin's history lists only the fields the user really edited."""

    def __init__(self, *, strip=True, **kwargs):
        # canonical_text does the stripping, the same way an import does.
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        return canonical_text(super().to_python(value))


class CanonicalTextFormMixin:
    """For ModelAdmin and InlineModelAdmin: free-text model fields get a CanonicalCharField."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", CanonicalCharField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
