"""Program text containing HTML or script is shown as text — escaped — on every public page and
in the admin, whoever typed it (an editor, or a CSV from an unknown source)."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Department, RegionalDesk
from programs.models import Chapter, Edition, Program, SupportType
from tests.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

SCRIPT = '<script>alert("xss")</script>'
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"危険な{SCRIPT}入力{IMG}"
RAW = ["<script>alert(", "<img src=x", "<img src=x onerror"]
ESCAPED = "&lt;script&gt;alert("


@pytest.fixture
def hostile_program():
    program = ProgramFactory(
        edition=Edition.objects.get(year=2024),
        code="xss-program",
        chapter=Chapter.objects.get(number=1),
        number=99,
        support_type=SupportType.objects.get(number=1),
        department=Department.objects.order_by("pk").first(),
        name=f"事業{PAYLOAD}",
        toc_name=PAYLOAD,
        tagline=f"IT導入{PAYLOAD}",
        index_heading="あ",
        reading="あいてぃーどうにゅう",
        target=f"・{PAYLOAD}\n（１）{PAYLOAD}\n{PAYLOAD} https://example.jp/{SCRIPT}",
        points=PAYLOAD,
        flow=PAYLOAD,
        results=PAYLOAD,
        period=PAYLOAD,
        fee=PAYLOAD,
        contact_name=PAYLOAD,
        contact_phones=f"{PAYLOAD}：03-0000-0000",
        contact_note=PAYLOAD,
        urls=f"https://example.jp/{SCRIPT}\njavascript:alert(1)",
        editorial_note=PAYLOAD,
    )
    desk = RegionalDesk.objects.get(code="hokkaido-01")
    desk.program_codes += f"\n{program.code}"
    desk.save()
    return program


def assert_escaped(response, url, expect_text=True):
    assert response.status_code == 200, url
    body = response.content.decode("utf-8-sig")
    for raw in RAW:
        assert raw not in body, (url, raw)
    assert 'href="javascript:' not in body, url
    if expect_text:
        assert ESCAPED in body, url


PUBLIC_PAGES = [
    "/",
    "/programs/",
    "/programs/?q=%E5%8D%B1%E9%99%BA",  # 危険
    "/programs/?chapter=1&support_type=1",
    "/programs/xss-program/",
    "/2024/programs/xss-program/",
    "/2024/programs/",
    "/index/",
    "/offices/hokkaido/",
    "/prefectures/01/?program=xss-program",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_escape_program_text(client, hostile_program, url):
    response = client.get(url, secure=True)
    # The home page lists no program names; every other page shows the hostile name.
    assert_escaped(response, url, expect_text=url != "/")


def test_the_list_of_changes_between_editions_escapes_program_text(client, hostile_program):
    import datetime

    # One published edition at a time (edition_one_published): 2024 is archived first.
    Edition.objects.filter(status=Edition.Status.PUBLISHED).update(status=Edition.Status.ARCHIVED)
    edition = Edition.objects.create(
        year=2025, title="令和7年度版", status=Edition.Status.PUBLISHED,
        published_on=datetime.date(2025, 6, 1),
    )  # fmt: skip
    hostile_program.pk = None
    hostile_program.edition = edition
    hostile_program.code = "xss-program-2025"
    hostile_program.save()
    for url in ("/2025/changes/", "/programs/xss-program-2025/", "/"):
        assert_escaped(client.get(url, secure=True), url, expect_text=url != "/")


def test_open_data_is_not_served_as_html(client, hostile_program):
    for url in ("/programs.csv", "/programs.json"):
        response = client.get(url, secure=True)
        assert not response["Content-Type"].startswith("text/html"), url
        assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_pages_escape_program_text(client, hostile_program):
    client.force_login(User.objects.create_superuser("chief", "c@example.jp", "pw"))
    pk = hostile_program.pk
    for url in (
        "/admin/programs/program/",
        "/admin/programs/program/?q=%E5%8D%B1%E9%99%BA",
        f"/admin/programs/program/{pk}/change/",
        f"/admin/programs/program/{pk}/history/",
        f"/admin/programs/program/{pk}/delete/",
        "/admin/contacts/regionaldesk/",
    ):
        response = client.get(url, secure=True)
        assert_escaped(response, url, expect_text=url != "/admin/contacts/regionaldesk/")


def test_import_preview_escapes_cells_and_changes(client):
    client.force_login(User.objects.create_superuser("chief", "c@example.jp", "pw"))
    csv_text = (
        "コード,担当部門,課・室名,電話番号,メールアドレス\r\n"
        f'x-1,経営支援部,"{PAYLOAD.replace(chr(34), chr(34) * 2)}",,\r\n'
        f"x-2,{SCRIPT},課,,\r\n"
    )
    response = client.post(
        "/admin/contacts/section/import/",
        {"file": SimpleUploadedFile(f"{SCRIPT}.csv", csv_text.encode()), "encoding": "auto"},
        secure=True,
    )
    assert response.status_code == 302
    preview = client.get(response["Location"], secure=True)
    assert_escaped(preview, "preview")
    assert Program.objects.filter(code="x-1").count() == 0
