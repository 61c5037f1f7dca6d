"""Japanese names for permissions. Django stores a permission's name once, in English
("Can add 事業・制度"), and the admin shows that name on the group and user pages; after every
migrate the names of our apps' permissions are written in Japanese instead."""

from django.apps import apps
from django.conf import settings

ACTIONS = {
    "add": "追加",
    "change": "変更",
    "delete": "削除",
    "view": "閲覧",
    "import": "取り込み",
    "export": "書き出し",
    "publish": "公開",
}


def japanese_name(permission, model):
    action, _sep, _rest = permission.codename.partition("_")
    if action not in ACTIONS:
        return permission.name
    return f"{model._meta.verbose_name}の{ACTIONS[action]}"


def rename_permissions(sender=None, using="default", **kwargs):
    from django.contrib.auth.models import Permission

    labels = settings.PUBLIC_PAGE_CACHE_APPS + ["csvimport"]
    models = {
        (m._meta.app_label, m._meta.model_name): m
        for label in labels
        for m in apps.get_app_config(label).get_models()
    }
    permissions = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in=labels)
        .select_related("content_type")
    )
    changed = []
    for permission in permissions:
        model = models.get((permission.content_type.app_label, permission.content_type.model))
        if model is None:
            continue
        name = japanese_name(permission, model)
        if name != permission.name:
            permission.name = name
            changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"])
