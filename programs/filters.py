import re
from functools import cached_property

import django_filters
from django import forms
from django.db.models import Count, Q

from contacts.models import Department

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

    # The keyword search ranks (and may fall back to any word) over the rows the other filters
    # leave, so it runs after them; an explicit sort runs last.
    LAST = ("q", "sort")

    def filter_queryset(self, queryset):
        values = self.form.cleaned_data
        for name in sorted(values, key=lambda n: self.LAST.index(n) + 1 if n in self.LAST else 0):
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

    def filter_keyword(self, queryset, name, value):
        """Every word (or one of its synonyms) must occur in the name, reading, tagline,
        対象者, 事業のポイント or 地域; if no program has them all, any word will do.

        The search columns hold NFKC-folded, case-folded text, so ＩＴ, IT and ｉｔ (and ｶﾀｶﾅ and
        カタカナ) match the same rows. Spaces are ignored on both sides, so 「IT導入補助金」
        finds the handbook's 「IT 導入補助金」. A word in hiragana or katakana also matches the
        reading (はんずおん → ハンズオン支援事業). Ranked by search.search."""
        business = Q()
        for key in BUSINESS_AUDIENCES:
            business |= audience_q(key)
        return search.search(queryset, self.query or search.parse(value), business)

    @property
    def values(self):
        """The valid filter values (empty for an unbound or invalid form)."""
        return getattr(self.form, "cleaned_data", {}) if self.is_bound else {}

    def queryset_without(self, excluded):
        """The base queryset with every filter applied except `excluded`: what choosing another
        value of that facet would give (the counts shown beside its options)."""
        queryset = self.queryset
        values = self.values
        names = [n for n in values if n not in (excluded, "sort", "q")]
        if "q" in values and excluded != "q":
            names.append("q")
        for name in names:
            queryset = self.filters[name].filter(queryset, values[name])
        return queryset

    def facet_counts(self, published):
        """Options of the three facets, each with `count` (matching programs if chosen) and
        `selected`: one query per facet, whatever the number of programs."""
        values = self.values
        chosen_chapters = {c.number for c in values.get("chapter") or ()}
        chosen_types = {t.number for t in values.get("support_type") or ()}
        chosen_department = values.get("department")

        def count(name):
            pks = self.queryset_without(name).order_by().values("pk")
            return Count("programs", filter=Q(programs__in=pks))

        chapters = list(Chapter.objects.annotate(count=count("chapter")).in_handbook_order())
        support_types = list(
            SupportType.objects.annotate(count=count("support_type")).in_handbook_order()
        )
        departments = list(
            Department.objects.annotate(
                count=count("department"),
                total=Count("programs", filter=Q(programs__in=published.order_by().values("pk"))),
            )
            .filter(total__gt=0)
            .in_handbook_order()
        )
        for chapter in chapters:
            chapter.selected = chapter.number in chosen_chapters
        for support_type in support_types:
            support_type.selected = support_type.number in chosen_types
        for department in departments:
            department.selected = chosen_department is not None and (
                department.pk == chosen_department.pk
            )
        # One query for each of 対象 and 地域: conditional counts over the other filters' rows.
        chosen_audiences = set(values.get("audience") or ())
        audience_counts = (
            self.queryset_without("audience")
            .order_by()
            .aggregate(
                **{
                    f"a{i}": Count("pk", filter=audience_q(key))
                    for i, key in enumerate(Audience.values)
                }
            )
        )
        audiences = [
            {
                "value": key,
                "label": label,
                "count": audience_counts[f"a{i}"],
                "selected": key in chosen_audiences,
            }
            for i, (key, label) in enumerate(Audience.choices)
        ]
        area_counts = (
            self.queryset_without("area")
            .order_by()
            .aggregate(**{key: Count("pk", filter=area_q(key)) for key, _label in AREA_CHOICES})
        )
        areas = [
            {
                "value": key,
                "label": label,
                "count": area_counts[key],
                "selected": values.get("area") == key,
            }
            for key, label in AREA_CHOICES
        ]
        return {
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
