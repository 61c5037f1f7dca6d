"""The portal's settings plus one minimal view (bench/urls.py), for the throughput benchmark
only: production never loads this module.

BENCH_PAGE_CACHE=1 (load_bench.py --page-cache) also serves anonymous GET requests from a
shared cache (Django's cache middleware with the database cache, 60 s): an experiment to show
what caching the public pages would buy, not a production setting."""

import os

from smrj_portal.settings import *  # noqa: F403
from smrj_portal.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_PAGE_CACHE") == "1":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bench_page_cache",
        }
    }
    CACHE_MIDDLEWARE_SECONDS = 60
    MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
