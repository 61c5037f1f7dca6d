"""What the public must never see: draft editions, retired programs, editorial notes; and the
Japanese error pages."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from programs.models import Chapter, Edition, Program
from tests.conftest import body
from tests.factories import EditionFactory, ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

PUBLIC_URLS = [
    "/",
    "/programs/",
    "/programs/?q=%E3%83%89%E3%83%A9%E3%83%95%E3%83%88",
    "/index/",
    "/programs.csv",
    "/programs.json",
    "/sitemap.xml",
    "/offices/chugoku/",
    "/prefectures/33/",
]


@pytest.fixture
def draft():
    """A 2025 edition being prepared: a new program and a changed copy of a 2024 one."""
    edition = EditionFactory(year=2025, status=Edition.Status.DRAFT, published_on=None)
    chapter = Chapter.objects.get(number=1)
    new = ProgramFactory(
        edition=edition,
        code="draft-only-program",
        name="ドラフト限定事業",
        chapter=chapter,
        number=99,
        editorial_note="下書きの編集メモ",
    )
    changed = Program.objects.get(edition__year=2024, code="hands-on-it")
    changed.pk = None
    changed.edition = edition
    changed.name = "ドラフト版ハンズオン支援事業（IT）"
    changed.save()
    return edition, new, changed


def test_draft_edition_is_invisible_to_the_public(client, draft):
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "ドラフト限定事業" not in body(response), url
        assert "ドラフト版" not in body(response), url
        assert "draft-only-program" not in body(response), url
    assert client.get("/programs/draft-only-program/").status_code == 404
    assert client.get("/2025/programs/draft-only-program/").status_code == 404
    assert client.get("/2025/programs/hands-on-it/").status_code == 404
    # The public still gets the published 2024 page.
    assert "ハンズオン支援事業（IT）" in body(client.get("/programs/hands-on-it/"))
    assert client.get("/").context["current_edition"].year == 2024


def test_draft_counts_are_not_in_the_home_page(client, draft):
    chapters = {c.number: c.program_count for c in client.get("/").context["chapters"]}
    assert chapters[1] == 10


def test_staff_may_preview_a_draft_program(client, draft, django_user_model):
    staff = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get("/2025/programs/draft-only-program/")
    assert response.status_code == 200
    assert "下書き：令和7年度版（未公開）" in body(response)
    assert "下書きの編集メモ" not in body(response)


def test_retired_programs_leave_the_current_lists(client):
    program = Program.objects.get(edition__year=2024, code="hands-on-it")
    program.status = Program.Status.RETIRED
    program.save()
    # Its address without a year says that it ended, and where its last version is (410 Gone).
    gone = client.get("/programs/hands-on-it/")
    assert gone.status_code == 410
    assert "令和6年度版</strong>をもって掲載を終了しました" in body(gone)
    assert 'href="/2024/programs/hands-on-it/"' in body(gone)
    for url in ("/programs/", "/programs/?q=%E3%83%8F%E3%83%B3%E3%82%BA%E3%82%AA%E3%83%B3"):
        assert "ハンズオン支援事業（IT）" not in body(client.get(url))
    assert "/programs/hands-on-it/" not in body(client.get("/sitemap.xml"))
    assert "hands-on-it" not in body(client.get("/programs.csv"))
    # Its archived page by year stays, marked as retired.
    archived = client.get("/2024/programs/hands-on-it/")
    assert archived.status_code == 200
    assert "この事業は廃止されました" in body(archived)


def test_no_published_edition_means_an_empty_directory(client):
    Edition.objects.update(status=Edition.Status.DRAFT)
    assert client.get("/").status_code == 200
    assert client.get("/programs/").context["paginator"].count == 0
    assert client.get("/programs/hands-on-it/").status_code == 404
    data = client.get("/programs.json").json()
    assert (data["edition"], data["count"], data["programs"]) == (None, 0, [])


def test_404_page_is_japanese(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = body(response)
    assert '<html lang="ja">' in html
    assert "お探しのページが見つかりません" in html
    assert 'action="/programs/"' in html  # a way on: search, home, 索引, prefectures


def test_500_page_is_japanese_and_needs_nothing_else():
    html = render_to_string("500.html")
    assert '<html lang="ja">' in html
    assert "ただいまページを表示できません" in html
    assert "{%" not in html and "<link" not in html  # no database, no static files


def test_server_error_uses_the_japanese_page(settings):
    settings.ROOT_URLCONF = "tests.programs.urls_error"
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "ただいまページを表示できません" in body(response)
