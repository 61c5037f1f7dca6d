"""Existing rows get the canonical text form (core.text.canonical_text: LF line ends, no
trailing spaces), so that the next save or import of an unedited row records no change. The
search column of a rewritten program is derived again from its text."""

from django.db import migrations

from core.fields import canonicalize_rows
from core.text import search_text


def forwards(apps, schema_editor):
    for name in ["Edition", "Chapter", "SupportType", "Program"]:
        canonicalize_rows(apps.get_model("programs", name))
    Program = apps.get_model("programs", "Program")
    stale = []
    for program in Program.objects.only("pk", "name", "tagline", "target", "points", "search_index"):
        index = search_text(program.name, program.tagline, program.target, program.points)
        if program.search_index != index:
            program.search_index = index
            stale.append(program)
    Program.objects.bulk_update(stale, ["search_index"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_edition_one_published"),
        ("contacts", "0007_canonical_text"),
    ]

    # Canonical text is what every save now writes: there is nothing to undo.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
