"""What Excel really does to a file, replayed from bytes: Shift_JIS saves that turn characters
into "?" (an error) or swap look-alikes (no change), Excel's typing of dates, codes and phone
numbers, 「Unicode テキスト」 (UTF-16, tabs), and workbooks (.xlsx) written by openpyxl."""

import csv
import datetime
import io

import openpyxl
import pytest

from contacts.models import Prefecture, Section
from csvimport import csvio, excel, xlsx
from csvimport.pipeline import run_import
from csvimport.registry import entries, resource_for
from programs.models import Program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

# What Windows' cp932 conversion (Excel's 「CSV（コンマ区切り）」) writes for a character the
# standard table lacks: a look-alike where Windows has one, "?" otherwise.
WINDOWS_BEST_FIT = {"\u301c": "\uff5e", "\u2212": "\uff0d", "\u2016": "\u2225", "\u2014": "\u2015",
                    "\u00a2": "\uffe0", "\u00a3": "\uffe1", "\u00ac": "\uffe2"}  # fmt: skip
PAIRS = list(WINDOWS_BEST_FIT.items())


def excel_shift_jis(text: str) -> bytes:
    """The bytes Excel writes when a sheet holding `text` is saved as 「CSV（コンマ区切り）」."""
    out = bytearray()
    for char in text:
        char = WINDOWS_BEST_FIT.get(char, char)
        try:
            out += char.encode("cp932")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)


def export_text(label, queryset=None):
    resource = resource_for(label)()
    headers, rows = resource.export_rows(queryset)
    return csvio.write(headers, rows, "utf-8-sig").decode("utf-8-sig")


def preview(label, data):
    return run_import(resource_for(label)(), data, dry_run=True)


def only_row(report):
    assert not report.file_errors, report.file_errors
    assert len(report.rows) == 1
    return report.rows[0]


# --- Shift_JIS: "?" is damage ----------------------------------------------------------------
def test_a_character_excel_turned_into_a_question_mark_is_an_error_naming_it():
    survey = Program.objects.filter(code="sme-business-conditions-survey")
    data = excel_shift_jis(export_text("programs.Program", survey))
    assert b"?" in data and "【４?６月期】" in data.decode("cp932")

    report = preview("programs.Program", data)
    row = only_row(report)
    assert row.status == "error"
    assert [column for column, _message in row.errors] == ["事業のポイント"]
    message = report.errors[0]
    assert message.startswith("2行目「事業のポイント」列：")
    assert "「‒」（U+2012 FIGURE DASH）" in message
    assert "Shift_JIS" in message and "CSV UTF-8" in message and ".xlsx" in message
    # Nothing was written, even by a confirm: the stored text keeps its dash.
    assert run_import(resource_for("programs.Program")(), data, dry_run=False).has_errors
    assert "【４‒６月期】" in survey.get().points


def test_damage_is_found_beside_a_real_edit_in_the_same_cell():
    survey = Program.objects.filter(code="sme-business-conditions-survey")
    text = export_text("programs.Program", survey).replace("【１‒３月期】", "【１‒３月期】改")
    report = preview("programs.Program", excel_shift_jis(text))
    assert only_row(report).status == "error"
    assert "「‒」" in report.errors[0]


def test_damage_in_a_long_cell_is_found_with_bounded_alignment(monkeypatch):
    """difflib's alignment takes time in the square of its input (30,000 characters held a
    worker past gunicorn's timeout): only a short differing stretch is given to it."""
    aligned = []
    real_matcher = excel.difflib.SequenceMatcher

    def matcher(junk, a, b, **kwargs):
        aligned.append(len(a) + len(b))
        return real_matcher(junk, a, b, **kwargs)

    monkeypatch.setattr(excel.difflib, "SequenceMatcher", matcher)
    stored = "あ" * 15_000 + "【４‒６月期】" + "い" * 15_000
    # An edit at the start, the damage in the middle: found from the middle's far end.
    edited = "改" + stored[1:].replace("‒", "?")
    assert excel.lost_characters(stored, edited) == ["‒"]
    # A short edit next to the damage: aligned with difflib, on the differing stretch only.
    beside = stored.replace("【４‒６月期】", "【４?６月期】改")
    assert excel.lost_characters(stored, beside) == ["‒"]
    # Between two edits: only the shared start and end passed over leave a stretch short
    # enough for difflib, which finds it.
    between = stored.replace("【４‒６月期】", "増【４?６月期】増")
    assert excel.lost_characters(stored, between) == ["‒"]
    # A "?" typed in place of a character Shift_JIS keeps is an edit, not damage.
    assert excel.lost_characters(stored, stored[:-1] + "?") == []
    assert aligned and max(aligned) <= excel.MAX_DIFF_CHARS


