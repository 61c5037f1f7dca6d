"""CSV import (preview → confirm) and Excel-safe export for every model in the admin, and the
admin of the import history and of the change history (LogEntry)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from core.forms import CanonicalTextFormMixin
from core.text import normalize, search_variants

from . import csvio, excel, xlsx
from .batches import BatchError, apply_batch, record_preview
from .help import format_help
from .models import ImportBatch
from .pipeline import MAX_ROWS, ImportRefused, run_import
from .registry import resource_for_model
from .report import ImportReport, mark_changes

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PREVIEW_PAGE_SIZE = 100


class ImportForm(forms.Form):
    file = forms.FileField(
        label="ファイル（Excelブック .xlsx またはCSV）",
        help_text="おすすめはExcelブック（.xlsx）です。Excelで編集したファイルをそのまま選べます。",
    )
    encoding = forms.ChoiceField(
        label="CSVの文字コード",
        choices=list(csvio.ENCODINGS.items()),
        initial="auto",
        help_text="CSVのときだけ使います（.xlsx は文字コードの指定が要りません）。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{upload.size / 1024 / 1024:.1f}MB）。"
                f"{MAX_UPLOAD_BYTES // 1024 // 1024}MB以下のCSVファイルを選んでください。"
            )
        if upload.size == 0:
            raise forms.ValidationError("ファイルが空です。")
        return upload


EXPORT_FORMATS = {
    "xlsx": "Excelブック（.xlsx）― おすすめ",
    **{encoding: f"CSV {label}" for encoding, label in csvio.EXPORT_ENCODINGS.items()},
}


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label="形式", choices=list(EXPORT_FORMATS.items()), initial="xlsx", widget=forms.RadioSelect
    )


def export_response(resource, queryset, file_format, stem):
    """The export as a download: an Excel workbook or a CSV in the chosen encoding (raises
    csvio.CsvFormatError when Shift_JIS cannot hold a character)."""
    headers, rows = resource.export_rows(queryset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "xlsx":
        response = HttpResponse(xlsx.write(resource, headers, rows), content_type=xlsx.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
        return response
    if file_format == "cp932":
        problems = csvio.unencodable_cells(headers, rows, resource.key_columns())
        if problems:
            raise UnencodableExport(
                [
                    (key, column, "、".join(map(excel.describe, chars)))
                    for key, column, chars in problems
                ]
            )
    body = csvio.write(headers, rows, file_format)
    charset = file_format.replace("-sig", "")
    response = HttpResponse(body, content_type=f"text/csv; charset={charset}")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.csv"'
    return response


class UnencodableExport(Exception):
    """A Shift_JIS export that would lose characters: every (key, column, characters)."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} cells")
        self.problems = problems


