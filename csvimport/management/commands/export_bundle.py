from django.core.management.base import BaseCommand, CommandError

from csvimport.bundle import BundleError, write_bundle


class Command(BaseCommand):
    help = (
        "すべてのデータを取り込み形式のCSV（UTF-8 BOM付き、1エンティティ1ファイル）で"
        "フォルダーまたは .zip に書き出します（バックアップ）。restore_bundle で復元できます。"
    )

    def add_arguments(self, parser):
        parser.add_argument("target", help="書き出し先のフォルダー、または .zip ファイル")

    def handle(self, *args, target, **options):
        try:
            written = write_bundle(target)
        except (BundleError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for filename, count in written:
            self.stdout.write(f"{filename:<20} {count}件")
        self.stdout.write(self.style.SUCCESS(f"{target} に書き出しました。"))
