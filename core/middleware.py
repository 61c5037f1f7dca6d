"""Health check, request log and the client's IP address behind reverse proxies."""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.defaults import bad_request

request_log = logging.getLogger("smrj_portal.request")

HEALTH_PATHS = {"/healthz", "/healthz/"}


def parse_ip(value):
    """An address as a proxy or a client may write it — "203.0.113.5", "203.0.113.5:443",
    "[2001:db8::1]:443", "2001:db8::1" — in its plain form; None for anything else."""
    text = (value or "").strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]  # IPv4 with a port; an IPv6 address has several colons
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request):
    """The client's address. Each trusted proxy (TRUSTED_PROXY_COUNT of them) appends the
    address it received the request from to X-Forwarded-For, so the client is the entry that
    many places from the right; anything further left was sent by the client and is not
    trusted. Without proxies, with a shorter header than expected, or with an entry that is not
    an address, REMOTE_ADDR is used (never an error: the login throttle stores what this
    returns)."""
    remote = parse_ip(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return parse_ip(forwarded[-count]) or remote


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


class HealthCheckMiddleware:
    """GET /healthz → 200 {"status": "ok"} when the database answers, 503 otherwise.

    It runs before the host check and the HTTPS redirect, so a load balancer can probe each app
    server by its own address over plain HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in HEALTH_PATHS:
            return self.get_response(request)
        if database_ok():
            response = JsonResponse({"status": "ok", "database": "ok"})
        else:
            request_log.error("health check failed: database unavailable")
            response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        response["Cache-Control"] = "no-store"
        return response


class RequestLogMiddleware:
    """One structured (JSON) log line per request: method, path, status, duration, client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - start) * 1000, 1)
        # Only a user the request already loaded: logging must not add a session query.
        user = getattr(request, "_cached_user", None)
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "client_ip": client_ip(request),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class BadInputMiddleware:
    """400 for a NUL character anywhere in the path or the query string: no page of ours has a
    use for one, and PostgreSQL refuses it in any query (a 500 if it got that far)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return bad_request(request, BadRequest("NUL"))
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BYTES with 413, before
    anything reads the body (the CSRF check and the form parsing come later). With only the
    in-memory upload handler installed (settings FILE_UPLOAD_HANDLERS), no upload ever touches
    the server's disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit_mb = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            response = HttpResponse(
                '<!doctype html><html lang="ja"><meta charset="utf-8">'
                "<title>送信できる大きさを超えています</title>"
                f"<h1>送信できる大きさを超えています</h1><p>送信できるのは{limit_mb}MBまでです。"
                "CSVやExcelのファイルは5MB以下にしてください。</p></html>",
                status=413,
                content_type="text/html; charset=utf-8",
            )
            # The body was not read: the connection cannot be reused for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