# --- Shift_JIS: look-alike swaps are no change -------------------------------------------------
@pytest.mark.parametrize("stored, swapped", PAIRS + [(b, a) for a, b in PAIRS])
def test_a_look_alike_swap_is_unchanged_and_keeps_the_stored_character(stored, swapped):
    section = Section.objects.order_by("code").first()
    section.name = f"企業支援課{stored}テスト"
    section.save()
    text = export_text("contacts.Section", Section.objects.filter(pk=section.pk))
    data = text.replace(stored, swapped).encode("utf-8")  # the bytes as Excel's save read back
    assert data.decode().count(swapped) == 1

    report = run_import(resource_for("contacts.Section")(), data, dry_run=False)
    assert only_row(report).status == "unchanged"
    section.refresh_from_db()
    assert section.name == f"企業支援課{stored}テスト"


def test_excel_shift_jis_save_of_a_wave_dash_round_trips_unchanged():
    section = Section.objects.order_by("code").first()
    section.name = "受付 9:00〜17:00"
    section.save()
    data = excel_shift_jis(export_text("contacts.Section", Section.objects.filter(pk=section.pk)))
    assert "～".encode("cp932") in data
    assert only_row(preview("contacts.Section", data)).status == "unchanged"


def test_a_look_alike_beside_a_real_edit_is_a_change():
    section = Section.objects.order_by("code").first()
    section.name = "〜課"
    section.save()
    text = export_text("contacts.Section", Section.objects.filter(pk=section.pk))
    row = only_row(preview("contacts.Section", text.replace("〜課", "～室").encode()))
    assert row.status == "changed"


# --- Excel's typing -----------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["2024/6/1", "2024/06/01"])
def test_excel_dates_are_read(typed):
    text = export_text("programs.Edition")
    assert "2024-06-01" in text
    report = preview("programs.Edition", text.replace("2024-06-01", typed).encode())
    assert [r.status for r in report.rows] == ["unchanged"]


def test_prefecture_codes_that_lost_their_zero_are_padded():
    rows = list(csv.reader(io.StringIO(export_text("contacts.Prefecture"), newline="")))
    stripped = [rows[0]] + [[row[0].lstrip("0"), *row[1:]] for row in rows[1:]]
    assert stripped[1][0] == "1"
    report = preview("contacts.Prefecture", csvio.write(stripped[0], stripped[1:]))
    assert report.counts["unchanged"] == 47 and not report.has_errors


def test_a_long_number_in_exponent_form_is_an_error_naming_excel():
    text = export_text("contacts.Section", Section.objects.filter(code="mutual-aid-kyosai-sodan"))
    report = preview("contacts.Section", text.replace("050-5541-7171", "5.05542E+10").encode())
    assert only_row(report).status == "error"
    assert "「電話番号」列" in report.errors[0] and "Excel" in report.errors[0]
    assert "指数表記" in report.errors[0]


def test_a_phone_number_that_lost_its_leading_zero_is_an_error_naming_excel():
    text = export_text("contacts.Section", Section.objects.filter(code="mutual-aid-kyosai-sodan"))
    report = preview("contacts.Section", text.replace("050-5541-7171", "5055417171").encode())
    assert only_row(report).status == "error"
    message = report.errors[0]
    assert "先頭の0" in message and "Excel" in message and "05055417171" in message


# --- Excel's 「Unicode テキスト」 ---------------------------------------------------------------
def test_utf16_tab_separated_text_is_read_like_csv():
    rows = list(csv.reader(io.StringIO(export_text("contacts.Section"), newline="")))
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode("utf-16")  # with its byte order mark, as Excel writes it
    assert data.startswith(b"\xff\xfe") and b"\x00" in data
    report = preview("contacts.Section", data)
    assert report.encoding == "utf-16"
    assert report.counts["unchanged"] == len(rows) - 1 and not report.has_errors


# --- round trips: an unedited export is 「変更なし」 in every format, for every entity ---------
LABELS = [entry.label for entry in entries()]


@pytest.mark.parametrize("label", LABELS)
def test_unedited_round_trip_is_unchanged_in_every_format(label):
    resource = resource_for(label)()
    headers, rows = resource.export_rows()
    files = {
        "utf-8-sig": csvio.write(headers, rows, "utf-8-sig"),
        "xlsx": xlsx.write(resource, headers, rows),
    }
    if not csvio.unencodable_cells(headers, rows, resource.key_columns()):
        files["cp932"] = csvio.write(headers, rows, "cp932")
    else:
        assert label == "programs.Program"  # the handbook's figure dash (‒)
    for name, data in files.items():
        report = preview(label, data)
        assert not report.has_errors, (name, report.errors[:3])
        assert report.counts["unchanged"] == len(rows), (name, report.summary())


# --- workbooks ------------------------------------------------------------------------------------
def workbook_of(label):
    resource = resource_for(label)()
    headers, rows = resource.export_rows()
    return openpyxl.load_workbook(io.BytesIO(xlsx.write(resource, headers, rows)))


