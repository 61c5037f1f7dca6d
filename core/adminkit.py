"""Admin parts every app uses: list filters with a default, read-only pages that say why."""

from django.contrib import admin
from django.contrib.admin.utils import unquote


class DefaultedListFilter(admin.SimpleListFilter):
    """A list filter that narrows the list even when no choice is made (the first link, Django's
    「すべて」, is relabelled `default_label`); `ALL` is the explicit choice of every row."""

    ALL = "all"
    default_label = ""
    all_label = "すべて"

    def lookups(self, request, model_admin):
        return [(self.ALL, self.all_label), *self.more_lookups(request, model_admin)]

    def more_lookups(self, request, model_admin):
        return []

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = self.default_label
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return self.default_queryset(request, queryset)
        if value == self.ALL:
            return queryset
        return self.chosen_queryset(request, queryset, value)

    def default_queryset(self, request, queryset):
        raise NotImplementedError

    def chosen_queryset(self, request, queryset, value):
        return queryset


class ReadonlyReasonMixin:
    """A change page shown read-only says why (readonly_reason), above the form."""

    change_form_template = "admin/readonly_reason_change_form.html"

    def readonly_reason(self, request, obj):
        """Why this user may not change obj ("" when they may, or need not be told)."""
        return ""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = {}
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                extra["readonly_reason"] = self.readonly_reason(request, obj)
        return super().changeform_view(
            request, object_id, form_url, {**extra, **(extra_context or {})}
        )
