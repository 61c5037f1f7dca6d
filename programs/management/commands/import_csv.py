import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from smrj_portal import csvio
from smrj_portal.importing import apply_batch, record_preview
from smrj_portal.registry import RESOURCES, resource_for


class Command(BaseCommand):
    help = (
        "CSVファイルを管理サイトと同じ検証で取り込みます。エラーが1件でもあれば何も書き込まず、"
        "終了コード1で終わります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="対象（" + "、".join(RESOURCES) + "）")
        parser.add_argument("file", help="CSVファイル")
        parser.add_argument("--dry-run", action="store_true", help="確認のみ（書き込まない）")
        parser.add_argument(
            "--encoding", default="auto", choices=list(csvio.ENCODINGS), help="文字コード"
        )

    def handle(self, *args, model, file, dry_run, encoding, **options):
        try:
            resource_class = resource_for(model)
        except KeyError:
            raise CommandError(
                f"「{model}」は取り込み対象ではありません。指定できるもの：{'、'.join(RESOURCES)}"
            ) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイル {file} が見つかりません。")
        batch, report = record_preview(
            resource_class, path.read_bytes(), file_name=path.name, encoding=encoding
        )
        if not report.has_errors and not dry_run:
            report = apply_batch(batch, resource_class)
        self._print(report, verbose=options["verbosity"] > 1)
        if report.has_errors:
            for message in report.errors:
                self.stderr.write(message)
            raise CommandError("エラーがあったため、何も取り込んでいません。", returncode=1)
        done = "確認のみ（書き込みなし）" if dry_run else "取り込みました"
        self.stdout.write(self.style.SUCCESS(f"{done}：{report.summary()}"))

    def _print(self, report, verbose):
        total = len(report.rows)
        for i, row in enumerate(report.rows, 1):
            if verbose or row.status == "changed":
                changed = "、".join(c for c, _o, _n in row.changes)
                self.stdout.write(
                    f"{row.line}行目 {row.key} {row.status_label}"
                    + (f"：{changed}" if changed else "")
                )
            if total >= 200 and sys.stderr.isatty() and (i % 100 == 0 or i == total):
                filled = int(30 * i / total)
                sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {i}/{total}")
        if total >= 200 and sys.stderr.isatty():
            sys.stderr.write("\n")
