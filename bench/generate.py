"""A directory of N programs (default 10,000) with realistic Japanese text, for benchmarks.

The real 2024 handbook (74 programs, every office, prefecture and desk) is loaded first through
the import path; the rest are new programs of the same edition whose names, readings, taglines
and texts are recombined from the handbook's own sentences with regional and thematic variations
(seeded: the same N gives the same data). Every generated program is handled by one regional
desk, as handbook programs are.

    SECRET_KEY=x DATABASE_URL=postgres://… .venv/bin/python bench/generate.py [N]

Run it on an empty (migrated) database; it refuses one that already has programs other than
the handbook's.
"""

import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGIONS = [
    "北海道", "東北", "関東", "中部", "北陸", "近畿", "中国", "四国", "九州", "沖縄",
    "首都圏", "東海", "山陰", "瀬戸内", "南九州", "信越", "京阪神", "北関東",
]  # fmt: skip
THEMES = [
    ("省エネ設備導入", "しょうえねせつびどうにゅう"),
    ("デジタル化推進", "でじたるかすいしん"),
    ("海外販路開拓", "かいがいはんろかいたく"),
    ("事業承継円滑化", "じぎょうしょうけいえんかつか"),
    ("人材育成", "じんざいいくせい"),
    ("創業・第二創業", "そうぎょうだいにそうぎょう"),
    ("災害復旧", "さいがいふっきゅう"),
    ("地域資源活用", "ちいきしげんかつよう"),
    ("生産性向上", "せいさんせいこうじょう"),
    ("脱炭素経営", "だつたんそけいえい"),
    ("サプライチェーン強靱化", "さぷらいちぇーんきょうじんか"),
    ("観光産業再生", "かんこうさんぎょうさいせい"),
    ("知的財産活用", "ちてきざいさんかつよう"),
    ("商店街活性化", "しょうてんがいかっせいか"),
    ("農商工連携", "のうしょうこうれんけい"),
]
KINDS = [
    ("支援事業", "しえんじぎょう"),
    ("補助金", "ほじょきん"),
    ("相談窓口", "そうだんまどぐち"),
    ("セミナー", "せみなー"),
    ("専門家派遣", "せんもんかはけん"),
    ("貸付制度", "かしつけせいど"),
    ("研修プログラム", "けんしゅうぷろぐらむ"),
]
TEXT_FIELDS = ["target", "points", "flow", "results", "period", "fee"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smrj_portal.settings.production")
    import django

    django.setup()


def sentences(programs, field):
    """The handbook's sentences for one field, as a pool to draw from."""
    pool = []
    for program in programs:
        for line in getattr(program, field).splitlines():
            pool.extend(s + "。" for s in re.split(r"。", line) if len(s.strip()) > 4)
    return pool or ["詳しくはお問合せください。"]


def generate(n=10_000, seed=2024, out=print):
    """Load the handbook (if needed) and add programs until there are n in all."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from contacts.models import RegionalDesk
    from programs.models import Edition, Program

    if not Program.objects.exists():
        call_command("load_handbook", verbosity=0)
    existing = Program.objects.count()
    if Program.objects.filter(code__startswith="gen-").exists():
        raise SystemExit("生成済みの事業があります。空のデータベースで実行してください。")
    if n <= existing:
        out(f"programs: {existing} (handbook only)")
        return existing
    rng = random.Random(seed)
    edition = Edition.objects.current()
    handbook = list(Program.objects.filter(edition=edition).select_related("chapter"))
    pools = {field: sentences(handbook, field) for field in TEXT_FIELDS}
    taglines = [p.tagline for p in handbook if p.tagline]
    desks = list(RegionalDesk.objects.order_by("pk"))
    next_number = {}
    for p in handbook:
        next_number[p.chapter_id] = max(next_number.get(p.chapter_id, 0), p.number)

    programs = []
    for i in range(n - existing):
        base = rng.choice(handbook)
        region = rng.choice(REGIONS)
        theme, theme_kana = rng.choice(THEMES)
        kind, kind_kana = rng.choice(KINDS)
        next_number[base.chapter_id] += 1
        reading = f"{theme_kana}{kind_kana}"
        program = Program(
            edition=edition,
            code=f"gen-{i:05d}",
            chapter_id=base.chapter_id,
            number=next_number[base.chapter_id],
            name=f"{region}{theme}{kind}（{i + 1}）",
            tagline=f"{region}の中小企業の{theme}を{rng.choice(taglines)}",
            support_type_id=base.support_type_id,
            department_id=base.department_id,
            page=rng.randint(8, 90),
            index_heading=reading[0],
            reading=reading,
            contact_section_id=base.contact_section_id,
            contact_name=base.contact_name,
            contact_phones=base.contact_phones,
            contact_email=base.contact_email,
            urls=base.urls,
            audience=base.audience,
            area=base.area,
            **{
                field: "\n".join(rng.sample(pools[field], min(len(pools[field]), 3)))
                for field in TEXT_FIELDS
            },
        )
        program.refresh_search_index()
        programs.append(program)
    with transaction.atomic():
        created = Program.objects.bulk_create(programs, batch_size=1000)
        for i, desk in enumerate(desks):
            codes = [p.code for p in created[i :: len(desks)]]
            desk.program_codes = "\n".join([*desk.code_list, *codes])
        RegionalDesk.objects.bulk_update(desks, ["program_codes"], batch_size=500)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load (PostgreSQL 13+ vacuums after inserts
        # too): real statistics for the planner and a visibility map, without which no
        # index-only scan is possible.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # Bulk writes send no signals: expire the public page cache as an import would.
    from core.page_cache import content_changed

    content_changed()
    total = Program.objects.count()
    out(f"programs: {total} ({existing} from the handbook, {len(created)} generated)")
    return total


if __name__ == "__main__":
    setup_django()
    generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
