from django.db import migrations


class Migration(migrations.Migration):
    """The other half of csvimport.0001: programs forgets ImportBatch; the table stays."""

    dependencies = [
        ("programs", "0006_importbatch_target"),
        ("csvimport", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        ),
    ]
