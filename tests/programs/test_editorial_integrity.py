"""Issue 12: one way to publish, archived editions frozen, edition names in the admin and on the
archived public pages, the change report's CSV behind the export permission."""

import io

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from contacts.models import Department
from csvimport.pipeline import run_import
from programs.models import Edition, Program
from programs.resources import EditionResource, ProgramResource
from tests.conftest import body, staff_in
from tests.editions_data import RENAMED, next_year_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

EDITIONS = "/admin/programs/edition/"
PROGRAMS = "/admin/programs/program/"


def edition(year):
    return Edition.objects.get(year=year)


def copy_2024():
    call_command("start_edition", "2025", "--copy-from", "2024", verbosity=0)
    return edition(2025)


def publish_2025():
    copy_2024()
    call_command("publish_edition", "2025", verbosity=0)


def edition_form(ed, **changes):
    data = {"year": ed.year, "title": ed.title, "status": ed.status, "published_on": ""}
    if ed.published_on:
        data["published_on"] = ed.published_on.isoformat()
    data.update(changes)
    return data


def program_form(program, **changes):
    """The program's change form as the admin posts it (every column, as stored)."""
    data = {}
    for column in ProgramResource().import_columns():
        value = getattr(program, column.attribute)
        if hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, bool):
            value = "on" if value else ""
        data[column.attribute] = "" if value is None else value
    if not data["covid"]:
        del data["covid"]
    data.update(changes)
    return data


def editions_csv(*rows):
    return ("年度,題名,状態,公開日\r\n" + "".join(r + "\r\n" for r in rows)).encode("utf-8")


def statuses():
    return dict(Edition.objects.values_list("year", "status"))


# --- 1. one way to publish --------------------------------------------------------------------


def test_the_edition_form_cannot_publish_even_for_a_superuser(client, superuser):
    client.force_login(superuser)
    draft = copy_2024()
    page = client.get(f"{EDITIONS}{draft.pk}/change/")
    fields = page.context["adminform"].form.fields
    assert "status" not in fields and "published_on" not in fields
    client.post(
        f"{EDITIONS}{draft.pk}/change/",
        edition_form(draft, status="published", published_on="2025-04-01"),
    )
    assert statuses() == {2024: "published", 2025: "draft"}


def test_publishing_through_the_action_leaves_exactly_one_published(client, superuser):
    client.force_login(superuser)
    draft = copy_2024()
    client.post(
        EDITIONS,
        {"action": "publish_selected", ACTION_CHECKBOX_NAME: [draft.pk], "post": "yes"},
    )
    assert statuses() == {2024: "archived", 2025: "published"}
    assert Edition.objects.filter(status="published").count() == 1


def test_the_database_refuses_a_second_published_edition():
    draft = copy_2024()
    draft.status = Edition.Status.PUBLISHED
    draft.published_on = edition(2024).published_on
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=draft.pk).update(
            status="published", published_on=draft.published_on
        )


def test_a_published_editions_year_cannot_change(client, superuser):
    current = edition(2024)
    client.force_login(superuser)
    page = client.get(f"{EDITIONS}{current.pk}/change/")
    assert "year" not in page.context["adminform"].form.fields
    client.post(f"{EDITIONS}{current.pk}/change/", edition_form(current, year=2030))
    assert edition(2024).pk == current.pk
    # The model says why, and a save from a shell is refused too.
    current.year = 2030
    with pytest.raises(ValidationError) as error:
        current.full_clean()
    assert error.value.message_dict["year"] == [
        "令和6年度版は「公開」のため、年度を変更できません（公開中・アーカイブ済みの版の年度は"
        "公開サイトの URL になっています）。"
    ]
    with pytest.raises(ValidationError):
        current.save()
    # A draft's year may still be corrected.
    draft = copy_2024()
    draft.year = 2026
    draft.full_clean()
    draft.save()


def test_importing_editions_csv_cannot_publish_or_archive():
    copy_2024()
    report = run_import(
        EditionResource(),
        editions_csv(
            "2024,令和６年度版「中小機構総合ハンドブック」,アーカイブ,2024-06-01",
            "2025,令和7年度版「中小機構総合ハンドブック」,公開,2025-04-01",
        ),
        dry_run=False,
    )
    assert report.has_errors
    messages = [message for row in report.rows for _column, message in row.errors]
    assert (
        messages
        == [
            "状態・公開日は取り込みでは変更できません。版の公開は管理サイトの操作"
            "「選択した下書きの版を公開する」か python manage.py publish_edition で行います。",
        ]
        * 2
    )
    assert statuses() == {2024: "published", 2025: "draft"}


def test_a_new_published_edition_cannot_be_imported_next_to_the_current_one():
    report = run_import(
        EditionResource(),
        editions_csv("2026,令和8年度版,公開,2026-04-01"),
        dry_run=False,
    )
    (row,) = report.rows
    assert row.errors == [
        (
            "状態",
            "公開中の版（令和6年度版）があるため、公開の版は取り込めません。"
            "新しい版は下書きとして取り込み、公開の操作で公開します。",
        )
    ]
    assert not Edition.objects.filter(year=2026).exists()


# --- 2. archived editions are frozen ------------------------------------------------------------