class CsvAdminMixin(CanonicalTextFormMixin):
    change_list_template = "admin/csv_change_list.html"
    actions = ["export_selected", "export_selected_csv"]
    import_form_class = ImportForm

    # --- hooks for a model whose import takes options (programs: the target edition) ----------
    def get_import_target(self, form):
        """The target an upload's form chose (see PortalResource.for_target); "" for none."""
        return ""

    def get_import_resource(self, target="", *, confirm=False):
        """A fresh resource for one file, importing into `target` when one is given (for a
        stored preview, `confirm`: the target is checked inside the import)."""
        resource_class = resource_for_model(self.model)
        if not target:
            return resource_class()
        return resource_class.for_confirm(target) if confirm else resource_class.for_target(target)

    def import_target_label(self, batch):
        """How the preview names the batch's target."""
        return batch.target

    def get_import_success_url(self, batch):
        return self._url("changelist")

    # --- permissions -------------------------------------------------------------------------
    def _perm(self, action):
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

    def _refuse(self, action):
        """A refusal that says why (shown by templates/403.html inside the admin layout)."""
        name = self.model._meta.verbose_name
        return PermissionDenied(
            f"{name}の{action}には「{name}」の{action}の権限が必要です。"
            "権限が必要な場合は、管理者（スーパーユーザー）に依頼してください。"
        )

    def has_import_permission(self, request):
        return request.user.has_perm(self._perm("import"))

    def has_export_permission(self, request):
        return request.user.has_perm(self._perm("export"))

    # --- search: NFKC-insensitive ------------------------------------------------------------
    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return super().get_search_results(request, queryset, search_term)
        combined = queryset.none()
        may_have_duplicates = False
        for variant in search_variants(search_term):
            found, dup = super().get_search_results(request, queryset, variant)
            combined = combined | found
            may_have_duplicates = may_have_duplicates or dup
        return combined, may_have_duplicates

    # --- urls ----------------------------------------------------------------------------------
    def _url_name(self, suffix):
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_{suffix}"

    def _url(self, suffix, *args):
        return reverse(f"admin:{self._url_name(suffix)}", args=args)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=self._url_name("import")),
            path(
                "import/<int:batch_id>/",
                wrap(self.import_preview_view),
                name=self._url_name("import_preview"),
            ),
            path("export/", wrap(self.export_view), name=self._url_name("export")),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "has_export_permission": self.has_export_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def _context(self, request, title, **kwargs):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "max_rows": MAX_ROWS,
            "columns": resource_for_model(self.model).column_names(),
            **kwargs,
        }

    # --- import --------------------------------------------------------------------------------
    def import_view(self, request):
        if not self.has_import_permission(request):
            raise self._refuse("取り込み")
        form = self.import_form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                resource = self.get_import_resource(self.get_import_target(form))
            except ImportRefused as exc:
                form.add_error(None, str(exc))
            else:
                batch, _report = record_preview(
                    resource,
                    upload.read(),
                    file_name=upload.name,
                    user=request.user,
                    encoding=form.cleaned_data["encoding"],
                    target=resource.target,
                )
                return redirect(self._url("import_preview", batch.pk))
        title = f"{self.model._meta.verbose_name}のCSV取り込み"
        return TemplateResponse(
            request, "admin/csv_import.html", self._context(request, title, form=form)
        )

    def import_preview_view(self, request, batch_id):
        if not self.has_import_permission(request):
            raise self._refuse("取り込み")
        batch = get_object_or_404(ImportBatch, pk=batch_id, model_label=self.model._meta.label)
        if request.method == "POST":
            try:
                resource = self.get_import_resource(batch.target, confirm=True)
                report = apply_batch(batch, resource, user=request.user)
            except (BatchError, ImportRefused) as exc:
                messages.error(request, str(exc))
                return redirect(self._url("import"))
            if report.has_errors:
                messages.error(request, "エラーがあったため、何も取り込んでいません。")
                return redirect(self._url("import_preview", batch.pk))
            messages.success(request, f"「{batch.file_name}」を取り込みました：{report.summary()}")
            return redirect(self.get_import_success_url(batch))
        report = ImportReport.from_dict(batch.report)
        # By default the rows that do something or are wrong (all the stored report keeps);
        # every row, unchanged ones included, on request while the preview can still be
        # confirmed (the stored file is checked again, without writing).
        show_all = request.GET.get("show") == "all" and batch.status == ImportBatch.Status.PREVIEW
        rows = report.rows
        if show_all:
            resource = self.get_import_resource(batch.target, confirm=True)
            rows = run_import(resource, bytes(batch.data), encoding=batch.encoding).rows
        page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        for row in page.object_list:
            row.marked = [(column, *mark_changes(old, new)) for column, old, new in row.changes]
        title = f"取り込み内容の確認：{batch.file_name}"
        return TemplateResponse(
            request,
            "admin/csv_preview.html",
            self._context(
                request,
                title,
                batch=batch,
                report=report,
                page=page,
                show_all=show_all,
                target_label=self.import_target_label(batch) if batch.target else "",
            ),
        )

    # --- export --------------------------------------------------------------------------------
    def export_view(self, request):
        if not self.has_export_permission(request):
            raise self._refuse("書き出し")
        form = ExportForm(request.GET or None)
        if "format" in request.GET and form.is_valid():
            return self._export(
                request, self.get_export_queryset(request), form.cleaned_data["format"]
            )
        title = f"{self.model._meta.verbose_name}の書き出し"
        return TemplateResponse(
            request, "admin/csv_export.html", self._context(request, title, form=form)
        )

    def get_export_queryset(self, request):
        return self.get_queryset(request)

    def _export(self, request, queryset, file_format):
        try:
            return export_response(
                resource_for_model(self.model)(), queryset, file_format, self.model._meta.model_name
            )
        except UnencodableExport as exc:
            # Inside the admin: every cell Shift_JIS cannot hold, and the formats that can.
            title = f"{self.model._meta.verbose_name}をShift_JISで書き出せません"
            context = self._context(request, title, problems=exc.problems)
            return TemplateResponse(
                request, "admin/csv_export_unencodable.html", context, status=400
            )

    @admin.action(
        description="選択したものをExcelブック（.xlsx）に書き出す", permissions=["export"]
    )
    def export_selected(self, request, queryset):
        return self._export(request, queryset, "xlsx")

    @admin.action(
        description="選択したものをCSVに書き出す（UTF-8 BOM付き）", permissions=["export"]
    )
    def export_selected_csv(self, request, queryset):
        return self._export(request, queryset, "utf-8-sig")


class NormalizedSearchMixin:
    """For models with a precomputed NFKC search column."""

    search_index_field = "search_index"

    def get_search_results(self, request, queryset, search_term):
        words = normalize(search_term).split()
        if not words:
            return queryset, False
        condition = Q()
        for word in words:
            condition &= Q(**{f"{self.search_index_field}__contains": word}) | Q(
                code__icontains=word
            )
        return queryset.filter(condition), False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "model_name",
        "file_name",
        "target",
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
    readonly_fields = [
        "model_name",
        *(f.name for f in ImportBatch._meta.fields if f.name not in ("data", "report")),
    ]

    @admin.display(description="対象")
    def model_name(self, obj):
        return obj.model_name

    def get_urls(self):
        # The format help is for every staff member who imports or exports anything.
        view = self.admin_site.admin_view(self.format_help_view)
        return [path("format/", view, name="csvimport_format_help")] + super().get_urls()

    def format_help_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "取り込み・書き出しのファイル形式",
            "entities": format_help(),
        }
        return TemplateResponse(request, "admin/csv_format_help.html", context)

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
        "message",
    ]
    list_filter = ["action_flag", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"
    # The detail page shows the sentence, not the JSON the admin stores its own edits as.
    fields = ["action_time", "user", "content_type", "object_id", "object_repr", "action_flag",
              "message"]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="変更内容")
    def message(self, obj):
        # The admin stores its own edits as JSON; this is the sentence it renders from it.
        return obj.get_change_message()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
