from collections.abc import Sequence
from functools import cached_property

from django.core.paginator import Page, Paginator


class CountedPaginator(Paginator):
    """A paginator for a queryset whose count the caller already has (e.g. from a grouped facet
    query), fetching a page in two steps: the page's primary keys in the queryset's order — a
    narrow query an index can answer — then those rows only. Sorting and slicing wide rows of
    the whole result would read every row's columns to keep twenty."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        pks = self.object_list.values("pk")[bottom:top]
        # The same queryset (its order, annotations and select_related) limited to those rows,
        # in one query: the page's keys are a subquery.
        rows = list(self.object_list.filter(pk__in=pks))
        return Page(rows, number, self)


class KeyedResults(Sequence):
    """A result known by its keys, in order, whose rows are fetched only for the slice a page
    shows (one query per page): for a Paginator, like a queryset, without a COUNT query."""

    def __init__(self, keys, fetch):
        self.keys = keys
        self.fetch = fetch  # keys -> rows in the same order

    def __len__(self):
        return len(self.keys)

    def __iter__(self):
        return iter(self.fetch(self.keys))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.fetch(self.keys[index])
        return self.fetch([self.keys[index]])[0]
