from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "共通"

    def ready(self):
        from .page_cache import connect_signals

        connect_signals()


class AxesConfig(AxesAppConfig):
    """django-axes as the admin lists it: under a Japanese name (its models' names come from
    locale/ja, as it ships no Japanese)."""

    verbose_name = "ログインの制限"
