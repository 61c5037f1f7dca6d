from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from contacts.models import Department

REVIEWER = "閲覧者"
IMPORTER = "データ取込担当"
EDITOR_PREFIX = "編集者："
APPS = ("programs", "contacts", "csvimport")


class Command(BaseCommand):
    help = (
        "職員の役割グループを作成・更新します：閲覧者（読み取り専用）、データ取込担当（CSV取り込み・"
        "書き出し）、担当部門ごとの編集者（自部門の事業だけ編集）。何度実行しても同じ結果です。"
    )

    @transaction.atomic
    def handle(self, *args, **options):
        perms = Permission.objects.filter(content_type__app_label__in=APPS)
        view = perms.filter(codename__startswith="view_")
        log_view = Permission.objects.filter(
            content_type__app_label="admin", codename="view_logentry"
        )

        reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
        reviewer.permissions.set([*view, *log_view])

        importer, _ = Group.objects.get_or_create(name=IMPORTER)
        importer.permissions.set(
            [
                *perms.exclude(codename__startswith="delete_").exclude(codename="publish_edition"),
                *log_view,
            ]
        )

        editing = perms.filter(codename__in=["change_program", "change_section", "view_section"])
        for department in Department.objects.all():
            group, _ = Group.objects.get_or_create(name=f"{EDITOR_PREFIX}{department.name}")
            group.permissions.set([*view, *editing, *log_view])
            if department.editor_group_id != group.pk:
                department.editor_group = group
                department.save(update_fields=["editor_group"])
        count = Department.objects.count()
        self.stdout.write(
            f"役割グループを更新しました（閲覧者、データ取込担当、部門編集者 {count}件）。"
        )
