"""Whole-page cache for the public site, shared by every app server through the database.

Citizens' pages are the same for every anonymous visitor and change only when staff change the
data, so a rendered page is kept until the data changes: every save or delete of a programs or
contacts model (admin edits, publishing an edition) and every applied CSV import moves a single
version number, and pages cached under an older version are never served again. Staff (logged
in) always get fresh pages, including draft previews.
"""

import hashlib
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "public-content-version"


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
    0 switches it off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)
        if not seconds or not self._cacheable_request(request):
            return self.get_response(request)
        key = (
            "page:"
            + hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()
        )
        # One round trip for the content version and the page: the entry records the version it
        # was rendered under and is used only while that is still the current one.
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY, 0)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            _version, status, content_type, content = entry
            response = HttpResponse(content, status=status, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            entry = (version, response.status_code, response["Content-Type"], response.content)
            cache.set(key, entry, seconds)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request):
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(("/admin/", "/healthz")):
            return False
        return not request.user.is_authenticated

    @staticmethod
    def _cacheable_response(response):
        # Only complete, public, cookie-free pages: never a redirect, an error or a CSRF form.
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )
