"""pytest's settings (pyproject.toml passes --ds, so the shell's DJANGO_SETTINGS_MODULE, DEBUG or
SECRET_KEY cannot change them): production's security settings, pinned here rather than read
from the environment. Only DATABASE_URL is taken from the shell, so that CI runs the suite on
SQLite and on PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789-abcdefghij"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = []
TRUSTED_PROXY_COUNT = 0

# The test client and the browser tests' live server speak plain HTTP: the redirect is tested
# on its own (tests/security/test_headers.py switches it on). Everything else stays production's.
SECURE_SSL_REDIRECT = False

# Pinned query counts measure the real (uncached) work; tests/core/test_page_cache.py switches
# the public page cache on.
PUBLIC_PAGE_CACHE_SECONDS = 0

# The hashed-manifest storage needs collectstatic first; tests/test_settings.py covers it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Logins in tests need no key stretching; production keeps Django's default hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
