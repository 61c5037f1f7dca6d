from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class CoreConfig(AppConfig):
    # The app config of "core" in INSTALLED_APPS (this module also holds AxesConfig).
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "共通"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .page_cache import connect_signals
        from .permissions import rename_permissions

        connect_signals()
        # After auth's own handler has created the permissions (auth comes first in
        # INSTALLED_APPS), give ours Japanese names.
        post_migrate.connect(rename_permissions, dispatch_uid="core-japanese-permission-names")


class AxesConfig(AxesAppConfig):
    """django-axes as the admin lists it: under a Japanese name (its models' names come from
    locale/ja, as it ships no Japanese)."""

    verbose_name = "ログインの制限"
