import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "from django.conf import settings; "
    "print('DEBUG', settings.DEBUG, 'SSL', settings.SECURE_SSL_REDIRECT, "
    "'COOKIE', settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
    "'HSTS', settings.SECURE_HSTS_SECONDS, 'KEY', len(settings.SECRET_KEY))"
)
SHELL_SETTINGS = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT"}


def run_settings(module=None, **env):
    """manage.py in a fresh interpreter with exactly this environment, loading `module` (or,
    without it, the settings manage.py chooses by default)."""
    clean = {k: v for k, v in os.environ.items() if k not in SHELL_SETTINGS}
    clean.update(env)
    if module is not None:
        clean["DJANGO_SETTINGS_MODULE"] = module
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_production_is_the_default_and_debug_is_off():
    result = run_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False SSL True COOKIE True True" in result.stdout


def test_debug_in_the_environment_does_not_switch_production_to_debug():
    result = run_settings("smrj_portal.settings.production", SECRET_KEY="x" * 50, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_secret_key_is_required_in_production():
    result = run_settings("smrj_portal.settings.production", DEBUG="1")
    assert result.returncode != 0
    assert "SECRET_KEY が設定されていません" in result.stderr


def test_development_settings_run_without_a_secret_key():
    result = run_settings("smrj_portal.settings.dev")
    assert result.returncode == 0, result.stderr
    assert "DEBUG True SSL False COOKIE False False" in result.stdout


def test_test_settings_pin_production_security_whatever_the_shell_says():
    result = run_settings(
        "smrj_portal.settings.test", DEBUG="1", SECRET_KEY="short", SECURE_SSL_REDIRECT="1"
    )
    assert result.returncode == 0, result.stderr
    # Only the HTTPS redirect is off: the test client and the live server speak plain HTTP.
    assert "DEBUG False SSL False COOKIE True True HSTS 31536000" in result.stdout
    assert "KEY 61" in result.stdout


def test_pytest_runs_on_the_test_settings(settings):
    from smrj_portal.settings import test as test_settings

    assert os.environ["DJANGO_SETTINGS_MODULE"] == "smrj_portal.settings.test"
    # (SETTINGS_MODULE itself reads None while another test's override_settings is active.)
    assert settings.SECRET_KEY == test_settings.SECRET_KEY
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True


def test_japanese_locale_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ is True


def test_database_url_selects_the_engine(monkeypatch):
    import dj_database_url

    parsed = dj_database_url.parse("postgres://root@127.0.0.1:5432/test")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"


def test_static_files_are_compressed_and_hashed(tmp_path):
    import importlib

    module = importlib.import_module("smrj_portal.settings.base")
    backend = module.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # collectstatic with the production storage writes hashed, compressed files and a manifest
    env = {
        **{k: v for k, v in os.environ.items() if k not in SHELL_SETTINGS},
        "SECRET_KEY": "x",
        "DJANGO_STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("css/site.*.css.gz"))


def test_development_login_is_refused_without_debug(db, settings):
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.DEBUG = False
    try:
        call_command("create_dev_user", "admin", "pw")
    except CommandError as exc:
        assert "DEBUG" in str(exc)
    else:
        raise AssertionError("create_dev_user must refuse under production settings")
    assert not User.objects.exists()
    settings.DEBUG = True
    call_command("create_dev_user", "admin", "pw")
    assert User.objects.get(username="admin").is_superuser
