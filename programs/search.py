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
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core import page_cache
from core.text import gojuon_key, normalize, to_hiragana

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


# --- the index -----------------------------------------------------------------------------
#
# Substring search over Japanese text has no help from a database index for two-character words
# (融資, 創業, 岡山: trigram indexes need three), so every search would read every program's text
# in SQL: from 0.6 to 2.7 s at 10,000 programs (bench/README.md). The same test over texts kept
# in memory takes milliseconds. Each worker keeps the search texts of the editions
# asked for recently, keyed by the content version that every data change moves
# (core.page_cache): the version is read before the texts, so an index is never older than the
# version it is kept under.


class Found(NamedTuple):
    """A search's result: positions in the index, in order (no object per match: at 10,000
    programs a search may find thousands, of which a page shows twenty). Not to be changed:
    it may be the index's own order."""

    positions: list
    every: set  # the positions that have all the words (the rest came from the fallback)


COLUMNS = ("pk", "reading", "name", "chapter__number", "number", "audience")
TEXT_COLUMNS = ("pk", "search_name", "search_tagline", "search_index")
MAX_INDEXES = 3  # e.g. the current edition, an archived one and a draft being previewed
_indexes = {}
SEPARATOR = "\x00"  # never in a query (a 400): no word can match across two programs


class Word(NamedTuple):
    """A word of the query prepared once: what the text and the reading must contain."""

    typed: str
    synonyms: list
    variants: list
    readings: list  # the variants as hiragana, for the reading

    @classmethod
    def of(cls, group):
        return cls(group[0], group[1:], group, list(dict.fromkeys(to_hiragana(v) for v in group)))


def _essential(variants):
    """The variants a text must contain one of: 助成 already finds everything 助成金 finds."""
    return [v for v in variants if not any(o != v and o in v for o in variants)]


class Column:
    """One text per program, kept joined into one string: finding a word in all of them is one
    scan in C rather than a Python step per program, and each text is stored once."""

    def __init__(self, texts):
        self.joined = SEPARATOR.join(texts)
        self.starts = []
        position = 0
        for text in texts:
            self.starts.append(position)
            position += len(text) + 1
        self.starts.append(position)  # where a next text would begin

    def containing(self, needle):
        """Positions of the texts that contain `needle`: one find() per matching text."""
        found, joined, starts = [], self.joined, self.starts
        at = joined.find(needle)
        while at != -1:
            i = bisect_right(starts, at) - 1
            found.append(i)
            at = joined.find(needle, starts[i + 1])
        return found


READING_PLACE, BODY_PLACE = 2, 4  # in Index.places


