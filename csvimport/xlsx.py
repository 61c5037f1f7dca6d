"""Excel workbooks (.xlsx), the format Excel saves by default, both ways.

Written through tablib's xlsx format (openpyxl); read with openpyxl row by row, bounded (see
read). The exported sheet is ready to edit in Excel: header row frozen, columns as wide as their
text, every text column formatted as text (「文字列」, so 01, 0120-… and long digit strings keep
their zeros when edited), integer columns as numbers, and drop-down lists (data validation) for
choice and reference columns, the lists kept on a hidden sheet 「選択肢」. Reading turns each
cell back into the text a CSV cell would hold, so the import pipeline is the same for both.
"""

import datetime
import io
import unicodedata
import zipfile

import tablib
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from .csvio import CsvFormatError, too_many_rows
from .widgets import ChoiceLabelWidget, FlagWidget, IntegerWidget, ReferenceWidget

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
LISTS_SHEET = "選択肢"
TEXT_FORMAT = "@"
MIN_WIDTH, MAX_WIDTH = 8, 60
# Drop-downs cover this many rows below the header (room for rows staff add).
VALIDATED_ROWS = 5000


def is_xlsx(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def display_width(text: str) -> int:
    """Width in Excel's character units: a full-width (Japanese) character counts twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def allowed_values(column):
    """The values a column's drop-down offers (None: free text)."""
    widget = column.widget
    if isinstance(widget, ChoiceLabelWidget):
        return list(widget.to_value)
    if isinstance(widget, FlagWidget):
        return ["○"]
    if isinstance(widget, ReferenceWidget):
        values = widget.model.objects.values_list(widget.field, flat=True)
        return list(dict.fromkeys(str(v) for v in values))
    return None


def write(resource, headers, rows) -> bytes:
    """The workbook of an export (headers and rows as resource.export_rows gives them)."""
    columns = resource.import_columns()
    numeric = [isinstance(c.widget, IntegerWidget) for c in columns]
    values = [
        [
            int(v) if is_number and str(v).lstrip("-").isdigit() else v
            for v, is_number in zip(row, numeric, strict=True)
        ]
        for row in rows
    ]
    dataset = tablib.Dataset(*values, headers=headers)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(resource._meta.model._meta.verbose_name)[:31]
    tablib.formats.registry.get_format("xlsx").dset_sheet(dataset, sheet, freeze_panes=True)

    lists = None
    for index, (column, is_number) in enumerate(zip(columns, numeric, strict=True), start=1):
        letter = get_column_letter(index)
        cells = sheet[letter]
        for cell in cells[1:]:
            # A cell that starts with "=" is text here, never a formula Excel would run.
            if cell.data_type == "f":
                cell.data_type = "s"
            if not is_number:
                cell.number_format = TEXT_FORMAT
        if not is_number:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
        width = max(
            (display_width(line) for c in cells for line in str(c.value or "").splitlines()),
            default=0,
        )
        sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        options = allowed_values(column)
        if options:
            if lists is None:
                lists = workbook.create_sheet(LISTS_SHEET)
                lists.sheet_state = "hidden"
            list_column = get_column_letter(lists.max_column + (1 if lists["A1"].value else 0))
            lists[f"{list_column}1"] = column.column_name
            for n, option in enumerate(options, start=2):
                lists[f"{list_column}{n}"] = option
                lists[f"{list_column}{n}"].number_format = TEXT_FORMAT
            source = (
                f"{quote_sheetname(LISTS_SHEET)}!${list_column}$2:${list_column}${len(options) + 1}"
            )
            reference = isinstance(column.widget, ReferenceWidget)
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                # A reference may name a row another file adds first: warn, don't forbid.
                errorStyle="warning" if reference else "stop",
                showErrorMessage=True,
                errorTitle=column.column_name,
                error="一覧にない値です。"
                + ("登録済みの値を選んでください。" if reference else "一覧から選んでください。"),
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            sheet.add_data_validation(validation)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell_text(value) -> str:
    """A cell as the text the same cell of a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


UNREADABLE = (
    "Excelブック（.xlsx）として読めませんでした。Excelで開いて「Excelブック」として"
    "保存し直すか、「CSV UTF-8（コンマ区切り）」で保存してください。"
)
# A workbook is a zip of XML: 5 MB uploaded can unpack to gigabytes (a row repeated a million
# times packs into almost nothing). Real workbooks unpack to 3–10 times their size: our export
# of handbook programs to about 4.7 times (20,000 programs: 18 MB, 87 MB unpacked), so an
# upload under the 5 MB limit to about 25 MB. openpyxl reads a sheet without a <dimension>
# (Excel always writes one) whole before its first row, about 10 s per 100 MB here: this bounds
# that too.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


def unpacked_size(data: bytes) -> int:
    """What the workbook's parts add up to unpacked, as its zip directory declares them (a part
    is never read past its declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise CsvFormatError(UNREADABLE) from exc


def read(data: bytes, max_rows=None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows of the workbook's first sheet, each row with its Excel row number
    (the header is row 1), as csvio.read_rows gives them for a CSV. The sheet is read row by
    row and no further than `max_rows` data rows: a longer one is refused at the row after."""
    size = unpacked_size(data)
    if size > MAX_UNPACKED_BYTES:
        raise CsvFormatError(
            f"Excelブックの中身が大きすぎます（展開すると{size / 2**20:,.0f}MB、"
            f"上限は{MAX_UNPACKED_BYTES // 2**20}MB）。ファイルを分けて取り込んでください。"
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            # The first sheet, whichever was open when the file was saved (a note sheet added
            # after the table and left open must not be read instead of it).
            header, rows = _sheet_rows(book.worksheets[0], max_rows)
        finally:
            book.close()
    except CsvFormatError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise CsvFormatError(UNREADABLE) from exc
    if not any(header):
        if rows:
            raise CsvFormatError(
                "1行目が空です。列名（見出し）は1行目に置いてください"
                f"（最初に値のある行は{rows[0][0]}行目です。その上の空の行を削除してください）。"
            )
        raise CsvFormatError("シートが空です。1行目に列名（見出し）が必要です。")
    width = len(header)
    # Formatting can make Excel keep empty columns to the right of the table.
    while width and not header[width - 1] and not any(c[width - 1].strip() for _n, c in rows):
        width -= 1
    trimmed = [
        (number, cells[:width] if not any(c.strip() for c in cells[width:]) else cells)
        for number, cells in rows
    ]
    return header[:width], trimmed


def _sheet_rows(sheet, max_rows):
    """The header and the non-empty data rows (number, cells), each at least as wide as the
    header."""
    lines = sheet.iter_rows(values_only=True)
    header = [cell_text(h).strip() for h in next(lines, ())]
    rows = []
    for number, record in enumerate(lines, start=2):
        cells = [cell_text(v) for v in record]
        if not any(c.strip() for c in cells):
            continue
        if max_rows is not None and len(rows) == max_rows:
            raise CsvFormatError(too_many_rows(max_rows))
        cells += [""] * (len(header) - len(cells))
        rows.append((number, cells))
    return header, rows
