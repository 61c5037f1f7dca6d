"""Whole-page cache for the public site, shared by every app server through the database.

Citizens' pages are the same for every anonymous visitor and change only when staff change the
data, so a rendered page is kept until the data changes: every save or delete of a programs or
contacts model (admin edits, publishing an edition) and every applied CSV import moves a single
version number, and pages cached under an older version are never served again. Staff (logged
in) always get fresh pages, including draft previews.
"""

import hashlib
import time
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.urls import Resolver404, resolve
from django.utils.http import http_date

VERSION_KEY = "public-content-version"

# Headers a cached page does not replay: they belong to one response (cookies, the cache's own
# marker) or are added again on the way out by the middleware around this one.
NOT_REPLAYED = {"set-cookie", "x-page-cache", "content-length"}
# How long a browser may keep a public page before revalidating it (ETag → 304).
BROWSER_MAX_AGE = 300


def significant_params(request):
    """The non-empty parameters: what the page is made from (keep_params_read has removed
    the rest, except for a view that answers them itself)."""
    return [
        (key, value.strip())
        for key, values in request.GET.lists()
        for value in values
        if value.strip()
    ]


def cache_key(request):
    """The scheme, host, path and the significant parameters in a fixed order: ?b=1&a=2 and
    ?a=2&b=1&c= are one page; http and https are not."""
    params = sorted(significant_params(request))
    url = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"
    return "page:" + hashlib.sha256(url.encode()).hexdigest()


def view_class(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "view_class", None)


def keep_params_read(request):
    """Leave in the request only the query parameters its view reads: the class attribute
    `query_params` (none for a view without it: the 索引, the sitemap, the feed, a program's
    page). What the view does not read cannot change the page, so the request becomes the
    clean one and is served from its cache entry: a junk, tracking or misplaced parameter can
    neither make a page be built again (the 索引 of 10,000 programs takes a second) nor be
    echoed into the links of a page kept for everyone. A view that answers an unknown
    parameter with an error of its own (the open-data exports: a client misspelling a filter
    must be told, not given everything) says so with `rejects_unknown_params = True` and gets
    the request as sent."""
    cls = view_class(request)
    if getattr(cls, "rejects_unknown_params", False):
        return
    read = set(getattr(cls, "query_params", ()))
    if all(key in read for key in request.GET):
        return
    query_string = urlencode(
        [(key, value) for key, values in request.GET.lists() if key in read for value in values]
    )
    request.GET = QueryDict(query_string)
    request.META["QUERY_STRING"] = query_string


def canonical_host(request):
    """Whether the request names this site in its one spelling: lower case, no trailing dot,
    no port. Django admits example.go.jp:1, :08000 and example.go.jp. alike; each would be a
    cache key of its own (a page's absolute links carry the host, so the key cannot simply
    leave it out). Behind a proxy that passes `Host $host` there is only that spelling; a port
    cannot be told apart from the server's own (gunicorn on a unix socket takes SERVER_PORT
    from the Host header), so a host with one is answered without the cache."""
    host = request.get_host()  # already checked against ALLOWED_HOSTS
    has_port = ":" in host.rsplit("]", 1)[-1]  # [::1] is an address; [::1]:80 has a port
    return not has_port and host == host.lower() and not host.endswith(".")


def last_modified(version):
    """The content version is the time (ns) of the last data change: the Last-Modified of
    every public page (None before the first change is recorded)."""
    return http_date(version / 1e9) if version else None


def content_version(recorded=None):
    """The time (ns) of the last data change (`recorded`: what the caller has just read of
    VERSION_KEY). When none is recorded — a new cache, or the entry evicted — the data may have
    changed at any time before now, so now is recorded as the version: whatever is kept from
    here on is kept under it, and nothing kept before is read again. Without this, a cache that
    lost the entry would keep nothing (every search reading every text) until the next edit."""
    if recorded is None:
        recorded = cache.get(VERSION_KEY)
    if recorded is not None:
        return recorded
    now = time.time_ns()
    if cache.add(VERSION_KEY, now, None):
        return now
    # Another worker recorded one (or an edit moved it) in between: that one stands.
    return cache.get(VERSION_KEY) or now


