"""Folding Japanese text for search and for the 索引."""

import unicodedata


def normalize(text: str) -> str:
    """NFKC fold so that ＩＴ matches IT and ｶﾀｶﾅ matches カタカナ; case-insensitive."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def search_text(*parts: str) -> str:
    return normalize("\n".join(p for p in parts if p))


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


def kana_heading(reading: str) -> str:
    """The 索引 heading a reading files under: its first kana without dakuten (が → か)."""
    if not reading:
        return ""
    first = unicodedata.normalize("NFD", reading[0])[0]
    return first.translate(_SMALL_KANA)
