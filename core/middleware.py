"""Health check, request log and the client's IP address behind reverse proxies."""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse

request_log = logging.getLogger("smrj_portal.request")

HEALTH_PATHS = {"/healthz", "/healthz/"}


def client_ip(request):
    """The client's address. Each trusted proxy (TRUSTED_PROXY_COUNT of them) appends the
    address it received the request from to X-Forwarded-For, so the client is the entry that
    many places from the right; anything further left was sent by the client and is not
    trusted. Without proxies, or with a shorter header than expected, REMOTE_ADDR is used."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


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
