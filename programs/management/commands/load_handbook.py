from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from smrj_portal.importing import ImportAborted, run_import
from smrj_portal.registry import ENTRIES


class Command(BaseCommand):
    help = (
        "fixtures/ の令和6年度版ハンドブック（CSV）を、管理サイトと同じ取り込み処理で読み込みます。"
        "何度実行しても結果は同じです。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(Path(settings.BASE_DIR) / "fixtures"), help="CSVのあるフォルダ"
        )

    def handle(self, *args, dir, **options):
        folder = Path(dir)
        failed = []
        # One transaction for the whole handbook: a bad file leaves the database as it was.
        try:
            with transaction.atomic():
                for _label, resource_class, filename in ENTRIES:
                    path = folder / filename
                    if not path.exists():
                        raise CommandError(f"{path} がありません。")
                    report = run_import(resource_class(), path.read_bytes(), dry_run=False)
                    self.stdout.write(f"{filename:<20} {report.summary()}")
                    if report.has_errors:
                        failed.extend(f"{filename} {message}" for message in report.errors)
                        raise ImportAborted
        except ImportAborted:
            for message in failed:
                self.stderr.write(message)
            raise CommandError(
                "ハンドブックを読み込めませんでした。データベースは変更していません。"
            ) from None
        self.stdout.write(self.style.SUCCESS("ハンドブックを読み込みました。"))
