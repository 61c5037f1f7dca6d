"""What Excel does to a file staff opened and saved, recognised on import.

- 「CSV（コンマ区切り）」 is Shift_JIS: every character cp932 lacks becomes "?" (data lost), and
  Windows' cp932 table swaps some characters for look-alikes (〜 U+301C becomes ～ U+FF5E …).
  A "?" standing exactly where a stored character cp932 cannot encode was is damage, never an
  edit; a look-alike swap is no edit at all, and the stored character is kept.
- Excel types cells: a long digit string becomes 1.23457E+11 and a phone number loses its
  leading 0. Where the meaning is certain (a two-digit code, a date) the import reads it; where
  it is not, the error names Excel as the cause.
"""

import difflib
import re
import unicodedata
from os.path import commonprefix

# Pairs that look the same but that Windows' cp932 (and so Excel's Shift_JIS save) maps to one
# another; the first of each pair is the one Python's cp932 codec cannot encode.
LOOKALIKES = [
    ("\u301c", "\uff5e"),  # 〜 WAVE DASH ↔ ～ FULLWIDTH TILDE
    ("\u2212", "\uff0d"),  # − MINUS SIGN ↔ － FULLWIDTH HYPHEN-MINUS
    ("\u2016", "\u2225"),  # ‖ DOUBLE VERTICAL LINE ↔ ∥ PARALLEL TO
    ("\u2014", "\u2015"),  # — EM DASH ↔ ― HORIZONTAL BAR
    ("\u00a2", "\uffe0"),  # ¢ ↔ ￠
    ("\u00a3", "\uffe1"),  # £ ↔ ￡
    ("\u00ac", "\uffe2"),  # ¬ ↔ ￢
]
_FOLD = str.maketrans({a: b for a, b in LOOKALIKES})

SAVE_AS_ADVICE = (
    "Excelブック（.xlsx）のまま取り込むか、Excelで「CSV UTF-8（コンマ区切り）」を選んで"
    "保存し直してください。"
)


def fold_lookalikes(text: str) -> str:
    return text.translate(_FOLD)


def only_lookalike_swaps(stored: str, new: str) -> bool:
    """The new value differs from the stored one only by cp932 look-alike swaps."""
    return stored != new and fold_lookalikes(stored) == fold_lookalikes(new)


def encodable_in_cp932(char: str) -> bool:
    try:
        char.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


# Longest stretch (both sides together) compared character by character with difflib, which
# takes time in the square of it: 10,000 characters took 3.9 s, 20,000 16 s (an outside probe).
MAX_DIFF_CHARS = 1000


def lost_characters(stored: str, new: str) -> list[str]:
    """The stored characters that Excel's Shift_JIS save turned into "?" in `new` (empty when
    there are none): each "?" in the new value that replaces, one for one, a stored character
    cp932 cannot encode. Other edits in the same cell do not hide the damage.

    Time is linear in the cell: what the two values share at the start and at the end is
    passed over, and only a short differing middle is aligned with difflib. A longer one is
    aligned from each of its ends, as a one-for-one substitution keeps it: damage beside an
    edit is still found, except between two edits in a long middle."""
    if "?" not in new or stored == new:
        return []
    if encodable_in_cp932(stored):
        return []  # every character survives a Shift_JIS save: none was lost
    old, fresh = fold_lookalikes(stored), fold_lookalikes(new)
    start = len(commonprefix([old, fresh]))
    end = len(commonprefix([old[start:][::-1], fresh[start:][::-1]]))
    old_middle, fresh_middle = old[start : len(old) - end], fresh[start : len(fresh) - end]
    if len(old_middle) + len(fresh_middle) <= MAX_DIFF_CHARS:
        matcher = difflib.SequenceMatcher(None, old_middle, fresh_middle, autojunk=False)
        pairs = [
            (start + i1 + k, start + j1 + k)
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
            if op == "replace" and i2 - i1 == j2 - j1
            for k in range(i2 - i1)
        ]
    else:
        shared = min(len(old_middle), len(fresh_middle))
        pairs = [(start + k, start + k) for k in range(shared)]
        pairs += [(len(old) - end - 1 - k, len(fresh) - end - 1 - k) for k in range(shared)]
    lost = [stored[i] for i, j in pairs if new[j] == "?" and not encodable_in_cp932(stored[i])]
    return list(dict.fromkeys(lost))


def describe(char: str) -> str:
    """「‒」（U+2012 FIGURE DASH）"""
    name = unicodedata.name(char, "")
    return f"「{char}」（U+{ord(char):04X}{' ' + name if name else ''}）"


def lost_message(chars) -> str:
    return (
        "「?」になった文字があります："
        + "、".join(describe(c) for c in chars)
        + "。ExcelでCSV（コンマ区切り）として保存すると、Shift_JISで表せない文字は「?」に"
        "置き換わり、元に戻せません。" + SAVE_AS_ADVICE
    )


# 1.23457E+11, 1.2E+5, 3E+10: Excel's display of a long number it typed as a number.
_EXPONENT_RE = re.compile(r"^[0-9](\.[0-9]+)?E\+[0-9]+$", re.IGNORECASE)


def exponent_message(value: str):
    """A message when the value is a number Excel shows in exponent form (digits are lost)."""
    if _EXPONENT_RE.match(value.strip()):
        return (
            f"「{value}」は、Excelが数字の並びを数値として扱い、指数表記にしたものです"
            "（桁が失われています）。元の値を入力し直し、列の書式を「文字列」にしてから保存するか、"
            "Excelブック（.xlsx）で書き出したファイルを使ってください。"
        )
    return None


# A number Excel typed as a number: digits only, no hyphen, and its leading 0 gone.
_STRIPPED_PHONE_RE = re.compile(r"^[1-9][0-9]{8,10}$")


def stripped_phone_message(value: str):
    """A message when a phone line looks like a number whose leading 0 Excel removed."""
    for line in value.splitlines():
        number = line.rpartition("：")[2].strip()
        if _STRIPPED_PHONE_RE.match(number):
            return (
                f"電話番号「{number}」は先頭の0がありません。Excelが電話番号を数値として扱い、"
                f"先頭の0を消した可能性があります（0{number} ではありませんか）。"
                "電話番号はハイフン付き（例：03-5470-1564）で入力し、列の書式を「文字列」にしてください。"
            )
    return None
