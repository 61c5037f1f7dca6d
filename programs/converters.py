class YearConverter:
    """A handbook year in its one spelling (2024): Django's <int:> also takes 02024, 002024 …,
    each a page — and a cache entry — of its own."""

    regex = "[1-9][0-9]{3}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
