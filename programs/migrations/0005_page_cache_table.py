from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The public page cache lives in the database (settings.CACHES); creating its table here
    # means `migrate` is the only deploy step.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("programs", "0004_import_batch_edition")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
