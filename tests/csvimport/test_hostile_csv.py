"""Hostile input, property-based (hypothesis): malformed CSVs thrown at every importer in
csvimport.registry.entries(), through run_import and through the admin upload.

Each case must end in a valid import or in a clear Japanese error — never an exception, never a
500, never a partial write (when there are errors every table is exactly as it was)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from csvimport.models import ImportBatch
from csvimport.pipeline import run_import
from csvimport.registry import entries
from csvimport.widgets import ReferenceWidget

ENTRIES = [(e.label, e.resource_class, e.filename) for e in entries()]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# Few rows per file keep every example quick; the whole handbook is in the database.
BASE_ROWS = 6
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
FUNCTION_FIXTURES = hypothesis_settings(
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

FORMULAS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    "+81-3-0000-0000",
    "-1",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "＝1+1",
    "'=1+1",
    '=HYPERLINK("http://example.invalid","x")',
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "euc_jp", "iso2022_jp", "utf-16", "latin-1"]
HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "'; DROP TABLE programs_program; --",
    "\u202e\u200b\ufeff",
    "𠮷野家🍣",
    "",
    " ",
    "0",
    "-0",
    "１２３",
    "1e9999",
    "99999999999999999999999",
    "NaN",
    "None",
    "null",
    "2024-02-30",
    "\n\n",
]


def base_file(filename):
    """Header and the first rows of a handbook file, parsed."""
    text = (FIXTURES / filename).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1 : BASE_ROWS + 1]


def to_csv(header, rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def reference_columns(resource_class):
    resource = resource_class()
    columns = []
    for f in resource.get_import_fields():
        if isinstance(f.widget, ReferenceWidget) or f.attribute == "programs":
            columns.append(f.column_name)
    return columns


@st.composite
def hostile_files(draw, resource_class, filename):
    """One malformed file: structural damage to the CSV, then damage to its bytes."""
    header, rows = base_file(filename)
    header, rows = list(header), [list(r) for r in rows]
    keys = resource_class.key_columns()
    refs = reference_columns(resource_class)
    cell_text = st.one_of(
        st.sampled_from(HOSTILE_TEXT + FORMULAS),
        st.text(max_size=40),
        st.text(alphabet=st.characters(codec="cp932", exclude_characters="¢£¬‖−〜"), max_size=40),
    )

    def pick_cell():
        r = draw(st.integers(0, len(rows) - 1))
        if not rows[r]:
            rows[r].append("")
        c = draw(st.integers(0, len(rows[r]) - 1))
        return r, c

    for step in draw(st.lists(st.sampled_from(STEPS), min_size=1, max_size=3)):
        if not rows or not header:
            break
        if step == "formula":
            r, c = pick_cell()
            rows[r][c] = draw(st.sampled_from(FORMULAS))
        elif step == "text":
            r, c = pick_cell()
            rows[r][c] = draw(cell_text)
        elif step == "huge":
            r, c = pick_cell()
            rows[r][c] = draw(st.sampled_from(["あ", "x", "=", "\n", '"'])) * 100_000
        elif step == "duplicate key":
            row = list(draw(st.sampled_from(rows)))
            if draw(st.booleans()):
                other = [i for i, h in enumerate(header[: len(row)]) if h not in keys]
                if other:
                    row[draw(st.sampled_from(other))] = draw(cell_text)
            rows.insert(draw(st.integers(0, len(rows))), row)
        elif step == "missing column":
            c = draw(st.integers(0, len(header) - 1))
            header.pop(c)
            for row in rows:
                if c < len(row):
                    row.pop(c)
        elif step == "extra column":
            c = draw(st.integers(0, len(header)))
            header.insert(c, draw(st.sampled_from(["備考", "", "コード", "id", "=1"])))
            for row in rows:
                row.insert(min(c, len(row)), draw(cell_text))
        elif step == "ragged row":
            r = draw(st.integers(0, len(rows) - 1))
            cut = draw(st.integers(0, len(rows[r]) + 2))
            rows[r] = (rows[r] + ["余分"] * 2)[:cut]
        elif step == "wrong reference" and refs:
            column = draw(st.sampled_from(refs))
            r = draw(st.integers(0, len(rows) - 1))
            if column in header and header.index(column) < len(rows[r]):
                rows[r][header.index(column)] = draw(
                    st.sampled_from(["存在しない", "unknown-code", "0", "999", "hands-on-it\nx"])
                )
    text = to_csv(header, rows)

    encoding = draw(st.sampled_from(ENCODINGS + ["mixed"]))
    if encoding == "mixed":
        lines = text.split("\r\n")
        data = b"\r\n".join(
            line.encode(draw(st.sampled_from(["utf-8", "cp932"])), "replace") for line in lines
        )
    else:
        data = text.encode(encoding, "replace")

    damage = draw(st.sampled_from(["none", "none", "truncate", "nul", "random bytes", "splice"]))
    if damage == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif damage == "random bytes":
        data = draw(st.binary(max_size=300))
    elif damage == "splice":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
    return data


STEPS = [
    "formula",
    "text",
    "huge",
    "duplicate key",
    "missing column",
    "extra column",
    "ragged row",
    "wrong reference",
]


def snapshot():
    """Every row of every importable table (desks hold their program codes)."""
    state = {}
    for label, resource_class, _filename in ENTRIES:
        model = resource_class._meta.model
        state[label] = list(model.objects.order_by("pk").values_list())
    return state


def assert_japanese_errors(messages):
    assert messages, "an error without a message"
    for message in messages:
        assert JAPANESE.search(message), f"not a Japanese message: {message!r}"


ENTRY_IDS = [label for label, _r, _f in ENTRIES]


@pytest.mark.parametrize("label, resource_class, filename", ENTRIES, ids=ENTRY_IDS)
def test_hostile_files_end_in_an_import_or_a_japanese_error(label, resource_class, filename):
    @FUNCTION_FIXTURES
    @given(data=hostile_files(resource_class, filename))
    def check(data):
        with transaction.atomic():
            before = snapshot()
            report = run_import(resource_class(), data, dry_run=False)
            if report.has_errors:
                assert_japanese_errors(report.errors)
                assert snapshot() == before, "a failed import changed the database"
            transaction.set_rollback(True)

    check()


@pytest.mark.parametrize("label, resource_class, filename", ENTRIES, ids=ENTRY_IDS)
def test_unmodified_base_files_import_cleanly(label, resource_class, filename):
    """The control: the files the fuzzer damages are valid to begin with."""
    header, rows = base_file(filename)
    report = run_import(resource_class(), to_csv(header, rows).encode(), dry_run=False)
    assert not report.has_errors, report.errors


@pytest.mark.parametrize("label, resource_class, filename", ENTRIES, ids=ENTRY_IDS)
def test_hostile_uploads_in_the_admin_never_fail_with_a_500(label, resource_class, filename):
    user = User.objects.create_superuser("fuzz", "fuzz@example.jp", "pw")
    model = resource_class._meta.model
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/import/"

    @hypothesis_settings(parent=FUNCTION_FIXTURES, max_examples=15)
    @given(
        data=hostile_files(resource_class, filename), encoding=st.sampled_from(["auto", "cp932"])
    )
    def check(data, encoding):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        with transaction.atomic():
            before = snapshot()
            upload = SimpleUploadedFile("悪意のある.csv", data, content_type="text/csv")
            response = client.post(base, {"file": upload, "encoding": encoding}, secure=True)
            assert response.status_code in (200, 302), response.status_code
            if response.status_code == 200:  # the form refused the file (e.g. empty)
                assert JAPANESE.search(response.content.decode())
                transaction.set_rollback(True)
                return
            preview = client.get(response["Location"], secure=True)
            assert preview.status_code == 200
            batch = ImportBatch.objects.latest("pk")
            assert snapshot() == before  # a preview writes nothing
            confirm = client.post(response["Location"], secure=True)
            assert confirm.status_code == 302
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.APPLIED:
                assert_japanese_errors(
                    client.get(response["Location"], secure=True).context["report"].errors
                )
                assert snapshot() == before
            transaction.set_rollback(True)

    check()
