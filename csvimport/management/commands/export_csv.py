from django.core.management.base import BaseCommand, CommandError

from csvimport import csvio
from csvimport.commandline import write_csv
from csvimport.registry import entries, resource_for


class Command(BaseCommand):
    help = "CSVに書き出します（既定はExcel向けのUTF-8 BOM付き。数式になりうるセルは無害化）。"

    def add_arguments(self, parser):
        labels = "、".join(entry.label for entry in entries())
        parser.add_argument("model", help=f"対象（{labels}）")
        parser.add_argument("--encoding", default="utf-8-sig", choices=list(csvio.EXPORT_ENCODINGS))
        parser.add_argument("-o", "--output", help="出力ファイル（省略時は標準出力）")

    def handle(self, *args, model, encoding, output, **options):
        try:
            resource = resource_for(model)()
        except KeyError:
            labels = "、".join(entry.label for entry in entries())
            raise CommandError(
                f"「{model}」は書き出し対象ではありません。指定できるもの：{labels}"
            ) from None
        headers, rows = resource.export_rows()
        try:
            body = csvio.write(headers, rows, encoding)
        except csvio.CsvFormatError as exc:
            raise CommandError(str(exc)) from None
        write_csv(self, body, encoding, output)
        if output:
            self.stderr.write(f"{len(rows)}件を {output} に書き出しました。")