def test_exported_workbook_is_ready_for_excel():
    book = workbook_of("contacts.Prefecture")
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["都道府県コード", "都道府県名", "管轄の地域本部コード"]
    assert sheet["A2"].value == "01" and sheet["A2"].number_format == "@"
    assert sheet.column_dimensions["A"].number_format == "@"  # new rows typed later, too
    assert sheet.column_dimensions["B"].width >= 8
    # 管轄の地域本部コード: a drop-down of the offices' codes, kept on a hidden sheet.
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref).startswith("C2:")
    lists = book[xlsx.LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert "chugoku" in [c.value for c in lists["A"]]


def test_program_workbook_has_drop_downs_for_choices_and_references_and_numbers_as_numbers():
    sheet = workbook_of("programs.Program").active
    header = [c.value for c in sheet[1]]
    validated = {
        header[openpyxl.utils.column_index_from_string(str(v.sqref).split(":")[0][:-1]) - 1]
        for v in sheet.data_validations.dataValidation
    }
    expected = {"年度", "経営課題", "支援施策別", "担当部門", "お問合せ先（課・室コード）"}
    assert validated >= expected | {"新型コロナ関連", "掲載状態"}
    number = header.index("章内番号") + 1
    assert isinstance(sheet.cell(2, number).value, int)
    phones = header.index("お問合せ先電話番号") + 1
    assert sheet.cell(2, phones).number_format == "@"


def test_a_cell_starting_with_equals_is_text_not_a_formula():
    section = Section.objects.order_by("code").first()
    section.name = '=HYPERLINK("http://example.com")'
    section.save()
    sheet = workbook_of("contacts.Section").active
    names = [c for c in sheet["C"] if c.value == section.name]
    assert names and names[0].data_type == "s"


def edited_workbook(label, edit):
    book = workbook_of(label)
    edit(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_workbook_edited_with_excel_typing_is_understood():
    def edit(sheet):
        sheet["A2"].value = 1  # 都道府県コード typed as a number
        sheet["A2"].data_type = "n"
        sheet["B3"].value = "青森県"  # unchanged text

    report = preview("contacts.Prefecture", edited_workbook("contacts.Prefecture", edit))
    assert report.encoding == "xlsx"
    assert report.counts["unchanged"] == 47 and not report.has_errors

    def date_edit(sheet):
        sheet["D2"].value = datetime.datetime(2024, 6, 1)  # a date cell, as Excel stores one

    report = preview("programs.Edition", edited_workbook("programs.Edition", date_edit))
    assert [r.status for r in report.rows] == ["unchanged"]


def test_workbook_errors_name_the_excel_row_and_column():
    def edit(sheet):
        sheet["D6"].value = 3123456789  # a phone typed as a number: its 0 is gone
        sheet.insert_rows(4)  # a blank row in between: row numbers stay Excel's

    report = preview("contacts.Section", edited_workbook("contacts.Section", edit))
    assert report.has_errors
    (message,) = report.errors
    assert message.startswith("7行目「電話番号」列：") and "先頭の0" in message


def test_workbook_edit_of_one_cell_is_one_change():
    def edit(sheet):
        sheet["B2"].value = "北海道（テスト）"

    report = preview("contacts.Prefecture", edited_workbook("contacts.Prefecture", edit))
    assert report.counts == {"new": 0, "changed": 1, "unchanged": 46, "error": 0}
    (changed,) = [r for r in report.rows if r.status == "changed"]
    assert changed.changes == [("都道府県名", "北海道", "北海道（テスト）")]
    assert Prefecture.objects.get(code="01").name == "北海道"


def saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_first_sheet_is_read_whichever_was_open_when_saved():
    # A note sheet added after the table and left open when the file was saved.
    book = workbook_of("contacts.Prefecture")
    notes = book.create_sheet("メモ")
    notes["A1"] = "確認済み"
    book.active = book.index(notes)
    report = preview("contacts.Prefecture", saved(book))
    assert not report.file_errors
    assert report.counts["unchanged"] == 47


def test_a_header_below_empty_rows_is_explained():
    book = workbook_of("contacts.Prefecture")
    book.active.insert_rows(1, amount=2)
    report = preview("contacts.Prefecture", saved(book))
    assert report.file_errors == [
        "1行目が空です。列名（見出し）は1行目に置いてください"
        "（最初に値のある行は3行目です。その上の空の行を削除してください）。"
    ]


def test_a_stray_value_far_to_the_right_names_a_few_blank_columns():
    book = workbook_of("contacts.Prefecture")
    book.active.cell(8, 16000).value = "x"
    report = preview("contacts.Prefecture", saved(book))
    [message] = report.file_errors
    assert message.startswith("1行目：列名が空欄の列があります（4列目、5列目、")
    assert message.endswith("13列目 ほか15,987列）"), message


@pytest.mark.parametrize("typed, error", [(12.5, True), ("12.0", False), (12, False)])
def test_a_number_with_a_fraction_in_an_integer_column_is_an_error(typed, error):
    """import-export's IntegerWidget truncates 12.5 to 12 without a word (an outside probe)."""
    header = [c.value for c in workbook_of("programs.Program").active[1]]
    column = header.index("掲載ページ") + 1

    def edit(sheet):
        sheet.cell(2, column).value = typed

    report = preview("programs.Program", edited_workbook("programs.Program", edit))
    if error:
        [message] = report.errors
        assert message.startswith("2行目「掲載ページ」列：「12.5」は整数ではありません。")
    else:
        assert not report.has_errors
