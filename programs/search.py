"""Keyword search that answers: bounded words, staff-edited synonyms, relevance, snippets.

A query is folded like the stored search columns (NFKC, case-folded, spaces removed inside a
word), cut to MAX_CHARS characters and MAX_WORDS distinct words. Each word also matches its
synonyms (SearchSynonym, edited in the admin). All words must match; when that finds nothing,
any word may match (the page says so). Results are ranked: a word in the name counts most, then
the reading, the tagline, and last the body text (対象者, 事業のポイント, 地域); a program for
businesses (中小企業・小規模事業者, 創業予定者・創業者) gets one point more. Equal scores are
ordered by the length of the name as read (よみ), shorter first — the word is more of that name
(field-length normalisation, as in BM25). The reading measures every name in the same unit, so
a name written in kana (ものづくり) is not counted longer than one written in kanji (事業).
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Length, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.text import normalize, to_hiragana

MAX_CHARS = 100
MAX_WORDS = 10

# Points for where a word is found (the best place counts).
NAME_EXACT, NAME_SYNONYM, READING, TAGLINE, BODY = 16, 12, 10, 6, 2
BUSINESS_BONUS = 1


@dataclass
class Query:
    text: str  # the folded query as searched (after the limits)
    words: list  # [[word, synonym, …], …] — the typed word first
    notices: list = field(default_factory=list)

    @property
    def variants(self):
        return [v for group in self.words for v in group]


def parse(value, synonyms=None):
    """The words of a query within the limits, each with its synonyms."""
    notices = []
    folded = normalize(value)
    if len(folded) > MAX_CHARS:
        folded = folded[:MAX_CHARS]
        notices.append(f"キーワードが長いため、最初の{MAX_CHARS}文字で検索しました。")
    words = list(dict.fromkeys(folded.split()))
    if len(words) > MAX_WORDS:
        notices.append(
            f"キーワードは{MAX_WORDS}語までです。{MAX_WORDS + 1}語目以降"
            f"（{'、'.join(words[MAX_WORDS:][:5])}{' ほか' if len(words) > MAX_WORDS + 5 else ''}）"
            "は使っていません。"
        )
        words = words[:MAX_WORDS]
    synonyms = synonyms or {}
    groups = [[w, *[s for s in synonyms.get(w, ()) if s != w]] for w in words]
    return Query(text=" ".join(words), words=groups, notices=notices)


def folded(name):
    """A stored search column with the spaces taken out (「IT 導入」 matches 「IT導入」)."""
    return Replace(F(name), Value(" "), Value(""), output_field=TextField())


def word_q(group):
    condition = Q()
    for variant in group:
        condition |= Q(_folded__contains=variant) | Q(reading__contains=to_hiragana(variant))
    return condition


def word_score(group):
    typed, synonyms = group[0], group[1:]
    whens = [When(_name__contains=typed, then=Value(NAME_EXACT))]
    whens += [When(_name__contains=s, then=Value(NAME_SYNONYM)) for s in synonyms]
    whens += [When(reading__contains=to_hiragana(v), then=Value(READING)) for v in group]
    whens += [When(_tagline__contains=v, then=Value(TAGLINE)) for v in group]
    whens += [When(_folded__contains=v, then=Value(BODY)) for v in group]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def search(queryset, query, business_q):
    """Programs matching all words — or, if none does, any word — ranked by relevance.

    One query: the any-word branch is guarded by NOT EXISTS(all-word match) over the same rows,
    so the result and its count need no second round trip. Each row has `all_words`."""
    if not query.words:
        return queryset
    queryset = queryset.alias(
        _folded=folded("search_index"),
        _name=folded("search_name"),
        _tagline=folded("search_tagline"),
    )
    all_words, any_word = Q(), Q()
    for group in query.words:
        condition = word_q(group)
        all_words &= condition
        any_word |= condition
    if len(query.words) > 1:
        has_full = Exists(queryset.filter(all_words).values("pk"))
        queryset = queryset.filter(all_words | (any_word & ~has_full))
    else:
        queryset = queryset.filter(all_words)
    score = Value(0)
    for group in query.words:
        score = score + word_score(group)
    score = score + Case(
        When(business_q, then=Value(BUSINESS_BONUS)), default=Value(0), output_field=IntegerField()
    )
    return queryset.annotate(
        relevance=score,
        all_words=Case(
            When(all_words, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    ).order_by("-relevance", Length("reading"), Length("name"), "chapter__number", "number")


# --- snippets ----------------------------------------------------------------------------------


def _fold_map(text):
    """The folded text (as search columns fold it, spaces removed) and, for each of its
    characters, the index of the original character it came from."""
    chars, index = [], []
    for i, char in enumerate(text):
        for c in normalize(char):
            if c.isspace():
                continue
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def snippet(texts, variants, width=40):
    """A short extract of the first text containing a variant, with every variant in <mark>
    (escaped; safe to print). Empty when no text contains one."""
    variants = sorted({v for v in variants if v}, key=len, reverse=True)
    for text in texts:
        if not text:
            continue
        folded_text, index = _fold_map(text)
        spans = []
        for variant in variants:
            for match in re.finditer(re.escape(variant), folded_text):
                start, end = index[match.start()], index[match.end() - 1] + 1
                if not any(s < end and start < e for s, e in spans):
                    spans.append((start, end))
        if not spans:
            continue
        spans.sort()
        first = spans[0][0]
        lo = max(0, first - width // 2)
        hi = min(len(text), lo + width * 2)
        parts, pos = [], lo
        for start, end in spans:
            if start < lo or end > hi:
                continue
            parts.append(escape(text[pos:start]))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            pos = end
        parts.append(escape(text[pos:hi]))
        html = "".join(parts).replace("\n", " ")
        return mark_safe(("…" if lo else "") + html + ("…" if hi < len(text) else ""))
    return ""


# --- 「もしかして」 ------------------------------------------------------------------------------

_PARTS = re.compile(r"[\s（）()〔〕【】「」・、。/／]+")


MAX_CANDIDATES = 5000


def suggestions(query, names, limit=3):
    """Words from program names and readings close to a word that found nothing: whole name
    parts and same-length pieces of them (持続か → 持続化). At most MAX_CANDIDATES strings are
    compared per word, whatever the number of programs."""
    parts = set()
    for name, reading in names:
        for text in (name, reading):
            parts.update(p for p in _PARTS.split(normalize(text or "")) if len(p) >= 2)
    found = []
    for group in query.words:
        word = group[0]
        ordered = sorted(parts)[:MAX_CANDIDATES]
        matches = difflib.get_close_matches(word, ordered, n=limit, cutoff=0.6)
        if not matches:
            # Pieces of the same length that start or end like the word (持続か → 持続化).
            pieces = set()
            for part in ordered:
                for i in range(len(part) - len(word) + 1):
                    piece = part[i : i + len(word)]
                    if piece[0] == word[0] or piece[-1] == word[-1]:
                        pieces.add(piece)
                if len(pieces) >= MAX_CANDIDATES:
                    break
            matches = difflib.get_close_matches(word, sorted(pieces), n=limit, cutoff=0.6)
        found += [m for m in matches if m != word and m not in found]
    return found[:limit]
