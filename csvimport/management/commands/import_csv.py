from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csvimport import csvio
from csvimport.batches import apply_batch, record_preview
from csvimport.commandline import RowProgress
from csvimport.pipeline import ImportRefused
from csvimport.registry import labels, resource_for


class Command(BaseCommand):
    help = (
        "CSVファイルを管理サイトと同じ検証で取り込みます。エラーが1件でもあれば何も書き込まず、"
        "終了コード1で終わります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help=f"対象（{labels()}）")
        parser.add_argument("file", help="CSVファイルまたはExcelブック（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="確認のみ（書き込まない）")
        parser.add_argument(
            "--encoding", default="auto", choices=list(csvio.ENCODINGS), help="文字コード"
        )
        parser.add_argument(
            "--target",
            "--edition",
            dest="target",
            metavar="年度",
            help="programs.Program のみ：すべての行をこの年度の下書きの版に取り込む"
            "（「年度」列は空欄かこの年度）",
        )

    def handle(self, *args, model, file, dry_run, encoding, target, **options):
        try:
            resource_class = resource_for(model)
        except KeyError:
            raise CommandError(
                f"「{model}」は取り込み対象ではありません。指定できるもの：{labels()}"
            ) from None
        try:
            resource = resource_class() if target is None else resource_class.for_target(target)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイル {file} が見つかりません。")
        data = path.read_bytes()
        quiet = options["verbosity"] == 0
        checking = RowProgress(self.stderr, quiet=quiet, label="確認中")
        batch, report = record_preview(
            resource,
            data,
            file_name=path.name,
            encoding=encoding,
            target=resource.target,
            on_row=checking,
        )
        checking.finish()
        if not report.has_errors and not dry_run:
            # A resource instance serves one file: the confirm gets a fresh one.
            fresh = resource_class() if target is None else resource_class.for_confirm(target)
            writing = RowProgress(self.stderr, quiet=quiet, label="取り込み中")
            report = apply_batch(batch, fresh, on_row=writing)
            writing.finish()
        self._print(report, verbose=options["verbosity"] > 1, quiet=options["verbosity"] == 0)
        if report.has_errors:
            for message in report.errors:
                self.stderr.write(message)
            raise CommandError("エラーがあったため、何も取り込んでいません。", returncode=1)
        done = "確認のみ（書き込みなし）" if dry_run else "取り込みました"
        if resource.target:
            done += f"（取り込み先：{resource.target_label}）"
        self.stdout.write(self.style.SUCCESS(f"{done}：{report.summary()}"))
        for note in resource.import_notes(report, dry_run):
            self.stdout.write(note)

    def _print(self, report, verbose, quiet):
        for row in report.rows:
            if verbose or row.status == "changed":
                changed = "、".join(c for c, _o, _n in row.changes)
                self.stdout.write(
                    f"{row.line}行目 {row.key} {row.status_label}"
                    + (f"：{changed}" if changed else "")
                )
