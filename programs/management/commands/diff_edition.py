from django.core.management.base import BaseCommand, CommandError

from core.wareki import fiscal_year_label
from csvimport import csvio
from csvimport.commandline import write_csv
from programs.changes import compare
from programs.models import Edition


class Command(BaseCommand):
    help = (
        "版の「前年度からの変更点」（新規・廃止・変更。変更は項目ごとに 変更前 → 変更後）を表示"
        "します。比較の相手は、既定ではその版より前の、公開中またはアーカイブ済みの最新の版です。"
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="版の年度（西暦。下書きも指定できます）")
        parser.add_argument("--against", type=int, metavar="年度", help="比較する版の年度")
        parser.add_argument(
            "--csv", action="store_true", help="CSV（Excel向け UTF-8 BOM付き）を標準出力に出す"
        )
        parser.add_argument("-o", "--output", help="CSVをこのファイルに書き出す")

    def _edition(self, year):
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"{fiscal_year_label(year)}版（{year}）がありません。")
        return edition

    def handle(self, *args, year, against, csv, output, **options):
        edition = self._edition(year)
        base = self._edition(against) if against is not None else None
        if base is not None and base.pk == edition.pk:
            raise CommandError("同じ版どうしは比較できません。")
        diff = compare(edition, base)
        if csv or output:
            write_csv(
                self, csvio.write(diff.headers, diff.rows(), "utf-8-sig"), "utf-8-sig", output
            )
            if output:
                self.stderr.write(f"{diff.title}を {output} に書き出しました（{diff.summary()}）。")
            return
        self._print(diff, full=options["verbosity"] > 1)

    def _print(self, diff, full=False):
        out = self.stdout.write
        base = diff.base.label if diff.base else "（比較する前の版なし）"
        out(f"{diff.title}（{diff.edition.get_status_display()}）：{base}との比較")
        out(diff.summary())
        out("")
        out(f"■ 新規（{len(diff.new)}件）")
        for change in diff.new:
            out(f"  {change.code}  {change.name}")
        out(f"■ 廃止（{len(diff.retired)}件）")
        for change in diff.retired:
            out(f"  {change.code}  {change.name}（{change.old.edition.label}まで）")
        out(f"■ 変更（{len(diff.changed)}件）")
        for change in diff.changed:
            out(f"  {change.code}  {change.name}")
            for f in change.fields:
                limit = None if full else 80
                out(f"    {f.column}：{_one_line(f.old, limit)} → {_one_line(f.new, limit)}")


def _one_line(text, limit=80):
    """A value on one line (⏎ for line breaks), shortened unless limit is None (-v 2)."""
    text = (text or "（空欄）").replace("\n", "⏎")
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
