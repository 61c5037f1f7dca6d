"""Request bodies are bounded: an oversized one is refused (413) before anything reads it, and
no upload below the limit is ever written to the server's disk."""

import pytest
from django.core.files import uploadedfile
from django.http import multipartparser
from django.test import Client
from django.test.client import encode_multipart

pytestmark = pytest.mark.django_db

TOKEN = "A" * 32  # a self-made CSRF secret: the cookie and the form agree, so CSRF passes


def anonymous_client():
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = TOKEN
    return client


def multipart(size):
    upload = uploadedfile.SimpleUploadedFile("x.csv", b"a" * size)
    data = {"csrfmiddlewaretoken": TOKEN, "file": upload}
    return encode_multipart("BoUnDaRy", data), "multipart/form-data; boundary=BoUnDaRy"


def test_an_oversized_body_is_refused_unread(monkeypatch, settings):
    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", never)
    body, content_type = multipart(settings.MAX_REQUEST_BYTES + 1)
    response = anonymous_client().post("/admin/login/", body, content_type=content_type)
    assert response.status_code == 413
    assert "送信できる大きさを超えています" in response.content.decode()
    assert response["Connection"] == "close"


@pytest.mark.parametrize("url", ["/admin/login/", "/programs/", "/prefectures/"])
def test_uploads_under_the_limit_stay_in_memory(monkeypatch, settings, url):
    written = []
    original = uploadedfile.TemporaryUploadedFile.__init__

    def record(self, *args, **kwargs):
        written.append(args)
        original(self, *args, **kwargs)

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", record)
    # Just under the request limit: over Django's default 2.5 MB and the old 5 MB memory limit.
    body, content_type = multipart(settings.MAX_REQUEST_BYTES - 64 * 1024)
    response = anonymous_client().post(url, body, content_type=content_type)
    assert response.status_code != 413
    assert written == []


def test_the_limits_fit_together(settings):
    assert settings.FILE_UPLOAD_HANDLERS == [
        "django.core.files.uploadhandler.MemoryFileUploadHandler"
    ]
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.MAX_REQUEST_BYTES
