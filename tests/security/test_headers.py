"""Security headers on public and admin pages, secure cookies, and a Content-Security-Policy
that the admin and the CSV import screens can live with (no inline scripts anywhere)."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from csvimport.models import ImportBatch
from programs.models import Program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

PUBLIC_URLS = [
    "/",
    "/programs/",
    "/programs/?chapter=5&support_type=1",
    "/programs/?q=%E4%BA%8B%E6%A5%AD%E6%89%BF%E7%B6%99",
    "/programs/hands-on-it/",
    "/index/",
    "/offices/",
    "/offices/chugoku/",
    "/prefectures/",
    "/prefectures/33/",
    "/programs.csv",
    "/programs.json",
    "/robots.txt",
    "/sitemap.xml",
]


def csp(response):
    """The policy as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_security_headers(response, url):
    assert response.status_code == 200, url
    policy = csp(response)
    assert policy["default-src"] == ["'self'"], url
    assert policy["script-src"] == ["'self'"], url  # no 'unsafe-inline', no 'unsafe-eval'
    assert "'unsafe-inline'" not in policy["style-src"], url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert policy["object-src"] == ["'none'"], url
    assert response.headers["X-Content-Type-Options"] == "nosniff", url
    assert response.headers["Referrer-Policy"] == "same-origin", url
    assert response.headers["X-Frame-Options"] == "DENY", url
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", url


def assert_no_inline_code(html, url):
    """What a strict policy would block: inline <script>, on…= handlers, javascript: links,
    inline <style> and style="" attributes."""
    # A JSON-LD block (type="application/ld+json") is data, never run: CSP does not apply.
    inline_scripts = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if not re.search(r"\bsrc=", tag) and tag != '<script type="application/ld+json">'
    ]
    assert not inline_scripts, (url, inline_scripts)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), url
    assert "javascript:" not in html, url
    assert "<style" not in html, url
    assert not re.search(r"<[^>]+\sstyle\s*=", html), url


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_send_every_security_header(client, url):
    response = client.get(url, secure=True)
    assert_security_headers(response, url)
    # HSTS (at least a year) is sent over HTTPS
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 60 * 60
    assert "includeSubDomains" in hsts
    if response["Content-Type"].startswith("text/html"):
        assert_no_inline_code(response.content.decode(), url)


def admin_urls():
    program = Program.objects.get(code="hands-on-it")
    edition = program.edition
    return [
        f"/admin/programs/edition/{edition.pk}/changes/",
        "/admin/",
        "/admin/programs/program/",
        "/admin/programs/program/?q=IT",
        f"/admin/programs/program/{program.pk}/change/",
        "/admin/programs/program/add/",
        f"/admin/programs/program/{program.pk}/history/",
        "/admin/programs/program/import/",
        "/admin/programs/program/export/",
        "/admin/contacts/section/import/",
        "/admin/contacts/regionaldesk/",
        "/admin/csvimport/importbatch/",
        "/admin/auth/user/",
        "/admin/password_change/",
    ]


def test_admin_pages_send_every_security_header_and_work_without_inline_code(client, superuser):
    response = client.get("/admin/login/", secure=True)
    assert_security_headers(response, "/admin/login/")
    assert_no_inline_code(response.content.decode(), "/admin/login/")
    client.force_login(superuser)
    for url in admin_urls():
        response = client.get(url, secure=True)
        assert_security_headers(response, url)
        assert "Strict-Transport-Security" in response.headers, url
        html = response.content.decode()
        assert_no_inline_code(html, url)
        # every script the page uses is a file on this site
        for src in re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html):
            assert src.startswith("/"), (url, src)


def test_admin_import_preview_and_confirm_work_under_the_policy(client, superuser):
    client.force_login(superuser)
    data = "コード,担当部門,課・室名,電話番号,メールアドレス\r\nnew-sec,経営支援部,テスト課,,\r\n"
    response = client.post(
        "/admin/contacts/section/import/",
        {"file": SimpleUploadedFile("s.csv", data.encode("cp932")), "encoding": "auto"},
        secure=True,
    )
    assert response.status_code == 302
    preview = client.get(response["Location"], secure=True)
    assert_security_headers(preview, "preview")
    assert_no_inline_code(preview.content.decode(), "preview")
    assert "新規 1件" in preview.content.decode()
    batch = ImportBatch.objects.get()
    done = client.post(f"/admin/contacts/section/import/{batch.pk}/", secure=True)
    assert done.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


def test_the_500_page_inline_style_is_allowed_by_its_hash():
    html = (Path(settings.BASE_DIR) / "templates" / "500.html").read_text(encoding="utf-8")
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    expected = f"'sha256-{digest}'"
    assert expected == settings.ERROR_PAGE_STYLE_HASH, (
        f'templates/500.html changed: set ERROR_PAGE_STYLE_HASH = "{expected}"'
    )
    assert expected in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert not re.search(r"<script", html)


def test_session_and_csrf_cookies_are_secure_and_http_only(client, superuser):
    response = client.get("/admin/login/", secure=True)
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        "/admin/login/",
        {
            "username": "chief",
            "password": "pw",
            "csrfmiddlewaretoken": csrf.value,
        },
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/programs/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/programs/"
