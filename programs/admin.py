from django.contrib import admin

from .models import Chapter, Edition, Program, SupportType


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["label", "year", "title", "status", "published_on"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(SupportType)
class SupportTypeAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "edition",
        "chapter",
        "number",
        "support_type",
        "department",
        "page",
        "status",
    ]
    list_filter = ["edition", "chapter", "support_type", "department", "status", "covid"]
    list_select_related = ["edition", "chapter", "support_type", "department"]
    search_fields = ["name", "code", "tagline"]
    autocomplete_fields = ["department", "contact_section"]
    fieldsets = [
        (
            "基本情報",
            {
                "fields": [
                    "edition",
                    "code",
                    "chapter",
                    "number",
                    "name",
                    "toc_name",
                    "tagline",
                    "support_type",
                    "department",
                    "page",
                    "status",
                    "covid",
                ]
            },
        ),
        ("索引", {"fields": ["index_heading", "reading"]}),
        ("対象者", {"fields": ["target"]}),
        ("事業のポイント", {"fields": ["points", "period", "fee"]}),
        ("ご利用の流れ", {"fields": ["flow"]}),
        ("利用実績", {"fields": ["results"]}),
        (
            "お問合せ先",
            {
                "fields": [
                    "contact_name",
                    "contact_section",
                    "contact_phones",
                    "contact_email",
                    "contact_note",
                    "urls",
                ]
            },
        ),
        ("編集メモ", {"fields": ["editorial_note"], "classes": ["collapse"]}),
    ]
