"""The yearly edition in the admin: copy to next year, import into a draft, the change report and
its CSV, and publishing (only with the publish_edition permission)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from csvimport import csvio
from csvimport.models import ImportBatch
from programs.models import Edition, Program
from tests.editions_data import NEW, NEW_NAME, OLD_NAME, REMOVED, RENAMED, next_year_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

CHANGELIST = "/admin/programs/edition/"
IMPORT = "/admin/programs/program/import/"


@pytest.fixture
def importer():
    """The データ取込担当 role: everything but deleting and publishing."""
    call_command("setup_roles", verbosity=0)
    user = User.objects.create_user("importer", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="データ取込担当"))
    return user


def edition(year):
    return Edition.objects.get(year=year)


def action(client, name, *editions, **extra):
    data = {"action": name, ACTION_CHECKBOX_NAME: [e.pk for e in editions], **extra}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def import_draft(client, year=2025):
    """Upload next year's CSV into the draft from the admin, then confirm the preview."""
    draft = edition(year)
    upload = SimpleUploadedFile("programs-2025.csv", next_year_csv())
    response = client.post(IMPORT, {"file": upload, "encoding": "auto", "edition": draft.pk})
    batch = ImportBatch.objects.latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == f"{IMPORT}{batch.pk}/"
    return batch


def test_copy_action_starts_next_years_draft(client, superuser):
    client.force_login(superuser)
    response = action(client, "copy_to_next_year", edition(2024))
    assert response.redirect_chain[-1][0] == f"{CHANGELIST}{edition(2025).pk}/change/"
    assert messages_of(response) == [
        "令和7年度版（下書き）を作成し、令和6年度版の事業74件をコピーしました。"
        "事業・制度の画面で編集し、「変更点を見る」で確認してから公開してください。"
    ]
    draft = edition(2025)
    assert draft.status == Edition.Status.DRAFT
    assert draft.title == "令和7年度版「中小機構総合ハンドブック」"
    assert Program.objects.filter(edition=draft).count() == 74
    assert LogEntry.objects.filter(object_id=str(draft.pk), action_flag=1).exists()
    # Once is enough; two at a time is refused.
    response = action(client, "copy_to_next_year", edition(2024))
    assert messages_of(response) == ["令和7年度版はすでにあります（状態：下書き）。"]
    response = action(client, "copy_to_next_year", edition(2024), edition(2025))
    assert messages_of(response) == ["コピーする版を1つだけ選んでください。"]
    assert Edition.objects.count() == 2


