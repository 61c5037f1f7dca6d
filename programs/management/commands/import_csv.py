import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.models import Edition, Program
from programs.resources import ProgramResource
from smrj_portal import csvio
from smrj_portal.importing import apply_batch, record_preview
from smrj_portal.japanese import fiscal_year_label
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
        parser.add_argument(
            "--edition",
            type=int,
            metavar="年度",
            help="programs.Program のみ：すべての行をこの年度の下書きの版に取り込む"
            "（「年度」列は空欄かこの年度）",
        )

    def handle(self, *args, model, file, dry_run, encoding, edition, **options):
        try:
            resource_class = resource_for(model)
        except KeyError:
            raise CommandError(
                f"「{model}」は取り込み対象ではありません。指定できるもの：{'、'.join(RESOURCES)}"
            ) from None
        target = None
        if edition is not None:
            target = self._target_edition(resource_class, edition)
            resource_class = ProgramResource.for_edition(target)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ファイル {file} が見つかりません。")
        batch, report = record_preview(
            resource_class, path.read_bytes(), file_name=path.name, encoding=encoding
        )
        if target is not None:
            batch.edition = target
            batch.save(update_fields=["edition"])
        if not report.has_errors and not dry_run:
            report = apply_batch(batch, resource_class)
        self._print(report, verbose=options["verbosity"] > 1)
        if report.has_errors:
            for message in report.errors:
                self.stderr.write(message)
            raise CommandError("エラーがあったため、何も取り込んでいません。", returncode=1)
        done = "確認のみ（書き込みなし）" if dry_run else "取り込みました"
        if target is not None:
            done += f"（取り込み先：{target.label}）"
        self.stdout.write(self.style.SUCCESS(f"{done}：{report.summary()}"))
        if target is not None:
            self._edition_notes(target, report, dry_run)

    def _target_edition(self, resource_class, year):
        if not issubclass(resource_class, ProgramResource):
            raise CommandError("--edition は programs.Program の取り込みにだけ指定できます。")
        target = Edition.objects.filter(year=year).first()
        if target is None:
            raise CommandError(
                f"{fiscal_year_label(year)}版（{year}）がありません。先に "
                f"python manage.py start_edition {year} で下書きを作ってください。"
            )
        if not target.is_draft:
            raise CommandError(
                f"{target.label}は「{target.get_status_display()}」のため取り込めません。"
                "取り込み先に指定できるのは下書きの版だけです。"
            )
        return target

    def _edition_notes(self, edition, report, dry_run):
        from programs.editions import compare

        # The file never removes a program: say which of the draft's programs it does not have.
        in_file = {row.key.rpartition(" / ")[2].strip() for row in report.rows}
        others = list(
            Program.objects.filter(edition=edition, status=Program.Status.ACTIVE)
            .exclude(code__in=in_file)
            .values_list("code", flat=True)
        )
        if others:
            self.stdout.write(
                f"注意：{edition.label}には、このファイルにない掲載中の事業が{len(others)}件"
                f"あります（{'、'.join(others[:10])}{' ほか' if len(others) > 10 else ''}）。"
                "廃止にするには、管理サイトで掲載状態を「廃止」にするか、下書きから削除します。"
            )
        if not dry_run:
            diff = compare(edition)
            if diff.base is not None:
                self.stdout.write(
                    f"{diff.base.label}からの変更点：{diff.summary()}"
                    f"（詳細：python manage.py diff_edition {edition.year}）"
                )

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
