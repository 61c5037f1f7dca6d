"""Production: DEBUG off, every secret and host name from the environment (see .env.example)."""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY が設定されていません。"
        "本番環境（DEBUG がオフ）では環境変数 SECRET_KEY が必須です。"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", SECURE_HSTS_SECONDS)  # noqa: F405
# Behind the load balancer TLS ends there; trust its header only when told to.
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", AXES_FAILURE_LIMIT)  # noqa: F405
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
LOGIN_FAILURE_LIMIT_PER_IP = env_int("LOGIN_FAILURE_LIMIT_PER_IP", LOGIN_FAILURE_LIMIT_PER_IP)  # noqa: F405
LOGIN_FAILURE_LIMIT_PER_USERNAME = env_int(
    "LOGIN_FAILURE_LIMIT_PER_USERNAME",
    LOGIN_FAILURE_LIMIT_PER_USERNAME,  # noqa: F405
)
