from django.contrib import admin

from core.forms import CanonicalTextFormMixin
from csvimport.admin import CsvAdminMixin

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


@admin.register(Section)
class SectionAdmin(CsvAdminMixin, admin.ModelAdmin):
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
