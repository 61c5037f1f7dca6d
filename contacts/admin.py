from django.contrib import admin

from core.adminkit import DefaultedListFilter, ReadonlyReasonMixin
from core.forms import CanonicalTextFormMixin
from csvimport.admin import CsvAdminMixin

from . import scopes
from .forms import RegionalDeskForm
from .models import (
    Campus,
    Department,
    PartnerOrganization,
    Prefecture,
    RegionalDesk,
    RegionalOffice,
    Section,
)


class MineFilter(DefaultedListFilter):
    """「自分の担当」: an editor's list starts with their own department's rows."""

    title = "自分の担当"
    parameter_name = "mine"
    default_label = "自分の担当"
    all_label = "すべての部門"

    def default_queryset(self, request, queryset):
        scope = scopes.department_scope(request.user, self.model_admin.scope_perm("change"))
        if scope is None:
            return queryset
        return queryset.filter(**{f"{self.model_admin.department_field}__in": scope})

    def __init__(self, request, params, model, model_admin):
        self.model_admin = model_admin
        super().__init__(request, params, model, model_admin)


class DepartmentScopeMixin(ReadonlyReasonMixin):
    """Rows a department owns (programs, sections): its editors change only their own rows,
    and a read-only page says whose they are (contacts.scopes)."""

    department_field = "department"
    scope_noun = "課・室"

    def scope_perm(self, action):
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def in_scope(self, request, action, obj):
        scope = scopes.department_scope(request.user, self.scope_perm(action))
        if obj is None:
            return scope != set()  # an editor group linked to no department grants nothing
        return scope is None or getattr(obj, f"{self.department_field}_id") in scope

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, "delete", obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Another admin's drop-down of these rows (a program's お問合せ先（課・室）) offers an
        # editor the rows of their own departments: the form there accepts no others.
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            scope = scopes.department_scope(request.user, self.scope_perm("change"))
            if scope is not None:
                queryset = queryset.filter(**{f"{self.department_field}__in": scope})
        return queryset, may_have_duplicates

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if scopes.department_scope(request.user, self.scope_perm("change")) is not None:
            filters.insert(0, MineFilter)
        return filters

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An editor cannot hand a row to (or create one for) another department.
        if db_field.name == self.department_field:
            kwargs["queryset"] = scopes.scoped_departments(request.user, self.scope_perm("change"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def readonly_reason(self, request, obj):
        """Why this user sees the row read-only ("" when they may change it or may change
        nothing of the kind anyway)."""
        if not admin.ModelAdmin.has_change_permission(self, request, obj):
            return ""
        if self.in_scope(request, "change", obj):
            return ""
        department = getattr(obj, self.department_field)
        return (
            f"この{self.scope_noun}の担当部門は{department.name}です。"
            f"編集できるのは{scopes.editors_of(department)}です。"
        )


class SectionInline(CanonicalTextFormMixin, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["code", "name", "phones", "email"]


class RegionalDeskInline(CanonicalTextFormMixin, admin.StackedInline):
    model = RegionalDesk
    form = RegionalDeskForm
    extra = 0
    fields = ["code", "section", "phone", "program_labels", "program_codes", "order"]


class PartnerInline(CanonicalTextFormMixin, admin.StackedInline):
    model = PartnerOrganization
    extra = 0
    fields = ["code", "kind", "name", "operator", "phones", "order"]


@admin.register(RegionalOffice)
class RegionalOfficeAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "postal_code", "address", "order"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "code", "address"]
    autocomplete_fields = ["parent"]
    inlines = [RegionalDeskInline]


@admin.register(Department)
class DepartmentAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "office", "editor_group", "order"]
    list_filter = ["kind"]
    list_select_related = ["office", "editor_group"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["office"]
    inlines = [SectionInline]

    def get_readonly_fields(self, request, obj=None):
        # Who edits a department's programs is decided by superusers (and setup_roles) only.
        fixed = [] if request.user.is_superuser else ["editor_group"]
        return [*super().get_readonly_fields(request, obj), *fixed]


@admin.register(Section)
class SectionAdmin(DepartmentScopeMixin, CsvAdminMixin, admin.ModelAdmin):
    list_display = ["name", "department", "phones", "email", "code"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["name", "code", "department__name", "phones"]
    autocomplete_fields = ["department"]


@admin.register(Prefecture)
class PrefectureAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "regional_office"]
    list_filter = ["regional_office"]
    list_select_related = ["regional_office"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["regional_office"]
    inlines = [PartnerInline]


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["name", "prefecture", "kind", "operator", "phones"]
    list_filter = ["kind", "prefecture"]
    list_select_related = ["prefecture"]
    search_fields = ["name", "operator", "code", "prefecture__name", "phones"]
    autocomplete_fields = ["prefecture"]


@admin.register(RegionalDesk)
class RegionalDeskAdmin(CsvAdminMixin, admin.ModelAdmin):
    form = RegionalDeskForm
    list_display = ["office", "section", "phone", "code"]
    list_filter = ["office"]
    list_select_related = ["office"]
    search_fields = ["section", "code", "office__name", "program_labels", "phone"]
    autocomplete_fields = ["office"]


@admin.register(Campus)
class CampusAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "office", "address"]
    list_filter = ["kind"]
    list_select_related = ["office"]
    search_fields = ["name", "code", "address"]
    autocomplete_fields = ["office"]
