"""CSV import (preview → confirm) and Excel-safe export for every model in the admin."""

import unicodedata

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from . import csvio
from .importing import ImportReport, apply_batch, record_preview
from .registry import resource_for_model

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="CSVファイル")
    encoding = forms.ChoiceField(
        label="文字コード", choices=list(csvio.ENCODINGS.items()), initial="auto"
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


class ExportForm(forms.Form):
    encoding = forms.ChoiceField(
        label="文字コード", choices=list(csvio.EXPORT_ENCODINGS.items()), initial="utf-8-sig"
    )


def search_variants(term):
    """ＩＴ, IT and ｉｔ should all find the same rows: search the NFKC form and the full-width
    form of what was typed, as well as the text itself."""
    folded = unicodedata.normalize("NFKC", term)
    wide = "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in folded
    )
    return list(dict.fromkeys([term, folded, wide]))


def csv_response(resource, queryset, encoding, stem):
    headers, rows = resource.export_rows(queryset)
    body = csvio.write(headers, rows, encoding)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type=f"text/csv; charset={encoding.replace('-sig', '')}")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.csv"'
    return response


class CsvAdminMixin:
    change_list_template = "admin/csv_change_list.html"
    actions = ["export_selected"]
    import_form_class = ImportForm

    # --- hooks for a model whose import takes options (programs: the target edition) ----------
    def get_import_resource_class(self, request, form=None, batch=None):
        """The resource class for an upload (its validated form) or a stored preview (batch)."""
        return resource_for_model(self.model)

    def import_previewed(self, request, batch, form):
        """Called after a preview is stored: keep the form's options with the batch."""

    def get_import_success_url(self, batch):
        return self._url("changelist")

    # --- permissions -------------------------------------------------------------------------
    def _perm(self, action):
        opts = self.model._meta
        return f"{opts.app_label}.{action}_{opts.model_name}"

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
            "columns": resource_for_model(self.model).column_names(),
            **kwargs,
        }

    # --- import --------------------------------------------------------------------------------
    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.import_form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            batch, _report = record_preview(
                self.get_import_resource_class(request, form=form),
                upload.read(),
                file_name=upload.name,
                user=request.user,
                encoding=form.cleaned_data["encoding"],
            )
            self.import_previewed(request, batch, form)
            return redirect(self._url("import_preview", batch.pk))
        title = f"{self.model._meta.verbose_name}のCSV取り込み"
        return TemplateResponse(
            request, "admin/csv_import.html", self._context(request, title, form=form)
        )

    def import_preview_view(self, request, batch_id):
        from programs.models import ImportBatch

        if not self.has_import_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=batch_id, model_label=self.model._meta.label)
        if request.method == "POST":
            try:
                resource_class = self.get_import_resource_class(request, batch=batch)
                report = apply_batch(batch, resource_class, user=request.user)
            except ValueError as exc:
                messages.error(request, str(exc))
                return redirect(self._url("import"))
            if report.has_errors:
                messages.error(request, "エラーがあったため、何も取り込んでいません。")
                return redirect(self._url("import_preview", batch.pk))
            messages.success(request, f"「{batch.file_name}」を取り込みました：{report.summary()}")
            return redirect(self.get_import_success_url(batch))
        report = ImportReport.from_dict(batch.report)
        title = f"取り込み内容の確認：{batch.file_name}"
        return TemplateResponse(
            request,
            "admin/csv_preview.html",
            self._context(request, title, batch=batch, report=report),
        )

    # --- export --------------------------------------------------------------------------------
    def export_view(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET or None)
        if "encoding" in request.GET and form.is_valid():
            return self._export(self.get_export_queryset(request), form.cleaned_data["encoding"])
        title = f"{self.model._meta.verbose_name}のCSV書き出し"
        return TemplateResponse(
            request, "admin/csv_export.html", self._context(request, title, form=form)
        )

    def get_export_queryset(self, request):
        return self.get_queryset(request)

    def _export(self, queryset, encoding):
        try:
            return csv_response(
                resource_for_model(self.model)(), queryset, encoding, self.model._meta.model_name
            )
        except csvio.CsvFormatError as exc:
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")

    @admin.action(
        description="選択したものをCSVに書き出す（UTF-8 BOM付き）", permissions=["export"]
    )
    def export_selected(self, request, queryset):
        return self._export(queryset, "utf-8-sig")


class NormalizedSearchMixin:
    """For models with a precomputed NFKC search column."""

    search_index_field = "search_index"

    def get_search_results(self, request, queryset, search_term):
        from .japanese import normalize

        words = normalize(search_term).split()
        if not words:
            return queryset, False
        condition = Q()
        for word in words:
            condition &= Q(**{f"{self.search_index_field}__contains": word}) | Q(
                code__icontains=word
            )
        return queryset.filter(condition), False
