import re
from collections import Counter
from functools import cached_property
from typing import NamedTuple

import django_filters
from django import forms
from django.db.models import Q

from contacts.models import Department
from core.pagination import KeyedResults

from . import search
from .models import (
    BUSINESS_AUDIENCES,
    NATIONWIDE,
    Audience,
    Chapter,
    Program,
    SearchSynonym,
    SupportType,
)

HANDBOOK_ORDER = ("chapter__number", "number")
SORT_ORDERS = {"kana": ("reading", *HANDBOOK_ORDER), "handbook": HANDBOOK_ORDER}
SORT_CHOICES = [("", "ハンドブック順"), ("kana", "五十音順")]
# A keyword search is ranked by relevance unless another order is chosen.
SEARCH_SORT_CHOICES = [("", "関係の深い順"), ("handbook", "ハンドブック順"), ("kana", "五十音順")]

# The list page's parameters in the order a canonical URL spells them.
PARAMS = ("q", "chapter", "support_type", "audience", "area", "department", "sort", "page")

AREA_CHOICES = [("national", "全国"), ("local", "地域限定")]

# What every filter but the keyword reads: the facets are counted over these columns alone.
FACET_COLUMNS = ("chapter_id", "support_type_id", "department_id", "audience", "area")


class Group(NamedTuple):
    chapter: int
    support_type: int
    department: int
    audiences: frozenset
    area: str


def make_group(chapter, support_type, department, audience, area):
    # audience_q's regex matches a whole line: the same as membership in split("\n").
    return Group(chapter, support_type, department, frozenset(audience.split("\n")), area)


def audience_q(key):
    """Programs whose 対象 (one value per line) includes `key`."""
    return Q(audience__regex=rf"(^|\n){re.escape(key)}(\n|$)")


