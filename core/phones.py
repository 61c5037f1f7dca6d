"""Japanese phone numbers and postal codes as the handbook prints them."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# Japanese numbers: area code and subscriber groups joined by hyphens, 10 or 11 digits in all
# (0570 navi-dial numbers are printed as 0570-060515 as well as 0570-099-660).
_PHONE_RE = re.compile(r"0\d{1,4}(?:-\d{1,6}){1,2}")
_LABEL_SEP = "："

POSTAL_CODE_RE = r"^\d{3}-\d{4}$"


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
