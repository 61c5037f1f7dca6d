"""Workbooks that would hold a worker for minutes: an upload is at most 5 MB, but an .xlsx is a
zip of XML and a row repeated a million times packs into a few hundred kilobytes. An outside
probe held a worker past gunicorn's timeout with a 4 MB workbook of 1,000,000 rows. Such files
are refused with a Japanese message after reading no more than the row past the limit (or,
packed past MAX_UNPACKED_BYTES, before the sheet is opened); the database is left as it was.

The workbooks are built here as Excel lays them out: the parts of the package, one sheet with
inline strings, packed with deflate."""

import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from openpyxl.utils import get_column_letter

from csvimport import xlsx
from csvimport.pipeline import MAX_ROWS, run_import
from programs.models import Program
from programs.resources import ProgramResource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="支援施策" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def row(values):
    # Without r="A1" attributes, as Excel allows: the same row is the same bytes every time,
    # which is what makes such a file pack so small.
    cells = (
        f"<c><v>{v}</v></c>"
        if isinstance(v, int)
        else f'<c t="inlineStr"><is><t>{escape(str(v or ""))}</t></is></c>'
        for v in values
    )
    return "<row>" + "".join(cells) + "</row>"


def workbook(header, row_values, rows, chunk=10_000):
    """An .xlsx whose sheet has the header and `rows` copies of one data row (its size in a
    <dimension>, as Excel writes it), streamed into the zip in chunks (a million rows need not
    be one string)."""
    last_column = get_column_letter(max(len(header), len(row_values)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in PARTS.items():
            package.writestr(name, text)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:{last_column}{rows + 1}"/><sheetData>'.encode()
            )
            sheet.write(row(header).encode())
            repeated = row(row_values).encode()
            for start in range(0, rows, chunk):
                sheet.write(repeated * (min(start + chunk, rows) - start))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_workbook_of_a_million_rows_is_refused_at_the_row_after_the_limit(monkeypatch):
    data = workbook(["事業コード", "事業名"], [1, 2], rows=1_000_000)
    assert len(data) < 5 * 1024 * 1024  # passes the upload limit
    assert xlsx.unpacked_size(data) < xlsx.MAX_UNPACKED_BYTES
    read_cells = []
    real_cell_text = xlsx.cell_text
    monkeypatch.setattr(xlsx, "cell_text", lambda v: read_cells.append(v) or real_cell_text(v))
    before = list(Program.objects.values_list("code", "name"))
    report = run_import(ProgramResource(), data, dry_run=False)
    assert report.file_errors == [
        "行が多すぎます（20,000行を超えています）。1ファイル20,000行までです。"
        "ファイルを分けて取り込んでください。"
    ]
    # The header and no more than the rows up to the one past the limit were read.
    assert len(read_cells) <= 2 * (MAX_ROWS + 2)
    assert list(Program.objects.values_list("code", "name")) == before


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_opened(monkeypatch):
    # Thirty long cells a row, repeated: under 1 MB packed, over 150 MB unpacked.
    header = [f"列{i}" for i in range(30)]
    data = workbook(header, ["あ" * 60] * 30, rows=25_000)
    assert len(data) < 5 * 1024 * 1024
    assert xlsx.unpacked_size(data) > xlsx.MAX_UNPACKED_BYTES

    def never(*args, **kwargs):
        raise AssertionError("the sheet was opened")

    monkeypatch.setattr(xlsx, "load_workbook", never)
    before = Program.objects.count()
    report = run_import(ProgramResource(), data, dry_run=False)
    [message] = report.file_errors
    assert message.startswith("Excelブックの中身が大きすぎます（展開すると")
    assert "上限は64MB" in message
    assert Program.objects.count() == before


def test_a_workbook_at_the_limit_is_read_whole():
    data = workbook(["事業コード", "事業名"], ["x", "同じ行"], rows=MAX_ROWS)
    header, rows = xlsx.read(data, max_rows=MAX_ROWS)
    assert header == ["事業コード", "事業名"]
    assert len(rows) == MAX_ROWS
    assert rows[-1] == (MAX_ROWS + 1, ["x", "同じ行"])


def test_a_value_beyond_the_header_is_reported_by_its_column():
    resource = ProgramResource()
    headers, rows = resource.export_rows(Program.objects.filter(code="fastar"))
    data = workbook(headers, [*rows[0], "はみ出した値"], rows=1)
    report = run_import(resource, data)
    assert f"1行目：列名が空欄の列があります（{len(headers) + 1}列目）" in report.file_errors[0]
