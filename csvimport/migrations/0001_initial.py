import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # Permissions and history entries point at the content type: keep them by relabelling it.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="programs", model="importbatch").update(
        app_label="csvimport"
    )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="csvimport", model="importbatch").update(
        app_label="programs"
    )


class Migration(migrations.Migration):
    """ImportBatch moves here from programs: the model's state is created, its table (with every
    row) is kept as it is (programs.0007 drops the old state, not the table)."""

    initial = True

    dependencies = [
        ("programs", "0006_importbatch_target"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("model_label", models.CharField(max_length=60, verbose_name="対象")),
                        ("file_name", models.CharField(max_length=255, verbose_name="ファイル名")),
                        ("file_sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                        ("data", models.BinaryField(verbose_name="ファイル内容")),
                        ("encoding", models.CharField(blank=True, max_length=20, verbose_name="文字コード")),
                        ("target", models.CharField(blank=True, help_text="取り込み先を指定したとき、その識別子（事業・制度のCSVでは取り込み先の版の年度）。", max_length=60, verbose_name="取り込み先")),
                        ("status", models.CharField(choices=[("preview", "確認待ち"), ("applied", "取り込み済み"), ("failed", "エラー")], default="preview", max_length=10, verbose_name="状態")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="アップロード日時")),
                        ("applied_at", models.DateTimeField(blank=True, null=True, verbose_name="取り込み日時")),
                        ("new_count", models.PositiveIntegerField(default=0, verbose_name="新規")),
                        ("changed_count", models.PositiveIntegerField(default=0, verbose_name="変更")),
                        ("unchanged_count", models.PositiveIntegerField(default=0, verbose_name="変更なし")),
                        ("error_count", models.PositiveIntegerField(default=0, verbose_name="エラー")),
                        ("report", models.JSONField(blank=True, default=dict, verbose_name="結果")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="実行者")),
                    ],
                    options={
                        "verbose_name": "CSV取り込み履歴",
                        "verbose_name_plural": "CSV取り込み履歴",
                        "db_table": "programs_importbatch",
                        "ordering": ["-created_at"],
                        "default_permissions": ("view",),
                        "constraints": [models.CheckConstraint(condition=models.Q(models.Q(("status", "applied"), _negated=True), ("applied_at__isnull", False), _connector="OR"), name="import_batch_applied_has_time", violation_error_message="取り込み済みの履歴には取り込み日時が必要です。")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
