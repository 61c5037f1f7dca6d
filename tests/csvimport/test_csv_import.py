"""The import path with real bytes: encodings, line ends, errors, formula cells, round trips."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Department, Section
from contacts.resources import DepartmentResource, SectionResource
from csvimport import csvio
from csvimport.pipeline import run_import
from programs.models import Program
from programs.resources import ProgramResource
from tests.factories import DepartmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SECTION_HEADER = "コード,担当部門,課・室名,電話番号,メールアドレス"


def section_csv(*rows, newline="\n"):
    return newline.join([SECTION_HEADER, *rows]) + newline


def snapshot(model):
    return sorted(tuple(v for v in row.values()) for row in model.objects.values())


@pytest.fixture
def department():
    return DepartmentFactory(code="management-support", name="経営支援部")


def test_cp932_with_crlf_and_quoted_newlines(department):
    text = section_csv(
        'kigyo-shien,経営支援部,企業支援課,"03-5470-1564\r\n03-5470-1524",',
        "renkei-shien,経営支援部,連携支援課,03-6459-0918,",
        newline="\r\n",
    )
    report = run_import(SectionResource(), text.encode("cp932"), dry_run=False)
    assert not report.has_errors, report.errors
    assert report.encoding == "cp932"
    assert report.counts["new"] == 2
    section = Section.objects.get(code="kigyo-shien")
    assert section.name == "企業支援課"
    assert section.phones == "03-5470-1564\n03-5470-1524"  # CRLF inside the cell became LF


def test_utf8_with_bom(department):
    data = "\ufeff" + section_csv("kigyo-shien,経営支援部,企業支援課,03-5470-1564,")
    report = run_import(SectionResource(), data.encode("utf-8"), dry_run=False)
    assert not report.has_errors, report.errors
    assert report.encoding == "utf-8-sig"
    assert Section.objects.get(code="kigyo-shien").department == department


def test_plain_utf8(department):
    data = section_csv("kigyo-shien,経営支援部,企業支援課,03-5470-1564,").encode()
    report = run_import(SectionResource(), data, dry_run=False)
    assert report.encoding == "utf-8"
    assert Section.objects.count() == 1


def test_bad_row_in_the_middle_writes_nothing(department):
    before = snapshot(Section)
    data = section_csv(
        "a-1,経営支援部,企業支援課,03-5470-1564,",
        "a-2,経営支援部,連携支援課,03-5470-15,",  # a digit short
        "a-3,経営支援部,広報課,03-5470-1515,",
    ).encode("cp932")
    report = run_import(SectionResource(), data, dry_run=False)
    assert report.has_errors
    assert snapshot(Section) == before == []
    [message] = report.errors
    assert message.startswith("3行目「電話番号」列：")
    assert "電話番号の形式" in message


def test_unknown_reference_is_an_error_not_a_creation(department):
    data = section_csv("a-1,存在しない部,企業支援課,03-5470-1564,").encode()
    report = run_import(SectionResource(), data, dry_run=False)
    assert report.errors == ["2行目「担当部門」列：担当部門「存在しない部」は登録されていません。"]
    assert not Department.objects.filter(name="存在しない部").exists()
    assert Section.objects.count() == 0


def test_duplicate_keys_in_one_file(department):
    data = section_csv(
        "a-1,経営支援部,企業支援課,03-5470-1564,",
        "a-1,経営支援部,連携支援課,03-6459-0918,",
    ).encode()
    report = run_import(SectionResource(), data, dry_run=False)
    assert report.has_errors
    assert "2・3行目" in report.errors[0] and "重複" in report.errors[0]
    assert Section.objects.count() == 0


def test_missing_and_unknown_columns():
    data = "コード,課・室名,余計な列\nx,企業支援課,1\n".encode()
    report = run_import(SectionResource(), data, dry_run=False)
    joined = "\n".join(report.errors)
    assert "必要な列がありません" in joined and "「担当部門」" in joined
    assert "使えない列があります：「余計な列」" in joined


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("課".encode("euc_jp") + b"\xff\xfe\x80", "文字コードを判定できませんでした"),
        (b"PK\x03\x04\x00\x00", "Excelブック（.xlsx）として読めませんでした"),
        (b"\xd0\xcf\x11\xe0\x00\x00", "NUL文字"),  # an old .xls
        (b"", "ファイルが空です"),
        ('コード,"担当部門\n'.encode(), "CSVとして読めませんでした"),
    ],
)
def test_unreadable_files_get_a_japanese_message(data, expected):
    report = run_import(SectionResource(), data, dry_run=False)
    assert report.has_errors
    assert expected in report.errors[0]


def test_explicit_wrong_encoding_is_refused(department):
    data = section_csv("a-1,経営支援部,企業支援課,03-5470-1564,").encode("cp932")
    report = run_import(SectionResource(), data, dry_run=False, encoding="utf-8")
    assert "UTF-8として読めませんでした" in report.errors[0]


def test_dry_run_reports_but_writes_nothing(department):
    data = section_csv("a-1,経営支援部,企業支援課,03-5470-1564,").encode()
    report = run_import(SectionResource(), data, dry_run=True)
    assert report.counts == {"new": 1, "changed": 0, "unchanged": 0, "error": 0}
    assert Section.objects.count() == 0


def test_preview_lists_changed_fields_old_and_new(department):
    Section.objects.create(
        code="a-1", department=department, name="企業支援課", phones="03-5470-1564"
    )
    data = section_csv(
        "a-1,経営支援部,企業支援課,03-5470-1600,", "a-2,経営支援部,連携支援課,03-6459-0918,"
    ).encode()
    report = run_import(SectionResource(), data, dry_run=True)
    changed = [r for r in report.rows if r.status == "changed"]
    assert [(r.key, r.changes) for r in changed] == [
        ("a-1", [("電話番号", "03-5470-1564", "03-5470-1600")])
    ]
    assert report.count("new") == 1


FORMULAS = [
    "=SUM(A1:A2)",
    "+81-3",
    "-1",
    "@cmd",
    "\tx",
    "＝１＋１",
    "＋テスト",
    "－テスト",
    "＠メモ",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_are_neutralised_and_restored(value):
    program = ProgramFactory(tagline=value)
    headers, rows = ProgramResource().export_rows(Program.objects.all())
    data = csvio.write(headers, rows)
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cell = parsed[1][parsed[0].index("キャッチコピー")]
    assert cell == "'" + value  # Excel shows it as text instead of running it
    report = run_import(ProgramResource(), data, dry_run=False)
    assert not report.has_errors, report.errors
    assert report.counts["unchanged"] == 1  # round trip: nothing changed
    program.refresh_from_db()
    assert program.tagline == value


def test_export_opens_in_excel_utf8_bom_and_japanese_intact():
    ProgramFactory(name="ＩＴ導入補助金（サービス等生産性向上IT導入支援事業）")
    headers, rows = ProgramResource().export_rows(Program.objects.all())
    data = csvio.write(headers, rows)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert parsed[0][:3] == ["年度", "事業コード", "経営課題"]
    assert (
        parsed[1][parsed[0].index("事業・制度名")]
        == "ＩＴ導入補助金（サービス等生産性向上IT導入支援事業）"
    )


def test_cp932_export_and_reimport():
    program = ProgramFactory(name="経営相談")
    headers, rows = ProgramResource().export_rows(Program.objects.all())
    data = csvio.write(headers, rows, "cp932")
    assert data.decode("cp932").startswith("年度,")
    report = run_import(ProgramResource(), data, dry_run=False)
    assert report.counts["unchanged"] == 1
    assert Program.objects.get(pk=program.pk).name == "経営相談"


def test_cp932_export_refuses_characters_it_cannot_hold():
    with pytest.raises(csvio.CsvFormatError) as exc:
        csvio.write(["名称"], [["𠮷野家"]], "cp932")
    assert "UTF-8（BOM付き）" in str(exc.value)


def test_department_round_trip_reports_zero_changes(department):
    headers, rows = DepartmentResource().export_rows(Department.objects.all())
    report = run_import(DepartmentResource(), csvio.write(headers, rows), dry_run=True)
    assert report.counts == {"new": 0, "changed": 0, "unchanged": 1, "error": 0}


def test_whole_handbook_export_then_import_reports_zero_changes(handbook):
    from csvimport.registry import entries

    ENTRIES = [(e.label, e.resource_class, e.filename) for e in entries()]

    for _label, resource_class, filename in ENTRIES:
        headers, rows = resource_class().export_rows()
        report = run_import(resource_class(), csvio.write(headers, rows), dry_run=True)
        assert not report.has_errors, (filename, report.errors)
        assert report.counts["new"] == report.counts["changed"] == 0, filename


def test_unique_clash_with_an_existing_row_is_a_row_error(department):
    DepartmentFactory(code="fund", name="ファンド事業部")
    data = "コード,名称,種別,事業拠点コード,表示順\nnew-code,ファンド事業部,本部部門,,1\n".encode()
    report = run_import(DepartmentResource(), data, dry_run=False)
    [message] = report.errors
    assert message.startswith("2行目「名称」列：")
    assert Department.objects.filter(name="ファンド事業部").count() == 1


def test_unique_clash_between_rows_of_one_file_names_the_later_row():
    first = ProgramFactory(code="a")
    headers, rows = ProgramResource().export_rows(Program.objects.all())
    code = headers.index("事業コード")
    clone = list(rows[0])
    clone[code] = "b"  # another program with the same chapter and number
    report = run_import(ProgramResource(), csvio.write(headers, [rows[0], clone]), dry_run=False)
    assert report.errors == [
        "3行目「章内番号」列：この版の同じ章に同じ番号の事業がすでにあります。"
    ]
    assert list(Program.objects.values_list("code", flat=True)) == [first.code]


def test_new_rows_written_in_bulk_get_their_ids_for_the_audit(department):
    data = section_csv(
        "a-1,経営支援部,企業支援課,03-5470-1564,", "a-2,経営支援部,連携支援課,,"
    ).encode()
    report = run_import(SectionResource(), data, dry_run=False)
    ids = {row.object_id for row in report.rows}
    assert ids == {str(pk) for pk in Section.objects.values_list("pk", flat=True)}


def test_a_file_over_the_row_cap_is_refused_before_any_row_is_read(django_assert_max_num_queries):
    from csvimport.pipeline import MAX_ROWS

    rows = "".join(f"s{i},経営支援部,課{i},,\r\n" for i in range(MAX_ROWS + 1))
    data = ("コード,担当部門,課・室名,電話番号,メールアドレス\r\n" + rows).encode("utf-8")
    with django_assert_max_num_queries(0):
        report = run_import(SectionResource(), data, dry_run=True)
    assert report.file_errors == [
        "行が多すぎます（20,001行）。1ファイル20,000行までです。ファイルを分けて取り込んでください。"
    ]
    assert report.rows == []


def test_a_file_at_the_row_cap_is_read():
    from csvimport.pipeline import MAX_ROWS

    DepartmentFactory(name="経営支援部")
    rows = "".join(f"s{i},経営支援部,課{i},,\r\n" for i in range(MAX_ROWS))
    data = ("コード,担当部門,課・室名,電話番号,メールアドレス\r\n" + rows).encode("utf-8")
    report = run_import(SectionResource(), data, dry_run=True)
    assert not report.file_errors
    assert report.counts["new"] == MAX_ROWS


def changed_programs_file(n):
    from programs.models import Program

    template = ProgramFactory()
    Program.objects.bulk_create(
        Program(
            edition=template.edition,
            code=f"p-{n}-{i}",
            chapter=template.chapter,
            number=20_000 + i,  # above any factory sequence, within a smallint
            name=f"事業{i}",
            support_type=template.support_type,
            department=template.department,
        )  # fmt: skip
        for i in range(n)
    )
    headers, rows = ProgramResource().export_rows(
        Program.objects.filter(code__startswith=f"p-{n}-")
    )
    tagline = headers.index("キャッチコピー")
    rows = [[*row[:tagline], "変更したキャッチコピー", *row[tagline + 1 :]] for row in rows]
    return csvio.write(headers, rows)


def test_previewing_changed_rows_costs_the_same_queries_for_10_and_1000():
    small, large = changed_programs_file(10), changed_programs_file(1000)
    counts = []
    for data, n in ((small, 10), (large, 1000)):
        with CaptureQueriesContext(connection) as queries:
            report = run_import(ProgramResource(), data, dry_run=True)
        assert report.counts["changed"] == n
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
