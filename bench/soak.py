"""A soak: mixed public traffic (cached and uncached pages) against gunicorn (2 workers) on
PostgreSQL for 60 s, while staff work on the same database: admin edits, imports into next
year's draft and, half-way, the publishing of that draft. Prints figures; no pass/fail.

    DATABASE_URL=postgres://root@127.0.0.1:5432/test .venv/bin/python bench/soak.py [--seconds 60]

Reports: requests and errors (5xx, connection errors: must be 0) per kind of page, p50/p99
latency, and whether every committed change is visible on the public site afterwards (through
the page cache, as an anonymous visitor sees it). It creates and drops a database named
<database>_soak on that server (see bench/load_bench.py for the server set-up it shares).
"""

import argparse
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_bench import (  # noqa: E402
    GUNICORN,
    HEADERS,
    PORT,
    PYTHON,
    ROOT,
    recreate_database,
    run,
    scratch_database,
    wait_until_up,
)

WORDS = ["補助金", "事業承継", "海外", "共済", "創業", "IT", "ものづくり", "災害", "研修", "融資"]


class Traffic:
    """Public readers: each thread requests pages back to back until `stop` is set."""

    def __init__(self, base, codes, prefectures):
        self.base = urlsplit(base)
        self.codes = codes
        self.prefectures = prefectures
        self.results = []  # (kind, status or error, seconds)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def pick(self, rng):
        roll = rng.random()
        if roll < 0.35:  # the same few pages: served from the page cache
            return "cached", rng.choice(["/", "/programs/", "/index/", "/offices/"])
        if roll < 0.6:
            code = rng.choice(self.codes)
            return "program", f"/programs/{code}/"
        if roll < 0.8:  # a new combination of filters: rendered
            chapter, page = rng.randint(1, 6), rng.randint(1, 2)
            return "list", f"/programs/?chapter={chapter}&sort=kana&page={page}"
        if roll < 0.92:
            return "search", f"/programs/?q={quote(rng.choice(WORDS))}"
        return "prefecture", f"/prefectures/{rng.choice(self.prefectures)}/"

    def reader(self, seed):
        rng = random.Random(seed)
        mine = []
        while not self.stop.is_set():
            kind, path = self.pick(rng)
            start = time.perf_counter()
            try:
                conn = HTTPConnection(self.base.hostname, self.base.port, timeout=30)
                conn.request("GET", path, headers=HEADERS)
                response = conn.getresponse()
                response.read()
                conn.close()
                outcome = response.status
            except Exception as exc:  # noqa: BLE001 - any failure is an error to report
                outcome = type(exc).__name__
            mine.append((kind, outcome, time.perf_counter() - start))
        with self.lock:
            self.results.extend(mine)


