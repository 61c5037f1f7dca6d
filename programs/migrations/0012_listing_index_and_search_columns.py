"""Faster public lists at 10,000 programs (issue 14, bench/README.md):

- the search columns lose their spaces once, when stored, instead of in every query (the
  keyword search tests plain substrings, in memory: programs.search.Index);
- a narrow index over what the list page counts and orders by."""

import django.core.validators
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Replace

SEARCH_COLUMNS = ("search_index", "search_name", "search_tagline")


def strip_spaces(apps, schema_editor):
    # The same text core.text.search_text now stores: what the query used to strip per row.
    Program = apps.get_model("programs", "Program")
    Program.objects.update(
        **{name: Replace(name, Value(" "), Value("")) for name in SEARCH_COLUMNS}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0007_canonical_text"),
        ("programs", "0011_search_synonyms"),
    ]

    operations = [
        migrations.AlterField(
            model_name="program",
            name="area",
            field=models.TextField(
                blank=True,
                help_text="「全国」、またはハンドブックに書かれた都道府県・市町村など（1行に1件）。"
                "空欄はハンドブックに記載がないこと。",
                validators=[
                    django.core.validators.MaxLengthValidator(
                        500, "地域は500文字以内で入力してください。"
                    )
                ],
                verbose_name="地域",
            ),
        ),
        migrations.AddIndex(
            model_name="program",
            index=models.Index(
                fields=[
                    "edition",
                    "status",
                    "chapter",
                    "number",
                    "support_type",
                    "department",
                    "area",
                    "audience",
                    "id",
                ],  # fmt: skip
                name="program_listing",
            ),
        ),
        migrations.RunPython(strip_spaces, migrations.RunPython.noop),
    ]
