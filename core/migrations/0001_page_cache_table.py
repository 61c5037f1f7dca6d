from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The public page cache lives in the database (settings.CACHES); creating its table here
    # means `migrate` is the only deploy step. createcachetable skips a table that exists (a
    # database migrated before the cache moved here from programs).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
