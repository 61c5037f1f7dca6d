"""The next year's handbook as the issue's tests need it: the 2024 programs CSV (fixtures/) turned
into a 2025 file with exactly one renamed program, one changed fee, one new program and one
removed program."""

from django.conf import settings

from csvimport import csvio

RENAMED = "hands-on-it"
OLD_NAME = "ハンズオン支援事業（IT）"
NEW_NAME = "ハンズオン支援事業（IT・DX）"
FEE_CHANGED = "production-process-smart-diagnosis"
OLD_FEE = "無料"
NEW_FEE = "1回目無料、2回目以降 5,500円（消費税込）"
REMOVED = "sme-questionnaire-survey"
REMOVED_NAME = "中小企業アンケート調査"
NEW = "overseas-digital-support"
NEW_PROGRAM_NAME = "海外デジタル展開支援"
TEMPLATE = "international-exchange"  # the new program starts as a copy of this row


def handbook_programs():
    data = (settings.BASE_DIR / "fixtures" / "programs.csv").read_bytes()
    text, _encoding = csvio.decode(data)
    header, rows = csvio.read_rows(text)
    return header, [cells + [""] * (len(header) - len(cells)) for _line, cells in rows]


def next_year_csv(year="2025", encoding="utf-8-sig"):
    """The 2025 programs CSV as Excel would save it (年度 column set to `year`)."""
    header, rows = handbook_programs()
    col = {name: i for i, name in enumerate(header)}
    result = []
    for row in rows:
        row = list(row)
        row[col["年度"]] = year
        code = row[col["事業コード"]]
        if code == REMOVED:
            continue
        if code == RENAMED:
            assert row[col["事業・制度名"]] == OLD_NAME
            row[col["事業・制度名"]] = NEW_NAME
        if code == FEE_CHANGED:
            assert row[col["費用"]] == OLD_FEE
            row[col["費用"]] = NEW_FEE
        result.append(row)
        if code == TEMPLATE:
            new = list(row)
            new[col["事業コード"]] = NEW
            new[col["章内番号"]] = "5"
            new[col["事業・制度名"]] = NEW_PROGRAM_NAME
            new[col["キャッチコピー"]] = "海外展開にデジタルを活用する中小企業を支援します"
            new[col["索引見出し"]] = "か"
            new[col["よみ"]] = "かいがいでじたるてんかいしえん"
            result.append(new)
    return csvio.write(header, result, encoding)
