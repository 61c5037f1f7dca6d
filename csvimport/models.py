from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportBatch(models.Model):
    """One uploaded CSV: its exact bytes, the preview report and, once confirmed, the result.

    Keeping the file in the database (not in a server's temp folder) lets any app server behind
    the load balancer confirm a preview another one made, and is the audit record of the import.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "確認待ち"
        APPLIED = "applied", "取り込み済み"
        FAILED = "failed", "エラー"

    model_label = models.CharField("対象", max_length=60)
    file_name = models.CharField("ファイル名", max_length=255)
    file_sha256 = models.CharField("SHA-256", max_length=64)
    data = models.BinaryField("ファイル内容")
    encoding = models.CharField("文字コード", max_length=20, blank=True)
    target = models.CharField(
        "取り込み先",
        max_length=60,
        blank=True,
        help_text="取り込み先を指定したとき、その識別子（事業・制度のCSVでは取り込み先の版の年度）。",
    )
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="実行者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("アップロード日時", auto_now_add=True)
    applied_at = models.DateTimeField("取り込み日時", null=True, blank=True)
    new_count = models.PositiveIntegerField("新規", default=0)
    changed_count = models.PositiveIntegerField("変更", default=0)
    unchanged_count = models.PositiveIntegerField("変更なし", default=0)
    error_count = models.PositiveIntegerField("エラー", default=0)
    report = models.JSONField("結果", default=dict, blank=True)

    class Meta:
        # The table was created when this model lived in programs; it keeps its name.
        db_table = "programs_importbatch"
        ordering = ["-created_at"]
        verbose_name = "CSV取り込み履歴"
        verbose_name_plural = "CSV取り込み履歴"
        default_permissions = ("view",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
                name="import_batch_applied_has_time",
                violation_error_message="取り込み済みの履歴には取り込み日時が必要です。",
            ),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def model_name(self):
        """The imported model's Japanese name (事業・制度), not its code label."""
        try:
            return apps.get_model(self.model_label)._meta.verbose_name
        except LookupError:
            return self.model_label
