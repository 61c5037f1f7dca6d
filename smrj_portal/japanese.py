"""Japanese text helpers shared by models, importers and views."""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# Heisei ended on 2019-04-30, so every fiscal year from 2019 is a Reiwa year.
_ERAS = ((2019, "令和"), (1989, "平成"), (1926, "昭和"))


def wareki_year(year: int) -> str:
    """2024 → 令和6年, 2019 → 令和元年."""
    for start, era in _ERAS:
        if year >= start:
            n = year - start + 1
            return f"{era}{'元' if n == 1 else n}年"
    return f"{year}年"


def fiscal_year_label(year: int) -> str:
    return f"{wareki_year(year)}度"


def normalize(text: str) -> str:
    """NFKC fold so that ＩＴ matches IT and ｶﾀｶﾅ matches カタカナ; case-insensitive."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def search_text(*parts: str) -> str:
    return normalize("\n".join(p for p in parts if p))


# Japanese numbers: area code and subscriber groups joined by hyphens, 10 or 11 digits in all
# (0570 navi-dial numbers are printed as 0570-060515 as well as 0570-099-660).
_PHONE_RE = re.compile(r"0\d{1,4}(?:-\d{1,6}){1,2}")
_LABEL_SEP = "："


@dataclass(frozen=True)
class Phone:
    label: str
    number: str

    @property
    def is_fax(self) -> bool:
        # A fax number is printed beside the phones but must not become a tel: link.
        return self.label.strip().upper().startswith("FAX")

    @property
    def tel_uri(self) -> str:
        return "tel:" + self.number.replace("-", "")

    def __str__(self):
        return f"{self.label}{_LABEL_SEP}{self.number}" if self.label else self.number


def is_phone_number(number: str) -> bool:
    # Fixed lines and 0120/0570 numbers have 10 digits; only IP, mobile and 0800 numbers have 11.
    digits = number.replace("-", "")
    if not _PHONE_RE.fullmatch(number):
        return False
    if len(digits) == 11:
        return digits[:3] in {"050", "060", "070", "080", "090"} or digits.startswith("0800")
    return len(digits) == 10


def parse_phones(text: str) -> list[Phone]:
    """Phones are stored one per line as "番号" or "ラベル：番号"."""
    phones = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        label, sep, number = line.rpartition(_LABEL_SEP)
        phones.append(Phone(label=label if sep else "", number=number.strip()))
    return phones


def validate_phones(text: str) -> None:
    bad = [str(p) for p in parse_phones(text) if not is_phone_number(p.number)]
    if bad:
        raise ValidationError(
            "電話番号の形式が正しくありません（例：03-5470-1564）：%(bad)s",
            params={"bad": "、".join(bad)},
            code="invalid_phone",
        )


POSTAL_CODE_RE = r"^\d{3}-\d{4}$"


_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")


def kana_heading(reading: str) -> str:
    """The 索引 heading a reading files under: its first kana without dakuten (が → か)."""
    if not reading:
        return ""
    first = unicodedata.normalize("NFD", reading[0])[0]
    return first.translate(_SMALL_KANA)
