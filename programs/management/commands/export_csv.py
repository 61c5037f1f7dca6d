from django.core.management.base import BaseCommand, CommandError

from smrj_portal import csvio
from smrj_portal.commandline import write_csv
from smrj_portal.registry import RESOURCES, resource_for


class Command(BaseCommand):
    help = "CSVに書き出します（既定はExcel向けのUTF-8 BOM付き。数式になりうるセルは無害化）。"

    def add_arguments(self, parser):
        parser.add_argument("model", help="対象（" + "、".join(RESOURCES) + "）")
        parser.add_argument("--encoding", default="utf-8-sig", choices=list(csvio.EXPORT_ENCODINGS))
        parser.add_argument("-o", "--output", help="出力ファイル（省略時は標準出力）")

    def handle(self, *args, model, encoding, output, **options):
        try:
            resource = resource_for(model)()
        except KeyError:
            raise CommandError(
                f"「{model}」は書き出し対象ではありません。指定できるもの：{'、'.join(RESOURCES)}"
            ) from None
        headers, rows = resource.export_rows()
        try:
            body = csvio.write(headers, rows, encoding)
        except csvio.CsvFormatError as exc:
            raise CommandError(str(exc)) from None
        write_csv(self, body, encoding, output)
        if output:
            self.stderr.write(f"{len(rows)}件を {output} に書き出しました。")
