"""Requests/s of the public list page under load, against gunicorn (2 workers) on PostgreSQL,
side by side with a minimal Django view on the same server (bench/urls.py), at the handbook's 74
programs and at N generated ones (default 10,000). Prints figures; no pass/fail.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/load_bench.py [N]

It creates (and afterwards drops) a database named <database>_bench on that server, migrates
it, loads the handbook, collects static files into a temporary folder and starts
`gunicorn smrj_portal.wsgi -w 2` on 127.0.0.1 with the production settings (DEBUG off, HTTPS
expected from a proxy: the load tool sends X-Forwarded-Proto: https). The load tool is wrk
(Debian: apt-get install wrk); without it a small Python client is used. Only 127.0.0.1 is
loaded, for a fixed duration.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = Path(PYTHON).with_name("gunicorn")
PORT = 8765
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
TARGETS = [("list page", "/programs/"), ("minimal view", "/bench/minimal/")]


def scratch_database(suffix):
    """(DATABASE_URL, name, URL) of the throw-away database <name><suffix> on the same
    PostgreSQL server as DATABASE_URL."""
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL=postgres://… を指定してください（PostgreSQL で測ります）。")
    parts = urlsplit(source)
    name = parts.path.lstrip("/") + suffix
    return source, name, urlunsplit(parts._replace(path="/" + name))


def run(*args, env):
    subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=True)


def recreate_database(url, name, drop_only=False):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def wait_until_up(base, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz")


def check_page(base, path):
    request = urllib.request.Request(base + path, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, (path, response.status)
        return len(response.read())


def wrk(url, seconds, connections):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for key, value in HEADERS.items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def python_client(url, seconds, connections):
    """A fallback load tool: `connections` threads, each sending requests back to back."""
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, ""))
    stop = time.time() + seconds
    latencies, non_2xx, lock = [], [0], threading.Lock()

    def worker():
        mine, bad = [], 0
        while time.time() < stop:
            start = time.perf_counter()
            conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
            conn.request("GET", path, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            conn.close()
            mine.append(time.perf_counter() - start)
            bad += response.status >= 400
        with lock:
            latencies.extend(mine)
            non_2xx[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": f"{latencies[len(latencies) // 2] * 1000:.2f}ms",
        "p99": f"{latencies[int(len(latencies) * 0.99)] * 1000:.2f}ms",
        "non_2xx": non_2xx[0],
        "socket_errors": "",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="switch the public page cache off (PUBLIC_PAGE_CACHE_SECONDS=0) to measure rendering",
    )
    args = parser.parse_args()

    source, bench_name, bench_url = scratch_database("_bench")
    tool = "wrk" if shutil.which("wrk") else "python"

    static_root = tempfile.mkdtemp(prefix="smrj-bench-static-")
    log_path = Path(tempfile.mkstemp(prefix="smrj-bench-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": bench_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        **({"PUBLIC_PAGE_CACHE_SECONDS": "0"} if args.no_page_cache else {}),
    }
    print(f"database : PostgreSQL {bench_name}; load tool: {tool}", flush=True)
    recreate_database(source, bench_name)
    server = None
    results = {}
    try:
        run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0", env=env)
        run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
        run(PYTHON, "bench/generate.py", "74", env=env)
        command = [
            str(GUNICORN), "smrj_portal.wsgi", "-w", str(args.workers),
            "-b", f"127.0.0.1:{PORT}", "--access-logfile", "-",
        ]  # fmt: skip
        with open(log_path, "wb") as log:
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{PORT}"
        wait_until_up(base)
        for size in (74, args.n):
            if size != 74:
                run(PYTHON, "bench/generate.py", str(size), env=env)
            for name, path in TARGETS:
                check_page(base, path)
                load = wrk if tool == "wrk" else python_client
                # a short warm-up, then the measured run
                load(base + path, 3, args.connections)
                results[(name, size)] = load(base + path, args.seconds, args.connections)
                print(f"  {size:>6,} programs  {name:<13} {results[(name, size)]}", flush=True)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep:
            recreate_database(source, bench_name, drop_only=True)
        shutil.rmtree(static_root, ignore_errors=True)
        log_path.unlink(missing_ok=True)

    print()
    print(
        f"gunicorn -w {args.workers}, {tool} {args.connections} connections × {args.seconds} s,"
        " production settings, request log on"
        + (", page cache off" if args.no_page_cache else ", public page cache on (the default)")
    )
    print("| programs | list page req/s | minimal view req/s | ratio | list p50 / p99 |")
    print("| --- | --- | --- | --- | --- |")
    for size in (74, args.n):
        page, minimal = results[("list page", size)], results[("minimal view", size)]
        print(
            f"| {size:,} | {page['rps']:,.0f} | {minimal['rps']:,.0f} | "
            f"{page['rps'] / minimal['rps']:.2f} | {page['p50']} / {page['p99']} |"
        )


if __name__ == "__main__":
    main()