def get(base, path):
    parts = urlsplit(base)
    conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", path, headers=HEADERS)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def staff_work(seconds, expected, errors):
    """Admin edits through the real admin, imports into the 2025 draft through the import
    path, and publishing 2025 half-way. `expected` collects, per program version (year,
    code), its latest committed change: (kind, public path, text)."""
    from django.db import connection
    from django.forms.models import model_to_dict
    from django.test import Client

    from csvimport import csvio
    from csvimport.batches import apply_batch, record_preview
    from programs import editions
    from programs.models import Edition, Program
    from programs.resources import ProgramResource

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="soak"))
    deadline = time.monotonic() + seconds
    published_at = time.monotonic() + seconds / 2
    published = False
    step = 0
    try:
        while time.monotonic() < deadline:
            step += 1
            current = Edition.objects.current()
            # an admin edit of a program of the current edition
            program = Program.objects.filter(edition=current).order_by("?").first()
            data = {
                k: ("" if v is None else v)
                for k, v in model_to_dict(program).items()
                if k not in ("id", "search_index")
            }
            data["audience"] = program.audience_keys  # a multiple choice: one value a key
            data["tagline"] = f"耐久試験の編集{step}"
            data["_save"] = "保存"
            url = f"/admin/programs/program/{program.pk}/change/"
            response = client.post(url, data, secure=True)
            if response.status_code != 302:
                errors.append(f"admin edit {program.code}: {response.status_code}")
            else:
                path = f"/programs/{program.code}/"
                # the latest committed change of each program version is what must show
                expected[(program.edition.year, program.code)] = ("edit", path, data["tagline"])
            # an import into the draft (until it is published)
            if not published:
                draft = Edition.objects.get(year=2025)
                targets = Program.objects.filter(edition=draft).order_by("?")[:5]
                headers, rows = ProgramResource().export_rows(targets)
                column = headers.index("キャッチコピー")
                rows = [[*r[:column], f"耐久試験の取り込み{step}", *r[column + 1 :]] for r in rows]
                resource = ProgramResource(edition=draft)
                batch, report = record_preview(
                    resource, csvio.write(headers, rows), file_name=f"soak-{step}.csv",
                    target="2025",
                )  # fmt: skip
                if not report.has_errors:
                    report = apply_batch(batch, ProgramResource(edition=draft))
                if report.has_errors:
                    errors.append(f"import {step}: {report.errors[:2]}")
                else:
                    for row in rows:
                        code = row[headers.index("事業コード")]
                        expected[(2025, code)] = (
                            "import",
                            f"/programs/{code}/",
                            f"耐久試験の取り込み{step}",
                        )
            if not published and time.monotonic() >= published_at:
                editions.publish(Edition.objects.get(year=2025))
                published = True
            time.sleep(1.5)
    finally:
        connection.close()
    return published


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000 if values else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=6)
    args = parser.parse_args()

    source, soak_name, soak_url = scratch_database("_soak")
    static_root = tempfile.mkdtemp(prefix="smrj-soak-static-")
    log_path = Path(tempfile.mkstemp(prefix="smrj-soak-gunicorn-", suffix=".log")[1])
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": soak_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_SETTINGS_MODULE": "smrj_portal.settings.production",
        "LOG_LEVEL": "WARNING",
    }
    recreate_database(source, soak_name)
    server = None
    try:
        run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0", env=env)
        run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env)
        run(PYTHON, "manage.py", "load_handbook", "-v", "0", env=env)
        run(PYTHON, "manage.py", "start_edition", "2025", "--copy-from", "2024", env=env)
        os.environ.update(env)
        import django

        django.setup()
        from django.contrib.auth.models import User

        from contacts.models import Prefecture
        from programs.models import Program

        User.objects.create_superuser("soak", "soak@example.jp", secrets.token_urlsafe(16))
        codes = list(Program.objects.filter(edition__year=2024).values_list("code", flat=True))
        prefectures = list(Prefecture.objects.values_list("code", flat=True))
        command = [
            str(GUNICORN), "smrj_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{PORT}",
        ]  # fmt: skip
        with open(log_path, "wb") as log:
            server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{PORT}"
        wait_until_up(base)

        traffic = Traffic(base, codes, prefectures)
        readers = [
            threading.Thread(target=traffic.reader, args=(seed,)) for seed in range(args.readers)
        ]
        for thread in readers:
            thread.start()
        expected, staff_errors = {}, []
        published = staff_work(args.seconds, expected, staff_errors)
        traffic.stop.set()
        for thread in readers:
            thread.join()

        # Every committed change, as an anonymous visitor sees it now (through the page cache).
        # A program edited in 2024 before 2025 was published lives on at /2024/programs/….
        missing = []
        for (year, code), (kind, path, text) in sorted(expected.items()):
            if year == 2024 and published:
                path = f"/2024/programs/{code}/"
            status, body = get(base, path)
            if status != 200 or text not in body:
                missing.append(f"{kind} {year} {code}: {status} {path}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        recreate_database(source, soak_name, drop_only=True)
        shutil.rmtree(static_root, ignore_errors=True)
        log_path.unlink(missing_ok=True)

    results = traffic.results
    errors = [r for r in results if not isinstance(r[1], int) or r[1] >= 500]
    print(f"soak: {args.seconds} s, {args.readers} readers, gunicorn -w 2, PostgreSQL")
    print("| pages | requests | errors | p50 | p99 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind in ("cached", "program", "list", "search", "prefecture", "all"):
        rows = [r for r in results if kind == "all" or r[0] == kind]
        latencies = [r[2] for r in rows]
        bad = [r for r in rows if r in errors]
        print(
            f"| {kind} | {len(rows):,} | {len(bad)} | {percentile(latencies, 0.5):.0f} ms | "
            f"{percentile(latencies, 0.99):.0f} ms |"
        )
    print(f"staff: {len(expected)} committed changes, published 2025: {published}")
    print(f"staff errors: {len(staff_errors)} {staff_errors[:3]}")
    print(f"changes not visible afterwards: {len(missing)} {missing[:5]}")


if __name__ == "__main__":
    main()
