from django.db import migrations, models


def links_to_codes(apps, schema_editor):
    RegionalDesk = apps.get_model("contacts", "RegionalDesk")
    for desk in RegionalDesk.objects.all():
        codes = sorted(set(desk.programs.values_list("code", flat=True)))
        desk.program_codes = "\n".join(codes)
        desk.save(update_fields=["program_codes"])


def codes_to_links(apps, schema_editor):
    RegionalDesk = apps.get_model("contacts", "RegionalDesk")
    Program = apps.get_model("programs", "Program")
    Edition = apps.get_model("programs", "Edition")
    edition = (
        Edition.objects.filter(status="published").order_by("-year").first()
        or Edition.objects.order_by("-year").first()
    )
    for desk in RegionalDesk.objects.all():
        codes = [c for c in desk.program_codes.splitlines() if c.strip()]
        desk.programs.set(Program.objects.filter(edition=edition, code__in=codes))


class Migration(migrations.Migration):
    """Desks always meant programs by their stable code (the links had to hold across editions);
    they now store the codes themselves, so contacts no longer depends on the programs table."""

    dependencies = [
        ("contacts", "0005_prefecture_code_validator"),
        ("programs", "0005_page_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="regionaldesk",
            name="program_codes",
            field=models.TextField(
                blank=True,
                help_text="この窓口が担当する事業の事業コードを1行に1件（年度をまたいで同じ事業を指します）。",
                verbose_name="担当事業コード",
            ),
        ),
        migrations.RunPython(links_to_codes, codes_to_links),
        migrations.RemoveField(model_name="regionaldesk", name="programs"),
    ]
