import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'smrj_portal.settings');"
    "from django.conf import settings; django.setup(); print('DEBUG', settings.DEBUG)"
)


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_debug_is_off_by_default():
    result = run_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


def test_secret_key_is_required_without_debug():
    result = run_settings()
    assert result.returncode != 0
    assert "SECRET_KEY が設定されていません" in result.stderr


def test_debug_runs_without_secret_key_for_development():
    result = run_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "DEBUG True" in result.stdout


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

    module = importlib.import_module("smrj_portal.settings")
    backend = module.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # collectstatic with the production storage writes hashed, compressed files and a manifest
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
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
