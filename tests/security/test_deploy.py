"""Production readiness: `check --deploy` is clean under production settings, /healthz reports
the database, logs are one JSON object per line."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from core.logging import JsonFormatter

ROOT = Path(__file__).resolve().parent.parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qp2!vX9$mL4@wR8^tZ1&nB6*yH3(cF5)jD0_gS2+eA7=uN4-oI9~rT1%",
    "ALLOWED_HOSTS": "portal.example.go.jp",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.go.jp",
    "BEHIND_PROXY": "1",
    "TRUSTED_PROXY_COUNT": "1",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_complains_about_a_short_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": "short"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers():
    # Probed by IP over plain HTTP: no host check, no HTTPS redirect.
    client = Client(HTTP_HOST="10.0.0.17:8000")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert client.get("/healthz/").status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


@pytest.mark.django_db
def test_every_request_is_logged_as_json(caplog):
    with caplog.at_level(logging.INFO, logger="smrj_portal.request"):
        Client(REMOTE_ADDR="192.0.2.44").get("/robots.txt", secure=True)
    record = next(r for r in caplog.records if r.name == "smrj_portal.request")
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["logger"] == "smrj_portal.request"
    assert data["level"] == "INFO"
    assert data["method"] == "GET"
    assert data["path"] == "/robots.txt"
    assert data["status"] == 200
    assert data["client_ip"] == "192.0.2.44"
    assert isinstance(data["duration_ms"], float)
    assert data["message"] == "GET /robots.txt 200"


def test_the_log_handler_writes_json_to_stdout(settings):
    handler = settings.LOGGING["handlers"]["stdout"]
    assert handler["stream"] == "ext://sys.stdout"
    assert settings.LOGGING["formatters"]["json"]["()"] == "core.logging.JsonFormatter"
    stream = io.StringIO()
    log = logging.getLogger("smrj_portal.test")
    h = logging.StreamHandler(stream)
    h.setFormatter(JsonFormatter())
    log.addHandler(h)
    try:
        try:
            raise ValueError("例外")
        except ValueError:
            log.exception("失敗しました", extra={"batch": 3})
    finally:
        log.removeHandler(h)
    data = json.loads(stream.getvalue())
    assert data["message"] == "失敗しました" and data["batch"] == 3
    assert "ValueError: 例外" in data["exc_info"]


@pytest.mark.django_db
def test_a_refused_host_is_one_warning_line_without_a_traceback(client):
    """Django logs a refused Host as an ERROR with its traceback: 40 lines an attacker could
    buy with one request. The portal's handler writes one WARNING line (tests the real
    handler configured from settings.LOGGING)."""
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    try:
        assert client.get("/", HTTP_HOST="attacker.example").status_code == 400
    finally:
        handler.setStream(old_stream)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    refused = [line for line in lines if line["logger"] == "django.security.DisallowedHost"]
    assert len(refused) == 1
    assert refused[0]["level"] == "WARNING"
    assert "exc_info" not in refused[0]
    assert "attacker.example" in refused[0]["message"]
    # Other errors keep their level and traceback.
    stream = io.StringIO()
    handler.setStream(stream)
    try:
        try:
            raise ValueError("例外")
        except ValueError:
            logging.getLogger("smrj_portal.test").exception("失敗しました")
    finally:
        handler.setStream(old_stream)
    [line] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["level"] == "ERROR" and "ValueError: 例外" in line["exc_info"]


def test_app_servers_keep_no_local_state(settings):
    # sessions and login failures in the database; uploads read in memory and kept in the DB
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= 5 * 1024 * 1024
