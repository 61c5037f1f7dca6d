"""Previews staff can read (counts first, changes and errors only, every change whole and
marked, pages) and a confirm that applies exactly what was previewed."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Section
from csvimport import csvio
from csvimport.models import ImportBatch
from csvimport.registry import resource_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

IMPORT = "/admin/contacts/section/import/"


def sections_file(edit=lambda rows: rows):
    resource = resource_for("contacts.Section")()
    headers, rows = resource.export_rows(Section.objects.order_by("code"))
    return csvio.write(headers, edit([list(r) for r in rows]))


def upload(client, data):
    response = client.post(IMPORT, {"file": SimpleUploadedFile("s.csv", data), "encoding": "auto"})
    assert response.status_code == 302
    return ImportBatch.objects.latest("pk")


def rename(code, name):
    def edit(rows):
        for row in rows:
            if row[0] == code:
                row[2] = name
        return rows

    return edit


def table_rows(page):
    return re.findall(r'<tr class="import-(\w+)">', page)


def test_an_unchanged_file_stores_no_rows_and_shows_counts_first(client, superuser):
    client.force_login(superuser)
    batch = upload(client, sections_file())
    assert batch.report["rows"] == []
    assert batch.report["tally"]["unchanged"] == 25 and batch.unchanged_count == 25
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert page.index("変更なし 25件") < page.index('<table class="import-rows"')
    assert table_rows(page) == []
    page = client.get(f"{IMPORT}{batch.pk}/", {"show": "all"}).content.decode()
    assert table_rows(page) == ["unchanged"] * 25


def test_a_change_is_shown_whole_with_the_changed_characters_marked(client, superuser):
    client.force_login(superuser)
    section = Section.objects.get(code="management-support-kigyo-shien")
    long_name = "企業支援課" + "あ" * 90  # longer than the old 80-character cut
    section.name = long_name
    section.save()
    data = sections_file(rename(section.code, long_name.replace("課", "室")))
    batch = upload(client, data)
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert table_rows(page) == ["changed"]
    assert f"企業支援<del>課</del>{'あ' * 90}" in page
    assert f"企業支援<ins>室</ins>{'あ' * 90}" in page


def test_large_previews_are_paginated(client, superuser):
    client.force_login(superuser)

    def add(rows):
        extra = [[f"new-{i:03d}", "経営支援部", f"新しい課{i}", "", ""] for i in range(250)]
        return rows + extra

    batch = upload(client, sections_file(add))
    page = client.get(f"{IMPORT}{batch.pk}/").content.decode()
    assert table_rows(page) == ["new"] * 100 and "1 / 3 ページ" in page
    page = client.get(f"{IMPORT}{batch.pk}/", {"page": 3}).content.decode()
    assert table_rows(page) == ["new"] * 50


@pytest.mark.parametrize("edited", ["management-support-kigyo-shien", "mutual-aid-kyosai-sodan"])
def test_confirm_refuses_rows_edited_after_the_preview(client, superuser, edited):
    """The first section is changed by the file, the second is unchanged by it; an admin edit of
    either after the preview would be overwritten unseen: the confirm writes nothing."""
    client.force_login(superuser)
    batch = upload(client, sections_file(rename("management-support-kigyo-shien", "企業支援室")))
    assert batch.changed_count == 1
    section = Section.objects.get(code=edited)
    section.email = "edited@smrj.go.jp"  # an edit in the admin, meanwhile
    section.save()

    response = client.post(f"{IMPORT}{batch.pk}/", follow=True)
    page = response.content.decode()
    assert "確認画面を作ったあとに" in page
    line = 2 + list(Section.objects.order_by("code").values_list("code", flat=True)).index(edited)
    assert f"{line}行目（{edited}）" in page
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert Section.objects.get(code="management-support-kigyo-shien").name == "企業支援課"
    assert Section.objects.get(code=edited).email == "edited@smrj.go.jp"


def test_confirm_of_an_untouched_preview_applies_it(client, superuser):
    client.force_login(superuser)
    batch = upload(client, sections_file(rename("management-support-kigyo-shien", "企業支援室")))
    client.post(f"{IMPORT}{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert Section.objects.get(code="management-support-kigyo-shien").name == "企業支援室"
