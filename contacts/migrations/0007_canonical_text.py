"""Existing rows get the canonical text form (core.text.canonical_text: LF line ends, no
trailing spaces), so that the next save or import of an unedited row records no change."""

from django.db import migrations

from core.fields import canonicalize_rows

MODELS = [
    "RegionalOffice",
    "Department",
    "Section",
    "Prefecture",
    "PartnerOrganization",
    "RegionalDesk",
    "Campus",
]


def forwards(apps, schema_editor):
    for name in MODELS:
        canonicalize_rows(apps.get_model("contacts", name))


class Migration(migrations.Migration):
    dependencies = [("contacts", "0006_desk_program_codes")]

    # Canonical text is what every save now writes: there is nothing to undo.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