def content_changed(**kwargs):
    """Move the version once the change is committed (a rolled-back import changes nothing)."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def _on_model_change(sender, **kwargs):
    content_changed()


def _on_m2m_change(sender, **kwargs):
    if sender._meta.app_label in settings.PUBLIC_PAGE_CACHE_APPS:
        content_changed()


def connect_signals():
    """Every model of the apps in PUBLIC_PAGE_CACHE_APPS is public content."""
    for app_label in settings.PUBLIC_PAGE_CACHE_APPS:
        for model in apps.get_app_config(app_label).get_models():
            post_save.connect(_on_model_change, sender=model, dispatch_uid=f"page-cache-{model}")
            post_delete.connect(
                _on_model_change, sender=model, dispatch_uid=f"page-cache-del-{model}"
            )
    m2m_changed.connect(_on_m2m_change, dispatch_uid="page-cache-m2m")


class PublicPageCacheMiddleware:
    """Serve anonymous GET requests for public pages from the cache (PUBLIC_PAGE_CACHE_SECONDS;
    0 switches it off), replaying every header the view set (Content-Disposition,
    Access-Control-Allow-Origin …). Anonymous public pages also get Cache-Control and, from the
    content version, Last-Modified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)
        if not self._cacheable_request(request):
            return self.get_response(request)
        keep_params_read(request)
        if not seconds or not canonical_host(request):
            response = self.get_response(request)
            if self._cacheable_response(response):
                self._public(response, 0, seconds)
            return response
        key = cache_key(request)
        # One round trip for the content version and the page: the entry records the version it
        # was rendered under and is used only while that is still the current one.
        found = cache.get_many([VERSION_KEY, key])
        version = content_version(found.get(VERSION_KEY))
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            _version, status, headers, content = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return self._public(response, version, seconds)
        response = self.get_response(request)
        if self._cacheable_response(response) and not self._too_large_to_keep(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_REPLAYED]
            cache.set(key, (version, response.status_code, headers, response.content), seconds)
            response["X-Page-Cache"] = "miss"
            self._public(response, version, seconds)
        return response

    @staticmethod
    def _public(response, version, seconds):
        """Browsers and shared caches may keep a public page a short while and revalidate it
        (ETag / If-None-Match by ConditionalGetMiddleware, Last-Modified from the version)."""
        max_age = min(seconds, BROWSER_MAX_AGE) if seconds else BROWSER_MAX_AGE
        response.setdefault("Cache-Control", f"public, max-age={max_age}")
        modified = last_modified(version)
        if modified:
            response.setdefault("Last-Modified", modified)
        return response

    @staticmethod
    def _cacheable_request(request):
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(("/admin/", "/healthz")):
            return False
        return not request.user.is_authenticated

    @staticmethod
    def _too_large_to_keep(request, response):
        """A large page is kept only at its address without parameters (the whole 索引, sitemap
        or export: one each). With parameters there may be any number of them — every keyword
        or combination of filters of the open-data export would otherwise keep a copy of up to
        the whole edition (26 MB at 10,000 programs) until the cache is full."""
        limit = settings.PUBLIC_PAGE_CACHE_MAX_BYTES
        return len(response.content) > limit and bool(significant_params(request))

    @staticmethod
    def _cacheable_response(response):
        # Only complete, public, cookie-free pages: never a redirect, an error or a CSRF form.
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )


class AnonymousGZipMiddleware(GZipMiddleware):
    """gzip for anonymous visitors only: staff pages carry CSRF tokens and session-specific
    content, which compression must not expose (BREACH)."""

    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        return super().process_response(request, response)