def test_an_archived_program_cannot_be_changed_in_the_admin(client, superuser):
    publish_2025()
    old = Program.objects.get(edition__year=2024, code=RENAMED)
    client.force_login(superuser)
    page = client.get(f"{PROGRAMS}{old.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in body(page)
    assert "令和6年度版はアーカイブ済みのため変更できません" in body(page)
    response = client.post(f"{PROGRAMS}{old.pk}/change/", program_form(old, name="書き換え"))
    assert response.status_code == 403
    response = client.post(f"{PROGRAMS}{old.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    # The bulk action refuses it too (the list shows archived editions on request).
    response = client.post(
        f"{PROGRAMS}?edition=all",
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [old.pk], "post": "yes"},
    )
    assert response.status_code == 403
    old.refresh_from_db()
    assert old.name != "書き換え"
    # The archived edition itself is frozen too.
    archived = edition(2024)
    response = client.post(f"{EDITIONS}{archived.pk}/change/", edition_form(archived, title="x"))
    assert response.status_code == 403
    assert edition(2024).title != "x"


def test_a_draft_program_cannot_be_moved_into_an_archived_edition(client, superuser):
    publish_2025()
    call_command("start_edition", "2026", verbosity=0)
    program = Program.objects.get(edition__year=2025, code=RENAMED)
    client.force_login(superuser)
    page = client.get(f"{PROGRAMS}{program.pk}/change/")
    choices = [str(e) for e in page.context["adminform"].form.fields["edition"].queryset]
    assert choices == ["令和8年度版", "令和7年度版"]


def test_importing_into_an_archived_edition_is_a_row_error():
    publish_2025()
    report = run_import(ProgramResource(), next_year_csv(year="2024"), dry_run=False)
    errors = {message for row in report.rows for _column, message in row.errors}
    assert errors == {
        "令和6年度版はアーカイブ済みのため、事業を追加・変更できません"
        "（アーカイブの版は凍結されています）。"
    }
    assert not Program.objects.filter(edition__year=2024, code="overseas-digital-support").exists()
    # Rows that change nothing are no error: reloading the 2024 handbook is still 変更なし.
    fixture = (settings.BASE_DIR / "fixtures" / "programs.csv").read_bytes()
    report = run_import(ProgramResource(), fixture, dry_run=False)
    assert not report.has_errors
    assert {row.status for row in report.rows} == {"unchanged"}


def test_admin_lists_default_to_current_and_draft_editions(client, superuser):
    publish_2025()
    call_command("start_edition", "2026", verbosity=0)
    client.force_login(superuser)
    programs = client.get(PROGRAMS)
    assert {p.edition.year for p in programs.context["cl"].result_list} == {2025}
    assert programs.context["cl"].result_count == 74
    archived = client.get(PROGRAMS, {"edition": edition(2024).pk})
    assert {p.edition.year for p in archived.context["cl"].result_list} == {2024}
    every = client.get(PROGRAMS, {"edition": "all"})
    assert every.context["cl"].result_count == 148
    editions = client.get(EDITIONS)
    assert [e.year for e in editions.context["cl"].result_list] == [2026, 2025]
    assert client.get(EDITIONS, {"edition": "all"}).context["cl"].result_count == 3


def test_every_program_title_in_the_admin_names_its_edition(client, superuser):
    draft = copy_2024()
    client.force_login(superuser)
    old = Program.objects.get(edition__year=2024, code=RENAMED)
    new = Program.objects.get(edition=draft, code=RENAMED)
    assert "ハンズオン支援事業（IT） — 令和6年度版" in body(
        client.get(f"{PROGRAMS}{old.pk}/change/")
    )
    page = body(client.get(f"{PROGRAMS}{new.pk}/change/"))
    assert "ハンズオン支援事業（IT） — 令和7年度版（下書き）" in page
    response = client.post(
        f"{PROGRAMS}{new.pk}/change/", program_form(new, fee="有料"), follow=True
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert "ハンズオン支援事業（IT） — 令和7年度版（下書き）" in message


def test_archived_public_pages_name_their_edition_in_header_and_footer(client):
    publish_2025()
    for url in (f"/2024/programs/{RENAMED}/", "/2024/programs/"):
        html = body(client.get(url))
        assert "掲載内容：令和6年度版" in html
        assert "掲載内容は令和６年度版「中小機構総合ハンドブック」に基づきます" in html
    html = body(client.get(f"/programs/{RENAMED}/"))
    assert "掲載内容：令和7年度版" in html


# --- 4. exports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["閲覧者", "編集者：経営支援部"])
def test_the_change_report_csv_needs_the_export_permission(client, role):
    call_command("setup_roles", verbosity=0)
    client.force_login(staff_in(role))
    current = edition(2024)
    assert client.get(f"{EDITIONS}{current.pk}/changes/").status_code == 200
    assert client.get(f"{EDITIONS}{current.pk}/changes.csv").status_code == 403
    assert "CSVで書き出す" not in body(client.get(f"{EDITIONS}{current.pk}/changes/"))
    client.force_login(staff_in("データ取込担当"))
    assert client.get(f"{EDITIONS}{current.pk}/changes.csv").status_code == 200


def test_load_handbook_if_empty_leaves_a_published_successor_alone():
    publish_2025()
    out = io.StringIO()
    call_command("load_handbook", "--if-empty", stdout=out)
    assert out.getvalue() == "データベースにデータがあるため、読み込みを省略しました。\n"
    assert statuses() == {2024: "archived", 2025: "published"}
    # Without it, the fixtures' 2024 row (公開) is refused, not applied.
    with pytest.raises(CommandError):
        call_command("load_handbook", stdout=io.StringIO(), stderr=io.StringIO())
    assert statuses() == {2024: "archived", 2025: "published"}


def test_editor_group_is_editable_by_superusers_only(client, superuser):
    call_command("setup_roles", verbosity=0)
    department = Department.objects.get(name="経営支援部")
    url = f"/admin/contacts/department/{department.pk}/change/"
    client.force_login(staff_in("データ取込担当"))
    assert "editor_group" not in client.get(url).context["adminform"].form.fields
    client.force_login(superuser)
    assert "editor_group" in client.get(url).context["adminform"].form.fields