def area_q(value):
    nationwide = Q(area=NATIONWIDE)
    return nationwide if value == "national" else ~nationwide


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="キーワード", method="filter_keyword")
    chapter = django_filters.ModelMultipleChoiceFilter(
        label="経営課題",
        field_name="chapter__number",
        to_field_name="number",
        queryset=Chapter.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # a program has one chapter: no duplicates to remove
    )
    support_type = django_filters.ModelMultipleChoiceFilter(
        label="支援施策別",
        field_name="support_type__number",
        to_field_name="number",
        queryset=SupportType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    audience = django_filters.MultipleChoiceFilter(
        label="対象",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_audience",
    )
    area = django_filters.ChoiceFilter(
        label="地域", choices=AREA_CHOICES, empty_label="すべて", method="filter_area"
    )
    department = django_filters.ModelChoiceFilter(
        label="担当部門",
        field_name="department",
        to_field_name="code",
        queryset=Department.objects.all(),
        empty_label="すべて",
    )
    sort = django_filters.ChoiceFilter(
        label="並び順",
        choices=SEARCH_SORT_CHOICES[1:],
        empty_label=SORT_CHOICES[0][1],
        method="filter_sort",
    )

    class Meta:
        model = Program
        fields = ["q", "chapter", "support_type", "audience", "area", "department"]

    def filter_audience(self, queryset, name, value):
        """Any of the chosen audiences (e.g. 中小企業・小規模事業者 or 創業予定者・創業者)."""
        if not value:
            return queryset
        condition = Q()
        for key in value:
            condition |= audience_q(key)
        return queryset.filter(condition)

    def filter_area(self, queryset, name, value):
        return queryset.filter(area_q(value)) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS.get(value, HANDBOOK_ORDER))

    def filter_queryset(self, queryset):
        values = self.form.cleaned_data
        for name in sorted(values, key=lambda name: name == "sort"):  # the sort last
            queryset = self.filters[name].filter(queryset, values[name])
        return queryset

    @cached_property
    def synonyms(self):
        return SearchSynonym.lookup()

    @cached_property
    def query(self):
        """The parsed keyword (words within the limits, with synonyms), or None."""
        value = self.values.get("q")
        return search.parse(value, self.synonyms) if value else None

    @property
    def is_keyword_search(self):
        return self.query is not None and bool(self.query.words)

    def filter_keyword(self, queryset, name, value):
        """Every word (or one of its synonyms) must occur in the name, reading, tagline,
        対象者, 事業のポイント or 地域; if no program has them all, any word will do.

        The search columns hold NFKC-folded, case-folded text, so ＩＴ, IT and ｉｔ (and ｶﾀｶﾅ and
        カタカナ) match the same rows. Spaces are ignored on both sides, so 「IT導入補助金」
        finds the handbook's 「IT 導入補助金」. A word in hiragana or katakana also matches the
        reading (はんずおん → ハンズオン支援事業). Ranked by search.Index: the list and the
        exports take the order from ranked_keys(); this queryset holds the same programs."""
        if not self.is_keyword_search:
            return queryset
        return queryset.filter(pk__in=self.search_index.pks_at(self.ranked_matches.positions))

    @property
    def values(self):
        """The valid filter values (empty for an unbound or invalid form)."""
        return getattr(self.form, "cleaned_data", {}) if self.is_bound else {}

    @cached_property
    def ranked_matches(self):
        """The programs the keyword leaves (all of them without one), in the list's order
        (search.Found). The other filters, the facet counts and the page's keys are all taken
        from these (see ranked_keys), in memory (search.Index): the list costs the same
        queries whatever the number of programs, and a keyword's texts are searched there."""
        sort = self.values.get("sort") or ""
        if not self.is_keyword_search:
            return self.search_index.everything(sort or "handbook")
        return self.search_index.find(self.query, sort)

    @cached_property
    def search_index(self):
        return search.index_for(self.queryset, FACET_COLUMNS, make_group, BUSINESS_AUDIENCES)

    def ranked_keys(self):
        """The list: positions in the index of the matches every other chosen filter keeps."""
        tests = list(self.group_tests().values())
        positions = self.ranked_matches.positions
        if not tests:
            return positions
        return self.search_index.keep(positions, lambda group: all(test(group) for test in tests))

    def programs_for(self, positions):
        """The programs at some positions of the index, in that order, each with `all_words`."""
        every, pks = self.ranked_matches.every, self.search_index.pks_at(positions)
        rows = self.queryset.order_by().in_bulk(pks)
        programs = [rows[pk] for pk in pks]
        for program, i in zip(programs, positions, strict=True):
            program.all_words = i in every
        return programs

    def results(self):
        """The selection in the list's order, its rows fetched only for the part that is read
        (a page: one query)."""
        return KeyedResults(self.ranked_keys(), self.programs_for)

    def export_rows(self):
        """Every row of the selection, in the list's order, for an export: a keyword search's
        by key; otherwise in SQL, in one query (thousands of keys would not fit one query on
        SQLite), put in 五十音順 here as the list is (search.kana_order: a database's collation
        need not sort that way)."""
        if self.is_keyword_search:
            return self.results()
        if self.values.get("sort") == "kana":
            return sorted(
                self.qs, key=lambda p: search.kana_order(p.reading, p.chapter.number, p.number)
            )
        return self.qs

    def facet_groups(self):
        """How many programs the keyword leaves per combination of the columns the other
        filters read: a few hundred groups at most whatever the number of programs. Every
        facet count and the total are sums over these groups."""
        return self.search_index.count_payloads(self.ranked_matches.positions)

    def group_tests(self):
        """For each facet with a chosen value, whether a group passes it — the same conditions
        the filters above put in SQL (an export without a keyword reads those), so the list, its
        counts and the exports always agree (tests/programs/test_facet_counts.py)."""
        values = self.values
        tests = {}
        if values.get("chapter"):
            chapters = {c.pk for c in values["chapter"]}
            tests["chapter"] = lambda g: g.chapter in chapters
        if values.get("support_type"):
            types = {t.pk for t in values["support_type"]}
            tests["support_type"] = lambda g: g.support_type in types
        if values.get("audience"):
            audiences = set(values["audience"])
            tests["audience"] = lambda g: not audiences.isdisjoint(g.audiences)
        if values.get("area"):
            national = values["area"] == "national"
            tests["area"] = lambda g: (g.area == NATIONWIDE) == national
        if values.get("department") is not None:
            department = values["department"].pk
            tests["department"] = lambda g: g.department == department
        return tests

    def facet_counts(self):
        """The total and the options of the five facets, each with `count` (matching programs
        if chosen) and `selected`: three small queries for the vocabularies, whatever the
        number of programs; the counts are taken from the index's groups."""
        values = self.values
        groups = self.facet_groups()
        tests = self.group_tests()

        def counter(excluded, keys):
            """Programs per option of `excluded` under every other chosen filter."""
            counts = Counter()
            for group, n in groups.items():
                if all(test(group) for name, test in tests.items() if name != excluded):
                    for key in keys(group):
                        counts[key] += n
            return counts

        total = sum(counter(None, lambda g: [None]).values())
        by_chapter = counter("chapter", lambda g: [g.chapter])
        by_type = counter("support_type", lambda g: [g.support_type])
        by_department = counter("department", lambda g: [g.department])
        by_audience = counter("audience", lambda g: g.audiences)
        by_area = counter("area", lambda g: ["national" if g.area == NATIONWIDE else "local"])

        chosen_chapters = {c.number for c in values.get("chapter") or ()}
        chosen_types = {t.number for t in values.get("support_type") or ()}
        chosen_department = values.get("department")
        chapters = list(Chapter.objects.in_handbook_order())
        for chapter in chapters:
            chapter.count = by_chapter[chapter.pk]
            chapter.selected = chapter.number in chosen_chapters
        support_types = list(SupportType.objects.in_handbook_order())
        for support_type in support_types:
            support_type.count = by_type[support_type.pk]
            support_type.selected = support_type.number in chosen_types
        # Departments that have programs in the edition, whether or not the keyword finds any:
        # the groups of the whole index say which.
        having = {group.department for group in self.search_index.payloads}
        departments = list(Department.objects.filter(pk__in=having).in_handbook_order())
        for department in departments:
            department.count = by_department[department.pk]
            department.selected = chosen_department is not None and (
                department.pk == chosen_department.pk
            )
        chosen_audiences = set(values.get("audience") or ())
        audiences = [
            {
                "value": key,
                "label": label,
                "count": by_audience[key],
                "selected": key in chosen_audiences,
            }
            for key, label in Audience.choices
        ]
        areas = [
            {
                "value": key,
                "label": label,
                "count": by_area[key],
                "selected": values.get("area") == key,
            }
            for key, label in AREA_CHOICES
        ]
        return {
            "total": total,
            "chapters": chapters,
            "support_types": support_types,
            "departments": departments,
            "audiences": audiences,
            "areas": areas,
        }


def _is_number(value):
    return value.isascii() and value.isdigit()


def canonical_params(query):
    """The query string's parameters as a clean, shareable URL spells them: empty values and
    page 1 dropped, repeated values once and in order, known parameters first."""
    params = []
    for key in PARAMS:
        values = []
        for value in query.getlist(key):
            value = " ".join(value.split())
            if value and value not in values:
                values.append(value)
        if key in ("chapter", "support_type"):
            # isascii(): "²" and "①" are digits to str.isdigit() but not to int().
            values.sort(key=lambda v: (not _is_number(v), int(v) if _is_number(v) else 0, v))
        if key == "audience":
            order = {k: i for i, k in enumerate(Audience.values)}
            values.sort(key=lambda v: (order.get(v, len(order)), v))
        if key == "page" and values == ["1"]:
            values = []
        params.extend((key, value) for value in values)
    for key, values in query.lists():
        if key not in PARAMS:
            params.extend((key, value) for value in values if value.strip())
    return params
