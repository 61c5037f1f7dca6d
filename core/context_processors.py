"""What every page's <head> says to search engines: its canonical address and whether it is a
variant that should not be indexed (a keyword search, a prefecture page for one program)."""

from urllib.parse import urlencode

from django.core.exceptions import DisallowedHost

# Parameters that make a page a variant of another (not indexed; canonical without them).
VARIANT_PARAMS = ("q", "program", "sort")
# Tracking parameters: never part of a canonical address. (core.page_cache removes them, with
# every parameter a view does not read, from anonymous visitors' requests; staff keep them.)
IGNORED_PARAMS = ("utm_", "fbclid", "gclid")


def seo(request):
    params = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in VARIANT_PARAMS and not key.startswith(IGNORED_PARAMS)
        for value in values
        if value.strip()
    ]
    query = urlencode(params)
    try:
        origin = request.build_absolute_uri(request.path)
    except DisallowedHost:
        # The 400 page for a Host not in ALLOWED_HOSTS is made with this context too: asking
        # for the host again would raise again and turn the 400 into a 500.
        return {"canonical_url": "", "noindex": True}
    canonical = origin + (f"?{query}" if query else "")
    noindex = any(request.GET.get(key, "").strip() for key in ("q", "program"))
    return {"canonical_url": canonical, "noindex": noindex}
