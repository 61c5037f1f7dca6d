from django.contrib import admin
from django.contrib.admin.models import LogEntry

from smrj_portal.admin_csv import CsvAdminMixin, NormalizedSearchMixin

from .models import Chapter, Edition, ImportBatch, Program, SupportType


@admin.register(Edition)
class EditionAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["label", "year", "title", "status", "published_on"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Chapter)
class ChapterAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(SupportType)
class SupportTypeAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(Program)
class ProgramAdmin(NormalizedSearchMixin, CsvAdminMixin, admin.ModelAdmin):
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
    search_fields = ["name", "code", "tagline", "target", "points"]
    search_help_text = (
        "事業名・キャッチコピー・対象者・事業のポイントを検索します（全角・半角を区別しません）。"
    )
    autocomplete_fields = ["department", "contact_section"]
    readonly_fields = ["history_link"]
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
        ("編集メモ", {"fields": ["editorial_note", "history_link"], "classes": ["collapse"]}),
    ]

    @admin.display(description="変更履歴")
    def history_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if not obj.pk:
            return "-"
        url = reverse("admin:programs_program_history", args=[obj.pk])
        return format_html('<a href="{}">この事業の変更履歴を見る</a>', url)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._may_edit(request.user, obj)

    @staticmethod
    def _may_edit(user, program):
        # A member of a department's editor group changes only that department's programs;
        # other staff are governed by their model permissions alone.
        if user.is_superuser:
            return True
        editor_groups = set(
            user.groups.filter(department__isnull=False).values_list("pk", flat=True)
        )
        return not editor_groups or program.department.editor_group_id in editor_groups

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # An editor cannot hand a program to (or create one for) another department.
        if db_field.name == "department" and not request.user.is_superuser:
            from contacts.models import Department

            own = Department.objects.filter(editor_group__user=request.user)
            if own.exists():
                kwargs["queryset"] = own
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "model_label",
        "file_name",
        "user",
        "status",
        "new_count",
        "changed_count",
        "unchanged_count",
        "error_count",
        "applied_at",
    ]
    list_filter = ["status", "model_label"]
    list_select_related = ["user"]
    search_fields = ["file_name", "user__username"]
    exclude = ["data", "report"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields if f.name not in ("data", "report")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Every admin edit and every imported row, readable by reviewers."""

    list_display = [
        "action_time",
        "user",
        "content_type",
        "object_repr",
        "action_flag",
        "change_message",
    ]
    list_filter = ["action_flag", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
