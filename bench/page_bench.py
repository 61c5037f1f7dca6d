r"""Latency (p50/p95) and query count of the public pages, at the real handbook's 74 programs and
at N generated ones (default 10,000), in process through Django's test client (the whole
middleware stack, templates and database; no network). Prints figures; no pass/fail.

    SECRET_KEY=x .venv/bin/python bench/page_bench.py [N] [--requests 100]
    SECRET_KEY=x DATABASE_URL=postgres://root@127.0.0.1:5432/test \
        .venv/bin/python bench/page_bench.py

Uses a throw-away database: in memory for SQLite, <name>_page_bench on PostgreSQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smrj_portal.settings.production")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.generate import generate  # noqa: E402
from programs import search  # noqa: E402

PAGES = [
    ("list", "/programs/"),
    ("filtered list", "/programs/?chapter=5&support_type=1"),
    ("keyword search", "/programs/?q=%E4%BA%8B%E6%A5%AD%E6%89%BF%E7%B6%99"),  # 事業承継
    ("keyword 補助金", "/programs/?q=%E8%A3%9C%E5%8A%A9%E9%87%91"),  # synonyms 助成金/助成
    ("two words 岡山 補助金", "/programs/?q=%E5%B2%A1%E5%B1%B1+%E8%A3%9C%E5%8A%A9%E9%87%91"),
    # The first search after a data change in each worker reads the texts into memory.
    ("keyword search, texts not in memory", "/programs/?q=%E4%BA%8B%E6%A5%AD%E6%89%BF%E7%B6%99"),
    ("list, index not in memory", "/programs/"),
    ("program page", "/programs/hands-on-it/"),
]
COLD = {"keyword search, texts not in memory", "list, index not in memory"}


def measure(client, url, requests, warmup=10, before=lambda: None):
    for _ in range(warmup):
        before()
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)
    connection.queries_log.clear()  # a full log (9,000 entries) would hide new queries
    before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    queries = len(captured.captured_queries)
    sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    times = []
    for _ in range(requests):
        before()
        start = time.perf_counter()
        client.get(url, secure=True)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, queries, sql_ms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--page-cache",
        action="store_true",
        help="keep the public page cache on (default: off, to measure rendering and SQL)",
    )
    args = parser.parse_args()

    from django.conf import settings

    setup_test_environment()
    settings.SECURE_SSL_REDIRECT = False
    if not args.page_cache:
        settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # The test database has no collected static files: serve plain (unhashed) names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Not test_<name>: a test run on the same server must not lose its database to us.
        connection.settings_dict["TEST"]["NAME"] = f"{old_name}_page_bench"
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = {}
    try:
        client = Client()
        for size in (74, args.n):
            total = generate(size, out=lambda *a: None)
            for name, url in PAGES:
                before = search._indexes.clear if name in COLD else (lambda: None)
                results[(name, total)] = measure(client, url, args.requests, before=before)
        sizes = sorted({total for _name, total in results})
        print(f"database : {connection.vendor} ({test_db})")
        print(f"cache    : public page cache {'on' if args.page_cache else 'off'}")
        print(f"requests : {args.requests} per page and size (after 10 warm-up requests)")
        print("SQL ms   : time in the database during one request (the rest is Python)")
        print()
        header = "| page | " + " | ".join(
            f"p50 @{s:,} | p95 @{s:,} | queries (SQL ms) @{s:,}" for s in sizes
        )
        print(header + " | p50 ratio |")
        print("|" + " --- |" * (1 + 3 * len(sizes) + 1))
        for name, _url in PAGES:
            cells = []
            for s in sizes:
                p50, p95, queries, sql_ms = results[(name, s)]
                cells += [f"{p50:.1f} ms", f"{p95:.1f} ms", f"{queries} ({sql_ms:.1f})"]
            ratio = results[(name, sizes[-1])][0] / results[(name, sizes[0])][0]
            print(f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f}× |")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
