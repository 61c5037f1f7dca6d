"""CSV bytes as Japanese offices exchange them with Excel.

Reading accepts UTF-8 (with or without BOM), cp932 (Shift_JIS) and Excel's 「Unicode テキスト」
(UTF-16 with BOM, tab-separated), CRLF or LF line ends and quoted cells containing newlines.
Writing produces UTF-8 with BOM (Excel opens it without mojibake) or cp932, and neutralises
cells that a spreadsheet would run as a formula.
"""

import csv
import io
import re

ENCODINGS = {
    "auto": "自動判定",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（BOM付き）",
    "cp932": "Shift_JIS（cp932）",
    "utf-16": "UTF-16（Excelの「Unicode テキスト」、タブ区切り）",
}
EXPORT_ENCODINGS = {"utf-8-sig": "UTF-8（BOM付き・Excel向け）", "cp932": "Shift_JIS（cp932）"}

# A leading apostrophe tells Excel "this is text"; we add it before these characters and take it
# off again on import, so an exported file re-imports to the original value.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
ESCAPE = "'"


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class CsvFormatError(ValueError):
    """A file that cannot be read as CSV; the message is shown to staff as it is."""


def too_many_rows(limit, count=None):
    """The refusal of a file with more than `limit` data rows (`count`: how many, if known —
    an Excel workbook is read no further than the row after the limit)."""
    counted = f"{count:,}行" if count is not None else f"{limit:,}行を超えています"
    return (
        f"行が多すぎます（{counted}）。1ファイル{limit:,}行までです。"
        "ファイルを分けて取り込んでください。"
    )


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    if encoding not in ENCODINGS:
        raise CsvFormatError(f"文字コード「{encoding}」には対応していません。")
    # Excel's 「Unicode テキスト」: UTF-16 with a byte order mark (its NUL bytes are not binary).
    if encoding == "utf-16" or (encoding == "auto" and data.startswith((b"\xff\xfe", b"\xfe\xff"))):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise CsvFormatError(
                "ファイルをUTF-16として読めませんでした。Excelで保存し直してください。"
            ) from None
        if not _CONTROL_RE.search(text.replace("\t", "")):
            return text, "utf-16"
        raise CsvFormatError("ファイルをUTF-16として読めませんでした（制御文字が含まれています）。")
    if b"\x00" in data:
        raise CsvFormatError(
            "ファイルにNUL文字が含まれています。CSVでもExcelブック（.xlsx）でもないファイル"
            "（古い形式の .xls など）ではありませんか。Excelで「Excelブック（.xlsx）」か"
            "「CSV UTF-8（コンマ区切り）」として保存し直してください。"
        )
    if encoding == "auto":
        if data.startswith(b"\xef\xbb\xbf"):
            candidates = ["utf-8-sig"]
        else:
            candidates = ["utf-8", "cp932"]
    else:
        candidates = [encoding]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        # cp932 maps almost any byte to something; control characters mean it guessed wrong.
        if not _CONTROL_RE.search(text):
            return text, candidate
    if encoding == "auto":
        raise CsvFormatError(
            "文字コードを判定できませんでした。UTF-8 または Shift_JIS（cp932）で保存した"
            "CSVファイルを選んでください。"
        )
    raise CsvFormatError(
        f"ファイルを{ENCODINGS[encoding]}として読めませんでした。文字コードの指定を確認してください。"
    )


def unescape_cell(value: str) -> str:
    if value.startswith(ESCAPE) and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def escape_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return ESCAPE + text
    return text


def delimiter_for(encoding: str) -> str:
    """Excel's 「Unicode テキスト」 (UTF-16) separates cells by tabs; CSV by commas."""
    return "\t" if encoding == "utf-16" else ","


def read_rows(text: str, delimiter: str = ",") -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows, each with its row number as Excel shows it (the header is row 1;
    a quoted cell with line breaks stays within one row)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    row_number = 1
    try:
        header = next(reader, None)
        if header is None:
            raise CsvFormatError("ファイルが空です。1行目に列名（見出し）が必要です。")
        header = [h.strip() for h in header]
        rows = []
        for row_number, record in enumerate(reader, start=2):  # noqa: B007 - used on error
            if any(cell.strip() for cell in record):
                rows.append((row_number, [unescape_cell(cell) for cell in record]))
    except csv.Error as exc:
        raise CsvFormatError(
            f"{row_number + 1}行目付近をCSVとして読めませんでした"
            '（引用符「"」の対応を確認してください）。'
        ) from exc
    return header, rows


def write(headers: list[str], rows, encoding: str = "utf-8-sig") -> bytes:
    if encoding not in EXPORT_ENCODINGS:
        raise CsvFormatError(f"出力の文字コード「{encoding}」には対応していません。")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    try:
        return buffer.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        raise CsvFormatError(
            f"Shift_JIS（cp932）で表せない文字「{exc.object[exc.start : exc.end]}」"
            "が含まれています。"
            "UTF-8（BOM付き）で出力してください。"
        ) from exc


def unencodable_cells(headers, rows, key_columns, encoding="cp932"):
    """Every cell `encoding` cannot represent, as (key, column, characters), so that a refused
    Shift_JIS export can name all of them at once."""
    key_index = [headers.index(c) for c in key_columns]
    found = []
    for row in rows:
        for column, value in zip(headers, row, strict=False):
            text = escape_cell(value)
            try:
                text.encode(encoding)
                continue
            except UnicodeEncodeError:
                pass
            chars = []
            for char in dict.fromkeys(text):
                try:
                    char.encode(encoding)
                except UnicodeEncodeError:
                    chars.append(char)
            if chars:
                key = " / ".join(str(row[i]) for i in key_index)
                found.append((key, column, chars))
    return found
