"""Import N generated programs through ProgramResource (preview + confirm) and compare with a
plain bulk_create of the same rows. Prints figures; no pass/fail.

    SECRET_KEY=x DATABASE_URL=... .venv/bin/python bench/import_bench.py [N]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smrj_portal.settings.production")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from csvimport import csvio  # noqa: E402
from csvimport.pipeline import run_import  # noqa: E402
from programs.models import Program  # noqa: E402
from programs.resources import ProgramResource  # noqa: E402


def generated_csv(n):
    resource = ProgramResource()
    headers, rows = resource.export_rows(Program.objects.all())
    code_i, num_i, name_i = (headers.index(c) for c in ("事業コード", "章内番号", "事業・制度名"))
    out = []
    for i in range(n):
        row = list(rows[i % len(rows)])
        row[code_i] = f"bench-{i:05d}"
        row[num_i] = str(1000 + i)
        row[name_i] = f"{row[name_i]}（検証用{i}）"
        out.append(row)
    return csvio.write(headers, out), out, headers


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Not test_<name>: a test run on the same server must not lose its database to us.
        connection.settings_dict["TEST"]["NAME"] = f"{old_name}_import_bench"
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_handbook", verbosity=0)
        data, rows, headers = generated_csv(n)
        t0 = time.perf_counter()
        preview = run_import(ProgramResource(), data, dry_run=True)
        t1 = time.perf_counter()
        applied = run_import(ProgramResource(), data, dry_run=False)
        t2 = time.perf_counter()
        assert not applied.has_errors, applied.errors[:3]
        # the same rows through a plain bulk_create, for the ratio
        sample = Program.objects.filter(code__startswith="bench-")
        objs = list(sample)
        Program.objects.filter(code__startswith="bench-").delete()
        for o in objs:
            o.pk = None
        with transaction.atomic():
            t3 = time.perf_counter()
            Program.objects.bulk_create(objs, batch_size=1000)
            t4 = time.perf_counter()
        total = t2 - t0
        print(f"database         : {connection.vendor} ({test_db})")
        print(f"rows             : {n}")
        print(
            f"preview (dry run): {t1 - t0:.2f} s  {n / (t1 - t0):,.0f} rows/s  {preview.summary()}"
        )
        print(f"confirm (write)  : {t2 - t1:.2f} s  {n / (t2 - t1):,.0f} rows/s")
        print(f"preview+confirm  : {total:.2f} s  {2 * n / total:,.0f} rows/s")
        print(f"plain bulk_create: {t4 - t3:.2f} s  {n / (t4 - t3):,.0f} rows/s")
        print(f"ratio import/bulk: {(t2 - t1) / (t4 - t3):.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
