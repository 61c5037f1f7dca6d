from collections.abc import Sequence


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
