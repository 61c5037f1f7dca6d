from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "共通"

    def ready(self):
        from .page_cache import connect_signals

        connect_signals()
