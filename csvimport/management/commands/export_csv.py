from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from csvimport import csvio, excel, xlsx
from csvimport.commandline import counted, write_csv
from csvimport.registry import labels, resource_for


class Command(BaseCommand):
    help = (
        "Excelブック（.xlsx）またはCSVに書き出します。形式は --format か出力ファイルの拡張子"
        "（.xlsx）で決まり、既定はExcel向けのUTF-8 BOM付きCSV（数式になりうるセルは無害化）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help=f"対象（{labels()}）")
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            help="csv または xlsx（省略時は -o の拡張子が .xlsx なら xlsx、それ以外は csv）",
        )
        parser.add_argument(
            "--encoding",
            default="utf-8-sig",
            choices=list(csvio.EXPORT_ENCODINGS),
            help="CSVの文字コード",
        )
        parser.add_argument("-o", "--output", help="出力ファイル（省略時は標準出力）")

    def handle(self, *args, model, format, encoding, output, **options):
        try:
            resource = resource_for(model)()
        except KeyError:
            raise CommandError(
                f"「{model}」は書き出し対象ではありません。指定できるもの：{labels()}"
            ) from None
        if format is None:
            format = "xlsx" if output and Path(output).suffix.lower() == ".xlsx" else "csv"
        headers, rows = resource.export_rows()
        quiet = options["verbosity"] == 0
        if format == "xlsx":
            if not output:
                raise CommandError("Excelブック（.xlsx）は -o で出力ファイルを指定してください。")
            body = xlsx.write(resource, headers, counted(rows, self.stderr, quiet=quiet))
            Path(output).write_bytes(body)
        else:
            problems = []
            if encoding == "cp932":
                problems = csvio.unencodable_cells(headers, rows, resource.key_columns())
            if problems:
                lines = [
                    f"  {key}「{column}」：{'、'.join(map(excel.describe, chars))}"
                    for key, column, chars in problems
                ]
                raise CommandError(
                    "Shift_JIS（cp932）で表せない文字があるため書き出せません"
                    "（--format xlsx か --encoding utf-8-sig を使ってください）：\n"
                    + "\n".join(lines)
                )
            body = csvio.write(headers, counted(rows, self.stderr, quiet=quiet), encoding)
            write_csv(self, body, encoding, output)
        if output:
            self.stderr.write(f"{len(rows)}件を {output} に書き出しました。")
