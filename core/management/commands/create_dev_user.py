from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "開発用の管理者ログインを作成します（DEBUG が有効な開発環境でのみ）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("password")

    def handle(self, *args, username, password, **options):
        # A known password is only acceptable on a developer's own machine.
        if not settings.DEBUG:
            raise CommandError("開発用ログインは DEBUG が有効な開発環境でのみ作成できます。")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"開発用ログイン「{username}」を{'作成' if created else '更新'}しました。"
        )
