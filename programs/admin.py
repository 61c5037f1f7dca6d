from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from contacts import scopes
from contacts.admin import DepartmentScopeMixin
from contacts.models import Section
from core.adminkit import DefaultedListFilter, ReadonlyReasonMixin
from csvimport import csvio
from csvimport.admin import CsvAdminMixin, ImportForm, NormalizedSearchMixin
from csvimport.fields import fieldsets

from . import changes, editions
from .models import Chapter, Edition, Program, SearchSynonym, SupportType
from .resources import NOTE, ProgramResource


class EditionFilter(DefaultedListFilter):
    """The lists start with the editions being worked on: the current one and drafts. Archived
    editions (frozen) are one explicit choice away."""

    title = "ハンドブック版"
    parameter_name = "edition"
    default_label = "公開中と下書き"
    all_label = "すべての版（アーカイブを含む）"
    # The path from the listed model to its edition ("" for editions themselves).
    edition_path = "edition__"

    def more_lookups(self, request, model_admin):
        return [
            (str(e.pk), f"{e.label}（{e.get_status_display()}）") for e in Edition.objects.all()
        ]

    def default_queryset(self, request, queryset):
        return queryset.exclude(**{f"{self.edition_path}status": Edition.Status.ARCHIVED})

    def chosen_queryset(self, request, queryset, value):
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.edition_path}pk": int(value)})


class EditionListFilter(EditionFilter):
    edition_path = ""


class FrozenEditionMixin(ReadonlyReasonMixin):
    """Archived editions are frozen: nothing of theirs is changed or deleted in the admin,
    whoever asks (superusers too); the page says why."""

    def edition_of(self, obj):
        return obj.edition

    def frozen(self, obj):
        return obj is not None and obj.pk is not None and self.edition_of(obj).is_archived

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.frozen(obj)

    def readonly_reason(self, request, obj):
        if self.frozen(obj):
            return self.edition_of(obj).frozen_reason
        return super().readonly_reason(request, obj)


@admin.register(Edition)
class EditionAdmin(FrozenEditionMixin, CsvAdminMixin, admin.ModelAdmin):
    list_display = ["edition_label", "year", "title", "status", "published_on", "changes_link"]
    list_filter = [EditionListFilter]
    search_fields = ["title"]
    actions = [*CsvAdminMixin.actions, "copy_to_next_year", "publish_selected"]

    @admin.display(description="版", ordering="year")
    def edition_label(self, obj):
        # A property's column would be headed with its name in capitals ("LABEL").
        return obj.label

    # --- permissions -------------------------------------------------------------------------
    def has_publish_permission(self, request):
        return request.user.has_perm("programs.publish_edition")

    def has_changes_export_permission(self, request):
        return request.user.has_perm("programs.export_program")

    def has_copy_permission(self, request):
        return request.user.has_perms(["programs.add_edition", "programs.add_program"])

    def has_import_permission(self, request):
        # An editions.csv can set 状態 to 公開: importing it is publishing.
        return super().has_import_permission(request) and self.has_publish_permission(request)

    def edition_of(self, obj):
        return obj

    def has_delete_permission(self, request, obj=None):
        # A published or archived edition is (or was) the public handbook.
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_draft)

    def get_readonly_fields(self, request, obj=None):
        # Only the publish action (and publish_edition) changes the state, for everyone: all or
        # nothing, with the previous edition archived. A published or archived edition's year is
        # in its public URLs.
        fixed = ["status", "published_on"]
        if obj is not None and not obj.is_draft:
            fixed.insert(0, "year")
        return [*fixed, "changes_link"]

    # --- 前年度からの変更点 ---------------------------------------------------------------------
    @admin.display(description="前年度からの変更点")
    def changes_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = reverse("admin:programs_edition_changes", args=[obj.pk])
        return format_html('<a href="{}">変更点を見る</a>', url)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/changes/",
                wrap(self.changes_view),
                name="programs_edition_changes",
            ),
            path(
                "<int:object_id>/changes.csv",
                wrap(self.changes_csv_view),
                name="programs_edition_changes_csv",
            ),
        ] + super().get_urls()

    def _diff(self, request, object_id):
        edition = get_object_or_404(Edition, pk=object_id)
        if not self.has_view_or_change_permission(request, edition):
            raise PermissionDenied
        against = request.GET.get("against", "")
        base = None
        if against.isascii() and against.isdigit():
            base = Edition.objects.exclude(pk=edition.pk).filter(year=int(against)).first()
        return changes.compare(edition, base)

    def changes_view(self, request, object_id):
        diff = self._diff(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{diff.edition.label}の前年度からの変更点",
            "diff": diff,
            "original": diff.edition,
            "bases": Edition.objects.exclude(pk=diff.edition.pk).order_by("-year"),
            "public_url": reverse("programs:edition_changes", args=[diff.edition.year]),
            "can_publish": diff.edition.is_draft and self.has_publish_permission(request),
            "can_export": self.has_changes_export_permission(request),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/programs/edition_changes.html", context)

    def changes_csv_view(self, request, object_id):
        # A download of program data: the export permission, as for every other CSV.
        if not self.has_changes_export_permission(request):
            raise PermissionDenied
        diff = self._diff(request, object_id)
        body = csvio.write(diff.headers, diff.rows(), "utf-8-sig")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        name = f"edition-{diff.edition.year}-changes-{stamp}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # --- start the next edition, publish ----------------------------------------------------
    @admin.action(description="選択した版をコピーして翌年度の下書きを作る", permissions=["copy"])
    def copy_to_next_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "コピーする版を1つだけ選んでください。", messages.ERROR)
            return None
        source = queryset.get()
        try:
            edition, count = editions.start_edition(source.year + 1, copy_from=source)
        except editions.EditionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        self.log_addition(request, edition, f"{source.label}から事業{count}件をコピーして作成")
        self.message_user(
            request,
            f"{edition.label}（下書き）を作成し、{source.label}の事業{count}件をコピーしました。"
            "事業・制度の画面で編集し、「変更点を見る」で確認してから公開してください。",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:programs_edition_change", args=[edition.pk]))

    @admin.action(
        description="選択した下書きの版を公開する（公開中の版はアーカイブ）",
        permissions=["publish"],
    )
    def publish_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "公開する版を1つだけ選んでください。", messages.ERROR)
            return None
        edition = queryset.get()
        if request.POST.get("post") != "yes":
            if not edition.is_draft:
                self.message_user(
                    request,
                    f"{edition.label}は{edition.get_status_display()}です。"
                    "公開できるのは下書きの版だけです。",
                    messages.ERROR,
                )
                return None
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"{edition.label}を公開しますか？",
                "edition": edition,
                "current": Edition.objects.current(),
                "diff": changes.compare(edition),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/programs/edition_publish_confirm.html", context)
        try:
            archived = editions.publish(edition)
        except editions.EditionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        edition.refresh_from_db()
        self.log_change(request, edition, "公開")
        for old in archived:
            self.log_change(request, old, f"アーカイブ（{edition.label}の公開による）")
        done = "、".join(old.label for old in archived)
        self.message_user(
            request,
            f"{edition.label}を公開しました（公開日：{edition.published_on:%Y-%m-%d}）。"
            + (f"{done}はアーカイブになり、年度付きのURLで引き続き閲覧できます。" if done else ""),
            messages.SUCCESS,
        )
        return None