class Index:
    """One set of programs (an edition's active ones) in memory: their orders and facet groups
    (the list) and their searchable texts, in columns (keyword search)."""

    def __init__(self, rows, payload=None, business_audiences=(), texts=()):
        """rows: (pk, reading, name, chapter number, number, audience, *extra) as COLUMNS and
        the caller's extra columns give them. texts: the rows of TEXT_COLUMNS, or a function
        that reads them, called when a word is first searched (a list without a keyword never
        reads the texts, nine tenths of what is kept)."""
        # Column by column (a transposition and maps in C): after every data change the first
        # list request of each worker builds this, for every program.
        columns = list(zip(*rows, strict=True)) or [()] * len(COLUMNS)
        pks, readings, displays, chapters, numbers, audiences = columns[: len(COLUMNS)]
        self.pks, self.display_names, self.reading_texts = list(pks), displays, readings
        # What the caller made of the extra columns (the list's facet group), kept once per
        # distinct value: a position holds that value's number, so counting or filtering
        # thousands of matches is done over small integers, in C.
        extra = columns[len(COLUMNS) :]
        raws = zip(*extra, strict=True) if extra else [()] * len(pks)
        numbering = {}
        self.payload_ids = [numbering.setdefault(raw, len(numbering)) for raw in raws]
        self.payloads = [payload(*raw) if payload else raw for raw in numbering]
        business_audiences = frozenset(business_audiences)
        is_business = {
            audience: not business_audiences.isdisjoint(audience.split("\n"))
            for audience in set(audiences)
        }
        self.business = set(compress(range(len(pks)), map(is_business.__getitem__, audiences)))
        self.readings = Column(readings)
        self._texts = texts
        # Each order's keys; the order itself, and each entry's rank in it, are worked out the
        # first time it is asked for (a search sorts integers, a list without a keyword is a
        # slice of an order).
        self._order_keys = {
            # Relevance ties: the shorter reading, then name, first; then handbook order.
            "": lambda: zip(map(len, readings), map(len, displays), chapters, numbers, strict=True),
            "handbook": lambda: zip(chapters, numbers, strict=True),
            "kana": lambda: map(kana_order, readings, chapters, numbers),
        }
        self._orders, self._ranks = {}, {}

    def order(self, name):
        """The positions in an order ("", "handbook" or "kana")."""
        if name not in self._orders:
            self._orders[name] = _ordered(list(self._order_keys[name]()))
        return self._orders[name]

    def ranks(self, name):
        """Each position's place in an order."""
        if name not in self._ranks:
            self._ranks[name] = _ranks(self.order(name))
        return self._ranks[name]

    def pks_at(self, positions):
        return list(map(self.pks.__getitem__, positions))

    def count_payloads(self, positions):
        """How many of the positions hold each payload (two raw values may make one payload:
        their counts add up)."""
        counts = Counter()
        for number, n in Counter(map(self.payload_ids.__getitem__, positions)).items():
            counts[self.payloads[number]] += n
        return counts

    def keep(self, positions, test):
        """The positions whose payload passes `test`, in order; the test is asked once per
        distinct payload, not once per position."""
        passing = {number for number, value in enumerate(self.payloads) if test(value)}
        return list(
            compress(
                positions, map(passing.__contains__, map(self.payload_ids.__getitem__, positions))
            )
        )

    @cached_property
    def text_columns(self):
        """The names, taglines and bodies as searched, in the index's order. Read after the rest
        (possibly by a later request): a program added since is not in the index, one removed
        since has no text (the content version has moved: the index is read again anyway)."""
        texts = self._texts() if callable(self._texts) else self._texts
        found = {pk: (name, tagline, body) for pk, name, tagline, body in texts}
        columns = zip(*(found.get(pk, ("", "", "")) for pk in self.pks), strict=True)
        names, taglines, bodies = list(columns) or ((), (), ())
        return Column(names), Column(taglines), Column(bodies)

    @classmethod
    def load(cls, queryset, extra=(), payload=None, business_audiences=()):
        """One query, and one more for the texts when first searched; `payload(*extra
        columns)` is kept with each entry."""
        queryset = queryset.order_by()
        rows = queryset.values_list(*COLUMNS, *extra).iterator(chunk_size=2000)

        def texts():
            return queryset.values_list(*TEXT_COLUMNS).iterator(chunk_size=2000)

        return cls(rows, payload, business_audiences, texts)

    def places(self, word):
        """For one word: the positions of the entries containing it (or a synonym) in each
        place, best place first, as (points, positions). Each is a scan of one column."""

        def containing(column, needles):
            found = set()
            for needle in _essential(needles):
                found.update(column.containing(needle))
            return found

        names, taglines, bodies = self.text_columns
        return [
            (NAME_EXACT, containing(names, [word.typed])),
            (NAME_SYNONYM, containing(names, word.synonyms)),
            (READING, containing(self.readings, word.readings)),
            (TAGLINE, containing(taglines, word.variants)),
            # The body holds the name and tagline too: every match of the word is in it or
            # in the reading.
            (BODY, containing(bodies, word.variants)),
        ]

    def everything(self, order):
        """Every entry, in an order ("handbook" or "kana"): the list without a keyword."""
        return Found(self.order(order), range(len(self.pks)))

    def find(self, query, order=""):
        """The entries matching all words — or, if none does, any word — in the order asked
        for (relevance by default)."""
        if not query.words:
            return Found([], set())
        places = [self.places(Word.of(group)) for group in query.words]
        matched = [found[READING_PLACE][1] | found[BODY_PLACE][1] for found in places]
        every = set.intersection(*matched)
        found = every if every or len(matched) == 1 else set.union(*matched)
        rank = self.ranks(order)
        if order:
            return Found(sorted(found, key=rank.__getitem__), every)
        # Relevance. A score is a sum of a few small points, so the matches fall into a few
        # dozen classes of equal score at most; the classes are made with set operations and
        # each is sorted by rank — no Python step per match (there may be thousands).
        classes = {BUSINESS_BONUS: found & self.business, 0: found - self.business}
        for word_places in places:
            scored = defaultdict(set)
            for score, members in classes.items():
                for points, positions in word_places:  # the best place counts
                    hit = members & positions
                    if hit:
                        scored[score + points] |= hit
                        members = members - hit
                if members:
                    scored[score] |= members
            classes = scored
        ordered = []
        for score in sorted(classes, reverse=True):
            ordered += sorted(classes[score], key=rank.__getitem__)
        return Found(ordered, every)

    def names_and_readings(self):
        return list(zip(self.display_names, self.reading_texts, strict=True))


def kana_order(reading, chapter_number, number):
    """A program's place in 五十音順 (core.text.gojuon_key), ties in handbook order: the list,
    and the exports that cannot take their order from the index, sort with this."""
    return (gojuon_key(reading), chapter_number, number)


def _ordered(keys):
    """The positions of the keys in sorted order."""
    return sorted(range(len(keys)), key=keys.__getitem__)


def _ranks(order):
    """Each position's place in an order (the inverse permutation)."""
    return sorted(range(len(order)), key=order.__getitem__)


def index_for(queryset, extra=(), payload=None, business_audiences=()):
    """The search index of a queryset's programs, kept while the content does not change."""
    version = page_cache.content_version()  # before the data: see the comment above
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return Index([])
    key = (sql, params, tuple(extra), payload, tuple(business_audiences), version)
    index = _indexes.get(key)
    if index is None:
        index = Index.load(queryset, extra, payload, business_audiences)
        # The version only moves on: an index kept under an older one is never read again.
        for stale in [k for k in _indexes if k[-1] != version]:
            del _indexes[stale]
        while len(_indexes) >= MAX_INDEXES:
            _indexes.pop(next(iter(_indexes)))
        _indexes[key] = index
    return index


# --- snippets ----------------------------------------------------------------------------------


class _FoldedChars(dict):
    """Each character folded as the search columns fold it (NFKC, case-folded), spaces
    removed: worked out once per character met, then looked up."""

    def __missing__(self, char):
        folded = "".join(c for c in normalize(char) if not c.isspace())
        self[char] = folded
        return folded


_folded_chars = _FoldedChars()


def _fold_map(text):
    """The folded text (as search columns fold it, spaces removed) and, for each of its
    characters, the index of the original character it came from."""
    pieces = [_folded_chars[char] for char in text]
    index = [i for i, piece in enumerate(pieces) for _c in piece]
    return "".join(pieces), index


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
