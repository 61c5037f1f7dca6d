"""Development (`python3 dev.py run`): DEBUG on, plain HTTP on localhost, SQLite by default."""

from .base import *  # noqa: F403
from .env import env_list, env_str

DEBUG = True
# A fixed key keeps development sessions across restarts; this module never runs in production.
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-development-only-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