class ProgramImportForm(ImportForm):
    edition = forms.ModelChoiceField(
        label="取り込み先の版",
        queryset=Edition.objects.filter(status=Edition.Status.DRAFT),
        required=False,
        empty_label="指定しない（各行の「年度」列の版に取り込む）",
        help_text="下書きの版を選ぶと、すべての行をその版に取り込みます。"
        "「年度」列は空欄か、その版の年度（例：2025）にしてください。",
    )


@admin.register(Chapter)
class ChapterAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(SupportType)
class SupportTypeAdmin(CsvAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(Program)
class ProgramAdmin(
    FrozenEditionMixin,
    DepartmentScopeMixin,
    NormalizedSearchMixin,
    CsvAdminMixin,
    admin.ModelAdmin,
):
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
    list_filter = [EditionFilter, "chapter", "support_type", "department", "status", "covid"]
    list_select_related = ["edition", "chapter", "support_type", "department"]
    scope_noun = "事業"
    search_fields = ["name", "code", "tagline", "target", "points"]
    search_help_text = (
        "事業名・キャッチコピー・対象者・事業のポイントを検索します（全角・半角を区別しません）。"
    )
    autocomplete_fields = ["department", "contact_section"]
    readonly_fields = ["history_link"]
    import_form_class = ProgramImportForm
    # One fieldset per group of the programs CSV's columns (ProgramResource), in CSV order.
    fieldsets = fieldsets(ProgramResource, extra=[(NOTE, ["history_link"])], collapsed=[NOTE])

    # --- import into a draft edition -----------------------------------------------------------
    def get_import_target(self, form):
        edition = form.cleaned_data.get("edition")
        return str(edition.year) if edition else ""

    def import_target_label(self, batch):
        edition = Edition.objects.filter(year=batch.target).first()
        if edition is None:
            return f"{batch.target}年度（削除済み）"
        return f"{edition.label}（{edition.get_status_display()}）"

    def get_import_success_url(self, batch):
        edition = Edition.objects.filter(year=batch.target).first() if batch.target else None
        if edition is not None:
            return reverse("admin:programs_edition_changes", args=[edition.pk])
        return super().get_import_success_url(batch)

    @admin.display(description="変更履歴")
    def history_link(self, obj):
        if not obj.pk:
            return "-"
        url = reverse("admin:programs_program_history", args=[obj.pk])
        return format_html('<a href="{}">この事業の変更履歴を見る</a>', url)

    def get_queryset(self, request):
        # A program's title names its edition (Program.__str__). The changelist adds
        # list_select_related only to a queryset that selects nothing yet: select it all here.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A program cannot be moved into a frozen (archived) edition.
        if db_field.name == "edition":
            kwargs["queryset"] = Edition.objects.exclude(status=Edition.Status.ARCHIVED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # An editor's program is answered by a 課・室 of their own departments: pointing it at
        # another department's desk would send that desk the questions (the handbook's
        # programs all name a 課・室 of their own department). The one it names now stays a
        # choice: a superuser may have set it, and saving another field must not clear it.
        field = form.base_fields.get("contact_section")
        scope = scopes.department_scope(request.user, self.scope_perm("change"))
        if field is not None and scope is not None:
            choices = Q(department__in=scope)
            if obj is not None and obj.contact_section_id is not None:
                choices |= Q(pk=obj.contact_section_id)
            field.queryset = Section.objects.filter(choices)
        return form


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__", "note"]
    search_fields = ["words", "note"]
