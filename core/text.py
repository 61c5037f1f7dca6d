"""Folding Japanese text for search and for the 索引, and the canonical form of stored text."""

import re
import unicodedata


def normalize(text: str) -> str:
    """NFKC fold so that ＩＴ matches IT and ｶﾀｶﾅ matches カタカナ; case-insensitive."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def search_text(*parts: str) -> str:
    """A stored search column: folded, one part a line, spaces removed, so that 「IT導入補助金」
    finds the handbook's 「IT 導入補助金」 with a plain substring test instead of stripping
    spaces from every text at search time."""
    return normalize("\n".join(p for p in parts if p)).replace(" ", "")


def search_variants(term):
    """ＩＴ, IT and ｉｔ should all find the same rows: the NFKC form and the full-width form of
    what was typed, as well as the text itself."""
    folded = unicodedata.normalize("NFKC", term)
    wide = "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in folded
    )
    return list(dict.fromkeys([term, folded, wide]))


_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def to_hiragana(text: str) -> str:
    return text.translate(_KATAKANA_TO_HIRAGANA)


_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")


_SOUND_MARKS = dict.fromkeys(map(ord, "\u3099\u309a"))  # combining dakuten, handakuten


def gojuon_key(reading: str) -> tuple:
    """A reading's place in 五十音順 as Japanese dictionaries sort: first without dakuten,
    handakuten or small kana (がいこく, as かいこく, before かぜ), then with them (か before
    が). Code-point order would put かぜ first, and a database's collation depends on how it was
    created: the list, its exports and the 索引 all sort with this."""
    reading = reading or ""
    plain = unicodedata.normalize("NFD", reading).translate(_SOUND_MARKS).translate(_SMALL_KANA)
    return (plain, reading)


def kana_heading(reading: str) -> str:
    """The 索引 heading a reading files under: its first kana without dakuten (が → か)."""
    if not reading:
        return ""
    first = unicodedata.normalize("NFD", reading[0])[0]
    return first.translate(_SMALL_KANA)


# --- the one canonical form of stored text ---------------------------------------------------
# Every text value the portal stores (typed in the admin, imported from CSV or Excel, or written
# by a data migration) goes through canonical_text, so that the same visible text is always the
# same string: a save or an import that changes nothing visible changes nothing stored, and the
# history, the preview and the 変更点 pages never list identical-looking before/after pairs.
#
# What is folded (nothing a reader can see):
# - line endings: CRLF (browsers' textareas, Excel) and CR become LF;
# - spaces and tabs at the end of each line;
# - blank lines and half-width spaces at the start and end of the whole value.
# What is kept (it may be meant): full-width spaces (「経営支援部　企業支援課」), leading spaces
# of later lines (indentation), a leading tab, and every other character as typed — look-alike
# characters are not unified here (see csvimport.excel for the Excel-specific rules).
_TRAILING_SPACE_RE = re.compile(r"[ \t]+$", re.MULTILINE)


def canonical_text(value):
    """The stored form of a text value (None and non-strings are returned as they are)."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE_RE.sub("", text).strip(" \n")
