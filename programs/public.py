"""Helpers shared by the public pages."""

from itertools import groupby

from core.text import gojuon_key

from .models import Edition


def current_edition(request):
    """The edition the public sees, looked up once per request (the header shows it too)."""
    if not hasattr(request, "_current_edition"):
        request._current_edition = Edition.objects.current()
    return request._current_edition


def _heading_key(heading):
    # Hiragana sort in あいうえお order by code point; headings in other scripts come after.
    is_hiragana = bool(heading) and "\u3041" <= heading[0] <= "\u309f"
    return (not is_hiragana, not heading, heading)


def gojuon_groups(programs):
    """[(heading, [programs…]), …] in あいうえお order; programs without a heading last."""
    programs = sorted(
        programs, key=lambda p: (_heading_key(p.index_heading), gojuon_key(p.reading), p.name)
    )
    return [
        (heading or "その他", list(items))
        for heading, items in groupby(programs, key=lambda p: p.index_heading)
    ]
