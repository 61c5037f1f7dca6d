from django.db import migrations


class Migration(migrations.Migration):
    # The page cache table is core's now (core/migrations/0001_page_cache_table.py); this
    # migration stays, empty, because databases migrated before the move have recorded it.
    dependencies = [("programs", "0004_import_batch_edition")]

    operations = []
