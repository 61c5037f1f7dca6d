from django.core.management.base import BaseCommand, CommandError

from csvimport.bundle import BundleError, restore_bundle


class Command(BaseCommand):
    help = (
        "export_bundle で書き出したフォルダーまたは .zip を、空のデータベースへ管理サイトと"
        "同じ取り込み処理で復元します。1件でもエラーがあれば何も書き込みません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="export_bundle の書き出し先（フォルダーまたは .zip）")

    def handle(self, *args, source, **options):
        try:
            restore_bundle(source, out=self.stdout.write)
        except (BundleError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{source} から復元しました。"))
