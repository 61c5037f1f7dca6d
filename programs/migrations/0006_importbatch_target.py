from django.db import migrations, models


def edition_to_target(apps, schema_editor):
    ImportBatch = apps.get_model("programs", "ImportBatch")
    for batch in ImportBatch.objects.filter(edition__isnull=False).select_related("edition"):
        batch.target = str(batch.edition.year)
        batch.save(update_fields=["target"])


def target_to_edition(apps, schema_editor):
    ImportBatch = apps.get_model("programs", "ImportBatch")
    Edition = apps.get_model("programs", "Edition")
    for batch in ImportBatch.objects.exclude(target=""):
        batch.edition = Edition.objects.filter(year=int(batch.target)).first()
        batch.save(update_fields=["edition"])


class Migration(migrations.Migration):
    """ImportBatch moves to csvimport, which knows nothing of editions: the target edition of a
    programs import is kept as its year in the generic `target` column."""

    dependencies = [("programs", "0005_page_cache_table")]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="target",
            field=models.CharField(
                blank=True,
                help_text="取り込み先を指定したとき、その識別子（事業・制度のCSVでは取り込み先の版の年度）。",
                max_length=60,
                verbose_name="取り込み先",
            ),
        ),
        migrations.RunPython(edition_to_target, target_to_edition),
        migrations.RemoveField(model_name="importbatch", name="edition"),
    ]
