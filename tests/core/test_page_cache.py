"""The public page cache: served to anonymous visitors, expired by every change of the data."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command

from core.page_cache import VERSION_KEY
from csvimport import csvio
from csvimport.pipeline import run_import
from programs.models import Program
from programs.resources import ProgramResource

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def test_second_anonymous_request_is_served_from_the_cache(
    client, handbook, cached, django_assert_max_num_queries
):
    first = client.get("/programs/?chapter=5")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(1):  # the content version and the page, in one query
        second = client.get("/programs/?chapter=5")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second  # headers are still added to cached pages


def test_an_admin_edit_expires_the_cached_pages(
    client, handbook, cached, django_capture_on_commit_callbacks
):
    url = "/programs/it-introduction-subsidy/"
    assert "IT" in client.get(url).content.decode()
    program = Program.objects.get(code="it-introduction-subsidy")
    with django_capture_on_commit_callbacks(execute=True):
        program.tagline = "キャッシュ確認用の新しいキャッチコピー"
        program.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "キャッシュ確認用の新しいキャッチコピー" in response.content.decode()


def test_a_csv_import_expires_the_cached_pages(
    client, handbook, cached, django_capture_on_commit_callbacks
):
    client.get("/programs/")
    headers, rows = ProgramResource().export_rows(Program.objects.filter(code="fastar"))
    row = list(rows[0])
    row[headers.index("キャッチコピー")] = "一括取り込みで変わったキャッチコピー"
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(ProgramResource(), csvio.write(headers, [row]), dry_run=False)
    assert report.counts["changed"] == 1
    body = client.get("/programs/?q=FASTAR").content.decode()
    assert "一括取り込みで変わったキャッチコピー" in body


def test_a_rolled_back_import_keeps_the_cache(
    client, handbook, cached, django_capture_on_commit_callbacks
):
    """A file with one good change and one bad row goes in not at all: the pages stay cached
    (the commit callbacks of the test's transaction are run, as a real commit would)."""
    assert client.get("/programs/")["X-Page-Cache"] == "miss"
    headers, rows = ProgramResource().export_rows(Program.objects.filter(code="fastar"))
    changed = list(rows[0])
    changed[headers.index("キャッチコピー")] = "取り消されるキャッチコピー"
    broken = list(rows[0])
    broken[headers.index("事業コード")] = "fastar-copy"
    broken[headers.index("経営課題")] = "99"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        data = csvio.write(headers, [changed, broken])
        report = run_import(ProgramResource(), data, dry_run=False)
    assert report.counts == {"new": 0, "changed": 1, "unchanged": 0, "error": 1}
    assert callbacks == []
    assert client.get("/programs/")["X-Page-Cache"] == "hit"
    assert "取り消されるキャッチコピー" not in client.get("/programs/?q=FASTAR").content.decode()


def test_a_lost_version_never_brings_back_a_page_from_before_an_edit(
    client, handbook, cached, django_capture_on_commit_callbacks
):
    """The version entry can be lost (the cache culled or cleared). A page kept while it was
    missing must not be served once an edit has happened and the entry is lost again."""
    url = "/programs/it-introduction-subsidy/"
    cache.delete(VERSION_KEY)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert cache.get(VERSION_KEY) is not None  # recorded when found missing
    program = Program.objects.get(code="it-introduction-subsidy")
    with django_capture_on_commit_callbacks(execute=True):
        program.tagline = "版の記録が消えた後のキャッチコピー"
        program.save()
    cache.delete(VERSION_KEY)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "版の記録が消えた後のキャッチコピー" in response.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_staff_always_get_fresh_pages(client, handbook, cached):
    client.force_login(User.objects.create_user("staff", password="pw", is_staff=True))
    client.get("/programs/")
    response = client.get("/programs/")
    assert "X-Page-Cache" not in response


def test_errors_and_redirects_are_not_cached(client, handbook, cached):
    assert client.get("/programs/no-such-program/").status_code == 404
    assert "X-Page-Cache" not in client.get("/programs/no-such-program/")
    assert client.get("/programs/?chapter=").status_code == 302


def test_migrate_creates_the_cache_table(db):
    from django.db import connection

    call_command("createcachetable", dry_run=True)
    assert "portal_cache" in connection.introspection.table_names()


# --- headers, keys and revalidation (issue 13) -------------------------------------------------


def test_a_cached_csv_keeps_its_file_name_and_cors(client, handbook, cached):
    first = client.get("/programs.csv", {"chapter": "5"})
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/programs.csv", {"chapter": "5"})
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Disposition"] == 'attachment; filename="smrj-programs-2024.csv"'
    assert second["Access-Control-Allow-Origin"] == "*"
    assert second["Content-Type"] == "text/csv; charset=utf-8"
    assert second.content == first.content
    json_hit = [client.get("/programs.json") for _ in range(2)][1]
    assert json_hit["X-Page-Cache"] == "hit"
    assert json_hit["Access-Control-Allow-Origin"] == "*"


def test_304_on_if_none_match_for_a_cached_csv(
    client, handbook, cached, django_assert_max_num_queries
):
    first = client.get("/programs.csv")
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, max-age=300"
    with django_assert_max_num_queries(1):  # from the page cache
        again = client.get("/programs.csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    changed = client.get("/programs.csv", HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200


def test_last_modified_moves_with_the_data(
    client, handbook, cached, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Program.objects.filter(code="hands-on-it").get().save()
    first = client.get("/programs/")
    modified = first["Last-Modified"]
    assert client.get("/programs/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_the_key_is_the_scheme_and_the_canonical_parameters(client, handbook, cached):
    assert client.get("/prefectures/33/?program=hands-on-it&x=")["X-Page-Cache"] == "miss"
    # Same parameters, another order, an empty one and a tracking one: the same page.
    again = client.get("/prefectures/33/?utm_source=mail&program=hands-on-it")
    assert again["X-Page-Cache"] == "hit"
    # HTTPS is another page (its links and canonical URL say https).
    secure = client.get("/prefectures/33/?program=hands-on-it", secure=True)
    assert secure["X-Page-Cache"] == "miss"


def test_gzip_for_anonymous_visitors_only(client, handbook):
    response = client.get("/programs.json", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = client.get("/programs/", HTTP_ACCEPT_ENCODING="gzip")
    assert html["Content-Encoding"] == "gzip"
    user = User.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(user)
    staff = client.get("/programs/", HTTP_ACCEPT_ENCODING="gzip")
    assert not staff.has_header("Content-Encoding")
    assert not staff.has_header("Cache-Control") or "public" not in staff["Cache-Control"]


def cache_rows():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portal_cache")
        return cursor.fetchone()[0]


def test_unknown_parameters_are_dropped_and_the_clean_page_served(
    client, handbook, cached, django_assert_max_num_queries
):
    client.get("/programs/")  # the version and one page stored
    before = cache_rows()
    for i in range(20):
        with django_assert_max_num_queries(1):  # never rendered: the clean page's entry
            response = client.get(f"/programs/?junk{i}={i}")
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"
        assert f"junk{i}" not in response.content.decode()
    assert cache_rows() == before
    # Known parameters are still stored, tracking parameters still ignored.
    assert client.get("/programs/?chapter=5")["X-Page-Cache"] == "miss"
    assert client.get("/programs/?chapter=5&utm_source=mail")["X-Page-Cache"] == "hit"
    assert cache_rows() == before + 1


def test_a_junk_parameter_cannot_make_a_whole_edition_page_render_each_time(
    client, handbook, cached, django_assert_max_num_queries
):
    # The 索引 lists every program: rendered once, by the first request, junk or not.
    first = client.get("/index/?x=0")
    assert first["X-Page-Cache"] == "miss"
    assert "x=0" not in first.content.decode()
    for i in range(1, 5):
        with django_assert_max_num_queries(1):
            assert client.get(f"/index/?x={i}")["X-Page-Cache"] == "hit"
    assert client.get("/index/")["X-Page-Cache"] == "hit"


def test_an_export_still_names_a_parameter_it_does_not_take(client, handbook, cached):
    response = client.get("/programs.json?color=red")
    assert response.status_code == 400
    assert "パラメーター「color」は使えません" in response.json()["error"]
    assert client.get("/open-data/offices.json?limit=5").status_code == 400


def test_a_large_page_is_kept_only_at_its_address_without_parameters(
    client, handbook, cached, settings
):
    settings.PUBLIC_PAGE_CACHE_MAX_BYTES = 100_000
    whole = client.get("/programs.json")
    assert len(whole.content) > settings.PUBLIC_PAGE_CACHE_MAX_BYTES
    assert whole["X-Page-Cache"] == "miss"
    assert client.get("/programs.json")["X-Page-Cache"] == "hit"
    before = cache_rows()
    # Each keyword or filter combination of the export is a new address: answered, not kept.
    for query in ("area=national", "q=支援", "q=支援+事業"):
        export = client.get(f"/programs.json?{query}")
        assert export.status_code == 200
        assert len(export.content) > settings.PUBLIC_PAGE_CACHE_MAX_BYTES
        assert "X-Page-Cache" not in export
    assert cache_rows() == before
    # A page under the limit is kept with its parameters as before.
    assert client.get("/programs/?area=national")["X-Page-Cache"] == "miss"
    assert client.get("/programs/?area=national")["X-Page-Cache"] == "hit"


def test_a_parameter_the_page_does_not_read_is_dropped_before_it_is_made(
    client, handbook, cached, django_assert_max_num_queries
):
    # A tracking parameter on a page kept for everyone must not reach its links (a download
    # link carrying utm_source answers 400); q means nothing to the 索引 or a prefecture page.
    first = client.get("/programs/?utm_source=MARK&fbclidMARK=1")
    assert first["X-Page-Cache"] == "miss"
    assert "MARK" not in first.content.decode()
    assert "MARK" not in client.get("/programs/").content.decode()
    for url in ("/index/", "/prefectures/33/", "/feeds/programs.atom", "/sitemap.xml"):
        client.get(url)
        before = cache_rows()
        for i in range(3):
            with django_assert_max_num_queries(1):
                response = client.get(f"{url}?q=z{i}&sort=z{i}&page={i + 2}")
            assert response["X-Page-Cache"] == "hit", url
        assert cache_rows() == before
    # What a page reads still makes a page of its own.
    assert client.get("/prefectures/33/?program=hands-on-it")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("host", ["testserver:1", "testserver:080", "TESTSERVER", "testserver."])
def test_another_spelling_of_the_host_is_answered_but_never_kept(client, handbook, cached, host):
    # Django admits each as the same host; each would be a cache entry of its own (the 索引 or
    # the whole export, again and again), and a page's absolute links carry the host.
    client.get("/index/")
    before = cache_rows()
    for path in ("/index/", "/programs.json"):
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
    assert cache_rows() == before
    assert client.get("/index/")["X-Page-Cache"] == "hit"
