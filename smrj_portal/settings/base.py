"""What every settings module shares: the apps, the middleware, Japanese locale, the security
defaults of production (dev.py relaxes them, test.py pins them) and the libraries' settings.

Only the database, the log level and tuning knobs are read from the environment here; the
secrets and host names are production.py's.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url

from .env import env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "import_export",
    "csp",
    # django-axes under a Japanese name in the admin (core.apps.AxesConfig).
    "core.apps.AxesConfig",
    # Ours, in dependency order: each may import only those above it.
    "core",
    "csvimport",
    "contacts",
    "programs",
]

MIDDLEWARE = [
    # First: answers /healthz before the host check and the HTTPS redirect (load balancers probe
    # app servers by IP over plain HTTP), and logs every other request as one JSON line.
    "core.middleware.HealthCheckMiddleware",
    "core.middleware.RequestLogMiddleware",
    # Before anything reads the body: an oversized request is refused unread (413).
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.BadInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses (anonymous responses only) what ConditionalGetMiddleware has tagged with an
    # ETag; a cached page passes through both, so it is revalidated (304) and compressed too.
    "core.page_cache.AnonymousGZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Needs request.user; its cached pages still pass out through the header middleware above.
    "core.page_cache.PublicPageCacheMiddleware",
    # Refuses logins from an address or for a user name with too many recent failures.
    "core.throttle.LoginThrottleMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a login while the user + IP pair is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "smrj_portal.urls"
WSGI_APPLICATION = "smrj_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "programs.context_processors.edition",
                "core.context_processors.seo",
            ],
        },
    },
]

# SQLite is the development default only; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
# Japanese for third-party apps that ship none (django-axes): locale/ja/LC_MESSAGES/django.po.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files are read in memory and kept in the database, never on a server's disk: a body
# over MAX_REQUEST_BYTES is refused before it is read (core.middleware), and below that the
# in-memory handler takes every upload (it takes a request whose whole body fits
# FILE_UPLOAD_MAX_MEMORY_SIZE). The import screens allow files up to 5 MB; the rest is room
# for the form around the file. Proxies in front should refuse larger bodies too (README).
MAX_REQUEST_BYTES = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

# Sessions live in the database (Django's default engine), like import previews (ImportBatch)
# and login failures (django-axes): app servers keep no local state.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Security: production's values. dev.py switches off what needs HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# How many reverse proxies (load balancer, CDN) append to X-Forwarded-For in front of the app
# servers; 0 means clients connect directly and REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "filters": {
        "client_errors": {"()": "core.logging.ClientErrorFilter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["client_errors"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes: lockouts and repeated failures (warnings), not its start-up banner.
        "axes": {"level": "WARNING"},
    },
}

# django-csp: no inline scripts or styles anywhere (the admin and the CSV screens load only
# files); the one inline <style> is the self-contained 500 page, allowed by its hash
# (tests/security/test_headers.py recomputes it).

ERROR_PAGE_STYLE_HASH = "'sha256-XG+H1w1aB6eSc0x2NpDwHnt9CevmTjdoTQFPOeBHGE8='"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ERROR_PAGE_STYLE_HASH],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-axes: failed admin logins are counted per user name + client IP in the database
# (shared by every app server); after AXES_FAILURE_LIMIT failures that pair waits
# AXES_COOLOFF_TIME, then may try again.

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: it ends AXES_COOLOFF_TIME after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"
# core.throttle: wider limits over the same AXES_COOLOFF_TIME (see that module's docstring).
LOGIN_FAILURE_LIMIT_PER_IP = 30
LOGIN_FAILURE_LIMIT_PER_USERNAME = 15
AXES_COOLOFF_MESSAGE = (
    "ログインに続けて失敗したため、しばらくログインできません。時間をおいてお試しください。"
)

# Shared by every app server through the database (the table is created by a migration), so
# a page cached by one server is valid on all of them and an edit on any of them expires it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
# Anonymous visitors' pages are served from the cache until the data changes (any edit, import
# or publish expires them at once); this is only the upper bound. 0 switches the cache off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 3600)
# A page larger than this is kept only at its address without parameters (see core.page_cache):
# with MAX_ENTRIES above, it bounds what anonymous requests can make the cache hold.
PUBLIC_PAGE_CACHE_MAX_BYTES = env_int("PUBLIC_PAGE_CACHE_MAX_BYTES", 128 * 1024)
# The apps whose every model change expires the public pages.
PUBLIC_PAGE_CACHE_APPS = ["contacts", "programs"]

# --- wiring of our apps (dotted paths: the apps never import each other upwards) -----------

# Every importable model: its resource and its file in fixtures/ (and in a backup bundle), in
# dependency order: later entries refer to earlier ones.
CSVIMPORT_REGISTRY = [
    ("programs.resources.EditionResource", "editions.csv"),
    ("programs.resources.ChapterResource", "chapters.csv"),
    ("programs.resources.SupportTypeResource", "support_types.csv"),
    ("contacts.resources.RegionalOfficeResource", "offices.csv"),
    ("contacts.resources.DepartmentResource", "departments.csv"),
    ("contacts.resources.SectionResource", "sections.csv"),
    ("contacts.resources.PrefectureResource", "prefectures.csv"),
    ("contacts.resources.PartnerOrganizationResource", "partners.csv"),
    ("contacts.resources.CampusResource", "campuses.csv"),
    ("programs.resources.ProgramResource", "programs.csv"),
    ("contacts.resources.RegionalDeskResource", "desks.csv"),
]
CSVIMPORT_FIXTURES_DIR = BASE_DIR / "fixtures"

# Desks (contacts) name the programs they answer for by code; programs resolves those codes.
CONTACTS_PROGRAM_DIRECTORY = "programs.directory.ProgramDirectory"
