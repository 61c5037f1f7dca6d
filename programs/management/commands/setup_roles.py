from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from contacts.models import Department
from contacts.scopes import EDITOR_PREFIX, editor_group_name

REVIEWER = "閲覧者"
IMPORTER = "データ取込担当"
APPS = ("programs", "contacts", "csvimport")


class Command(BaseCommand):
    help = (
        "職員の役割グループを作成・更新します：閲覧者（読み取り専用）、データ取込担当（CSV取り込み・"
        "書き出し）、担当部門ごとの編集者（自部門の事業と課・室だけ編集）。何度実行しても同じ結果です。"
        "部門の名前を変えたあとに実行すると、その部門の編集者グループの名前を変えます（メンバーは"
        "そのまま）。どの部門にも結び付いていない「編集者：」グループの権限は外します。"
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

        editing = perms.filter(codename__in=["change_program", "change_section"])
        for department in Department.objects.select_related("editor_group"):
            group = self.editor_group(department)
            group.permissions.set([*view, *editing, *log_view])

        # Fail closed: a group named like an editor group but linked to no department (made by
        # hand, or left from an older setup) grants nothing.
        orphans = Group.objects.filter(name__startswith=EDITOR_PREFIX, department__isnull=True)
        for group in orphans:
            group.permissions.clear()
            self.stdout.write(
                f"「{group.name}」はどの担当部門にも結び付いていないため、権限を外しました。"
            )
        count = Department.objects.count()
        self.stdout.write(
            f"役割グループを更新しました（閲覧者、データ取込担当、部門編集者 {count}件）。"
        )

    def editor_group(self, department):
        """The department's editor group, found through Department.editor_group (so renaming a
        department keeps its group and members) and named after the department."""
        name = editor_group_name(department)
        group = department.editor_group
        if group is None:
            group = Group.objects.filter(name=name, department__isnull=True).first()
            if group is None:
                group = Group.objects.create(name=name)
            department.editor_group = group
            department.save(update_fields=["editor_group"])
        elif group.name != name:
            # A leftover group under the new name would block the rename: keep it, out of the way
            # (it is linked to no department, so it grants nothing).
            stale = Group.objects.filter(name=name).exclude(pk=group.pk).first()
            if stale is not None:
                stale.name = f"{name}（旧{stale.pk}）"
                stale.save(update_fields=["name"])
            self.stdout.write(f"「{group.name}」を「{name}」に改名しました。")
            group.name = name
            group.save(update_fields=["name"])
        return group