def test_import_into_a_draft_from_the_admin_then_review_the_changes(client, superuser):
    client.force_login(superuser)
    call_command("start_edition", "2025", verbosity=0)
    form = client.get(IMPORT).context["form"]
    # Only drafts can be chosen as the target.
    assert [str(e) for e in form.fields["edition"].queryset] == ["令和7年度版"]
    batch = import_draft(client)
    assert batch.target == "2025"
    preview = client.get(f"{IMPORT}{batch.pk}/")
    assert "取り込み先：<strong>令和7年度版（下書き）</strong>" in preview.content.decode()
    assert "新規 74件 / 変更 0件 / 変更なし 0件 / エラー 0件" in preview.content.decode()
    assert not Program.objects.filter(edition__year=2025).exists()

    response = client.post(f"{IMPORT}{batch.pk}/")
    changes_url = f"{CHANGELIST}{edition(2025).pk}/changes/"
    assert response.status_code == 302 and response["Location"] == changes_url
    assert Program.objects.filter(edition__year=2025).count() == 74

    page = client.get(changes_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "新規 1件 / 廃止 1件 / 変更 2件 / 変更なし 71件" in html
    assert f"<del>{OLD_NAME}</del>" in html and f"<ins>{NEW_NAME}</ins>" in html
    assert REMOVED in html and NEW in html
    assert "令和7年度版を公開する（確認画面へ）" in html  # the superuser may publish
    # The changelist links every edition to its report.
    assert f'href="{changes_url}"' in client.get(CHANGELIST).content.decode()

    # Re-importing the same file: zero changes.
    batch = import_draft(client)
    assert (batch.new_count, batch.changed_count, batch.unchanged_count) == (0, 0, 74)


def test_admin_import_into_a_published_edition_is_not_offered(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("p.csv", next_year_csv(year="2024"))
    response = client.post(
        IMPORT, {"file": upload, "encoding": "auto", "edition": edition(2024).pk}
    )
    assert response.status_code == 200
    assert "edition" in response.context["form"].errors
    assert ImportBatch.objects.count() == 0


def test_a_preview_confirmed_after_publishing_writes_nothing(client, superuser):
    client.force_login(superuser)
    call_command("start_edition", "2025", "--copy-from", "2024", verbosity=0)
    batch = import_draft(client)
    call_command("publish_edition", "2025", verbosity=0)
    response = client.post(f"{IMPORT}{batch.pk}/", follow=True)
    assert "エラーがあったため、何も取り込んでいません。" in messages_of(response)
    assert "令和7年度版は「公開」のため取り込めません" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert Program.objects.get(edition__year=2025, code=RENAMED).name == OLD_NAME


def test_changes_csv_download_is_excel_safe(client, superuser):
    client.force_login(superuser)
    call_command("start_edition", "2025", verbosity=0)
    import_draft(client)
    client.post(f"{IMPORT}{ImportBatch.objects.latest('created_at').pk}/")
    response = client.get(f"{CHANGELIST}{edition(2025).pk}/changes.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="edition-2025-changes-' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, rows = csvio.read_rows(response.content.decode("utf-8-sig"))
    assert header[:4] == ["区分", "事業コード", "事業・制度名", "項目"]
    assert sorted(r[0] for _line, r in rows) == ["変更", "変更", "廃止", "新規"]
    # Compared with another edition on request.
    page = client.get(f"{CHANGELIST}{edition(2024).pk}/changes/?against=2025")
    assert "令和6年度版（公開）を令和7年度版（下書き）と比べた" in page.content.decode()


def test_publish_action_confirms_then_switches(client, superuser):
    client.force_login(superuser)
    call_command("start_edition", "2025", "--copy-from", "2024", verbosity=0)
    confirm = action(client, "publish_selected", edition(2025))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "令和7年度版を公開しますか？" in html
    assert "令和6年度版：公開 → <strong>アーカイブ</strong>" in html
    assert edition(2025).status == Edition.Status.DRAFT  # nothing yet

    done = action(client, "publish_selected", edition(2025), post="yes")
    assert edition(2025).status == Edition.Status.PUBLISHED
    assert edition(2024).status == Edition.Status.ARCHIVED
    (message,) = messages_of(done)
    assert message.startswith("令和7年度版を公開しました（公開日：")
    assert "令和6年度版はアーカイブになり" in message
    assert LogEntry.objects.filter(object_id=str(edition(2025).pk), change_message="公開").exists()
    # Publishing what is already published is refused with a message.
    again = action(client, "publish_selected", edition(2025), post="yes")
    assert messages_of(again) == ["令和7年度版はすでに公開されています。"]


def test_publishing_needs_the_publish_permission(client, importer):
    call_command("start_edition", "2025", "--copy-from", "2024", verbosity=0)
    client.force_login(importer)
    changelist = client.get(CHANGELIST)
    choices = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "copy_to_next_year" in choices and "publish_selected" not in choices
    action(client, "publish_selected", edition(2025), post="yes")
    assert edition(2025).status == Edition.Status.DRAFT
    assert edition(2024).status == Edition.Status.PUBLISHED
    # The change report is readable, without a publish button; the state is not editable.
    report = client.get(f"{CHANGELIST}{edition(2025).pk}/changes/").content.decode()
    assert "新規 0件 / 廃止 0件 / 変更 0件 / 変更なし 74件" in report
    assert "公開する（確認画面へ）" not in report
    change = client.get(f"{CHANGELIST}{edition(2025).pk}/change/")
    assert "status" not in change.context["adminform"].form.fields
    # Importing editions.csv could set 状態 to 公開, so it needs the permission too.
    assert client.get(f"{CHANGELIST}import/").status_code == 403

    importer.user_permissions.add(Permission.objects.get(codename="publish_edition"))
    importer = User.objects.get(pk=importer.pk)  # fresh permission cache
    client.force_login(importer)
    action(client, "publish_selected", edition(2025), post="yes")
    assert edition(2025).status == Edition.Status.PUBLISHED


def test_change_report_needs_view_permission(client):
    user = User.objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(f"{CHANGELIST}{edition(2024).pk}/changes/").status_code == 403
    assert client.get(f"{CHANGELIST}{edition(2024).pk}/changes.csv").status_code == 403
