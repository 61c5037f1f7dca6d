"""Data quality of the real 令和6年度 handbook as loaded from fixtures/ by load_handbook.

The spot values below were copied from the handbook text (the PDF text extraction the fixtures
were made from); the comments give its line numbers (Lnnnn), see fixtures/README.md.
"""

import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from contacts.models import (
    Campus,
    Department,
    PartnerOrganization,
    Prefecture,
    RegionalDesk,
    RegionalOffice,
    Section,
)
from core.phones import is_phone_number, parse_phones
from core.text import kana_heading
from csvimport.registry import entries
from programs.models import Chapter, Edition, Program, SupportType

ENTRIES = [(e.label, e.resource_class, e.filename) for e in entries()]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

BODY_FIELDS = ("target", "points", "flow", "results")
PARTNER_KINDS = set(PartnerOrganization.Kind.values)

# 事業再構築補助金 (P78): its お問合せ先 is the secretariat's web page only (L4970-4972).
PROGRAMS_WITHOUT_PHONE = {"business-restructuring-subsidy"}


def program(code):
    return Program.objects.select_related("chapter", "support_type", "department").get(
        edition__year=2024, code=code
    )


def phones(text):
    return [str(p) for p in parse_phones(text)]


# --- structure ---------------------------------------------------------------------------------


def test_one_published_2024_edition():
    edition = Edition.objects.get()
    assert edition.year == 2024
    assert edition.title == "令和６年度版「中小機構総合ハンドブック」"  # L13
    assert edition.status == Edition.Status.PUBLISHED
    # Editorial: the handbook is dated only 令和６年６月 (L29).
    assert edition.published_on == datetime.date(2024, 6, 1)


def test_six_chapters_and_five_support_types():
    # L40-45
    assert list(Chapter.objects.values_list("number", "name")) == [
        (1, "地域牽引・成長志向の中小企業への支援"),
        (2, "企業の成長段階に応じた新市場開拓支援"),
        (3, "スタートアップの創出・成長への支援"),
        (4, "事業承継・経営体力強化への支援"),
        (5, "経営環境変化対応への支援"),
        (6, "共通・その他"),
    ]
    assert list(SupportType.objects.values_list("number", "name")) == [
        (1, "補助金・助成金"),
        (2, "融資・出資・施設"),
        (3, "共済・債務保証"),
        (4, "専門家派遣・経営相談"),
        (5, "研修・イベント・情報提供等"),
    ]


def test_74_programs_with_the_tocs_per_chapter_counts():
    assert Program.objects.count() == 74
    assert Program.objects.filter(edition__year=2024, status=Program.Status.ACTIVE).count() == 74
    per_chapter = Counter(Program.objects.values_list("chapter__number", flat=True))
    assert per_chapter == {1: 10, 2: 7, 3: 13, 4: 22, 5: 18, 6: 4}


def test_programs_are_numbered_without_gaps_and_pages_increase():
    for chapter in Chapter.objects.all():
        numbers = list(chapter.programs.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1)), chapter
    pages = list(
        Program.objects.order_by("chapter__number", "number").values_list("page", flat=True)
    )
    assert None not in pages
    assert pages == sorted(pages) and len(set(pages)) == 74
    assert (pages[0], pages[-1]) == (8, 89)


def test_every_program_has_chapter_support_type_department_and_a_contact():
    without_phone = set()
    for p in Program.objects.select_related("chapter", "support_type", "department"):
        assert p.chapter.name and p.support_type.name and p.department.name, p.code
        if not p.phone_list:
            without_phone.add(p.code)
    assert without_phone == PROGRAMS_WITHOUT_PHONE
    for code in PROGRAMS_WITHOUT_PHONE:
        p = program(code)
        assert p.url_list, code
        assert any(url in p.contact_note for url in p.url_list), code


def test_covid_mark_is_set_on_exactly_the_two_covid_measures():
    assert set(Program.objects.filter(covid=True).values_list("code", flat=True)) == {
        "management-strengthening-fund",  # P48, 対象者 L2831
        "covid19-interest-subsidy",  # P80
    }


# --- formats -----------------------------------------------------------------------------------


PHONE_SOURCES = [
    (Program, "contact_phones"),
    (Section, "phones"),
    (RegionalOffice, "phones"),
    (PartnerOrganization, "phones"),
    (RegionalDesk, "phone"),
    (Campus, "phone"),
]


@pytest.mark.parametrize(("model", "attribute"), PHONE_SOURCES)
def test_every_phone_is_a_valid_number(model, attribute):
    checked, bad = 0, []
    for obj in model.objects.all():
        for phone in parse_phones(getattr(obj, attribute)):
            checked += 1
            if not is_phone_number(phone.number):
                bad.append((str(obj), str(phone)))
    assert bad == []
    assert checked >= model.objects.exclude(**{attribute: ""}).count() > 0


def test_desk_and_campus_phone_cells_hold_one_number():
    for model in (RegionalDesk, Campus):
        for obj in model.objects.exclude(phone=""):
            assert len(parse_phones(obj.phone)) == 1, obj


def test_postal_codes():
    postal = re.compile(r"^\d{3}-\d{4}$")
    offices = RegionalOffice.objects.all()
    assert offices.count() == 27
    for office in offices:  # every office in 所在地一覧 has a printed 〒
        assert postal.fullmatch(office.postal_code), (office.code, office.postal_code)
    for campus in Campus.objects.exclude(postal_code=""):
        assert postal.fullmatch(campus.postal_code), (campus.code, campus.postal_code)
    # The nine schools with a site have an address; web校 and the 研修キャンパス print none.
    assert set(Campus.objects.filter(postal_code="").values_list("code", flat=True)) == {
        "web",
        "sapporo",
        "sendai-machinaka",
        "toranomon",
        "nagoya-ekimae",
        "kanazawa",
        "hacchobori",
        "shikoku",
    }


# --- prefectures and partners ------------------------------------------------------------------


def test_47_prefectures_with_jis_codes_and_all_four_partner_kinds():
    prefectures = list(Prefecture.objects.order_by("code"))
    assert [p.code for p in prefectures] == [f"{n:02d}" for n in range(1, 48)]
    assert (prefectures[0].name, prefectures[12].name, prefectures[46].name) == (
        "北海道",
        "東京都",
        "沖縄県",
    )
    for prefecture in prefectures:
        assert prefecture.regional_office is not None, prefecture
        kinds = Counter(prefecture.partners.values_list("kind", flat=True))
        assert set(kinds) == PARTNER_KINDS, prefecture
    # Only 東京都 prints two 事業承継・引継ぎ支援センター (L6050, L6052).
    assert PartnerOrganization.objects.count() == 47 * 4 + 1
    assert [p.name for p in Prefecture.objects.get(code="13").partners.order_by("order")][:2] == [
        "東京都事業承継・引継ぎ支援センター",
        "東京都多摩地域事業承継・引継ぎ支援センター",
    ]


def test_every_council_has_national_hq_and_improvement_plan_numbers():
    councils = PartnerOrganization.objects.filter(kind=PartnerOrganization.Kind.REVITALIZATION)
    assert councils.count() == 47
    for council in councils:
        labels = sorted(p.label for p in council.phone_list)
        assert labels == ["全", "経"], (council.name, council.phones)


def test_okayama_partners():
    # L6253-6258 (center, 協議会 （全）（経）, よろず), operator cell L6374, 高度化 L6481.
    partners = Prefecture.objects.get(code="33", name="岡山県").partners.order_by("order")
    assert [(p.kind, p.name, p.operator, phones(p.phones)) for p in partners] == [
        (
            "事業承継・引継ぎ支援センター",
            "岡山県事業承継・引継ぎ支援センター",
            "（公財）岡山県産業振興財団",
            ["086-286-9708"],
        ),
        (
            "中小企業活性化協議会",
            "岡山県中小企業活性化協議会",
            "（公財）岡山県産業振興財団",
            ["全：086-286-9682", "経：086-286-9704"],
        ),
        (
            "よろず支援拠点",
            "岡山県よろず支援拠点",
            "（公財）岡山県産業振興財団",
            ["086-206-2180"],
        ),
        ("高度化事業 都道府県庁担当課", "産業労働部　経営支援課", "", ["086-226-7361"]),
    ]
    assert Prefecture.objects.get(code="33").regional_office.code == "chugoku"  # L5909


def test_hokkaido_council_numbers_and_aomoris_printed_copy():
    hokkaido = PartnerOrganization.objects.get(code="01-revitalization")
    assert phones(hokkaido.phones) == ["全：011-222-2829", "経：011-232-0217"]  # L5980-5981
    # The handbook prints 北海道's numbers for 青森 as well (L5986-5987); kept as printed.
    aomori = PartnerOrganization.objects.get(code="02-revitalization")
    assert aomori.name == "青森県中小企業活性化協議会"
    assert aomori.phones == hokkaido.phones


# --- offices, campuses, desks ------------------------------------------------------------------


def test_kanto_regional_office_address():
    # 所在地一覧（1）L6859-6868: 本部/関東本部 share one block.
    kanto = RegionalOffice.objects.get(code="kanto")
    assert (kanto.name, kanto.kind) == ("関東本部", RegionalOffice.Kind.REGIONAL)
    assert kanto.postal_code == "105-8453"
    assert kanto.address == "東京都港区虎ノ門3-5-1"
    assert kanto.building == "虎ノ門37森ビル"
    assert phones(kanto.phones) == ["関東本部代表：03-5470-1509"]
    headquarters = RegionalOffice.objects.get(code="headquarters")
    assert (headquarters.postal_code, headquarters.address) == ("105-8453", kanto.address)
    assert phones(headquarters.phones) == ["本部代表：03-3433-8811", "共済相談室：050-5541-7171"]


def test_schools_and_campuses():
    assert Campus.objects.filter(kind=Campus.Kind.UNIVERSITY).count() == 10
    assert Campus.objects.filter(kind=Campus.Kind.CAMPUS).count() == 7
    asahikawa = Campus.objects.get(code="asahikawa")  # L6498, L7353
    assert (asahikawa.name, asahikawa.postal_code, asahikawa.phone) == (
        "旭川校",
        "078-8555",
        "0166-65-1200",
    )
    assert asahikawa.address == "北海道旭川市緑が丘東３条2-2-1"


def test_desks_reference_the_programs_they_print():
    label = re.compile(r"^第(\d)章-(\d+) (.+)$")
    assert RegionalDesk.objects.count() == 31
    for desk in RegionalDesk.objects.all():
        labels = [line for line in desk.program_labels.splitlines() if line.strip()]
        programs = list(Program.objects.filter(code__in=desk.code_list).select_related("chapter"))
        assert len(programs) == len(desk.code_list), desk.code
        assert len(labels) == len(programs), desk.code
        printed = set()
        for line in labels:
            match = label.match(line)
            assert match, (desk.code, line)
            printed.add((int(match[1]), int(match[2])))
        assert printed == {(p.chapter.number, p.number) for p in programs}, desk.code
        assert all(p.edition.year == 2024 for p in programs)
    # 沖縄事務所 prints a phone but no section or programs (L5972).
    okinawa = RegionalDesk.objects.get(office__code="okinawa")
    assert (okinawa.section, okinawa.phone, okinawa.code_list) == ("", "098-859-7566", [])


def test_kyosai_consultation_office_belongs_to_the_mutual_aid_department():
    section = Section.objects.get(name="共済相談室")
    assert section.department == Department.objects.get(name="共済事業推進部")
    assert phones(section.phones) == ["050-5541-7171"]
    for code in ("mutual-aid-small-enterprise", "bankruptcy-prevention-mutual-aid"):
        assert program(code).contact_section == section


# --- body text clean-up ------------------------------------------------------------------------

TAB_BAR = (
    "補助金・助成金 融資・出資・施設 共済・債務保証 専門家派遣・経営相談 研修・イベント・情報提供等"
)


@pytest.mark.parametrize(
    "artifact",
    [
        "対象者対象者",
        "事業のポイント事業のポイント",
        "ご利用の流れご利用の流れ",
        "利用実績利用実績",
    ],
)
def test_no_doubled_section_heading(artifact):
    found = [
        (p.code, field)
        for p in Program.objects.all()
        for field in BODY_FIELDS
        if artifact in getattr(p, field)
    ]
    assert found == []


def test_no_page_furniture_lines_in_body_text():
    found = []
    for p in Program.objects.all():
        for field in BODY_FIELDS:
            for line in getattr(p, field).splitlines():
                stripped = line.strip()
                if (
                    TAB_BAR in line
                    or re.fullmatch(r"\d+", stripped)  # page number
                    or re.fullmatch(r"第[0-9０-９]+章", stripped)  # chapter tab
                    or (len(stripped) == 1 and re.fullmatch(r"[\u3400-\u9fff]", stripped))
                    or line.startswith(("・ ", "・\u3000"))
                    or line != stripped
                    or not stripped
                ):
                    found.append((p.code, field, line))
    assert found == []


def test_index_heading_follows_the_reading():
    for p in Program.objects.all():
        assert p.reading, p.code
        assert p.index_heading == kana_heading(p.reading), (p.code, p.reading)


def test_toc_spelling_is_kept_in_the_editorial_note():
    with_toc_name = Program.objects.exclude(toc_name="")
    assert with_toc_name.count() == 9
    for p in with_toc_name:
        assert p.toc_name != p.name
        assert f"目次での表記：{p.toc_name}" in p.editorial_note.splitlines(), p.code
    for p in Program.objects.all():
        assert re.search(r"抽出元テキスト \d+～\d+行", p.editorial_note), p.code


# --- spot checks against the printed pages -----------------------------------------------------


def test_it_introduction_subsidy():
    p = program("it-introduction-subsidy")
    assert (p.chapter.number, p.number, p.page) == (5, 17, 82)  # TOC L206
    assert p.name == "IT 導入補助金（サービス等生産性向上 IT導入支援事業）"  # L5475-5476
    assert p.toc_name == "IT導入補助金（サービス等生産性向上IT導入支援事業）"
    assert p.support_type.name == "補助金・助成金"
    assert p.department.name == "イノベーション助成グループ"
    assert p.index_heading == "あ"  # 索引 L6541
    assert p.contact_name == "IT導入補助金事務局コールセンター"  # L5480
    assert phones(p.contact_phones) == ["0570-666-376", "IP電話用：050-3133-3272"]  # L5481-5482
    assert "https://it-shien.smrj.go.jp/" in p.url_list


@pytest.mark.parametrize(
    ("code", "page", "expected"),
    [
        ("hands-on-general", 8, ["03-5470-1564"]),  # L457
        (
            "management-consultation",
            15,
            ["03-5470-1564", "経営相談ホットライン：050-3171-8814"],  # L957-959
        ),
        ("mutual-aid-small-enterprise", 60, ["050-5541-7171"]),  # L3903
        ("bankruptcy-prevention-mutual-aid", 61, ["050-5541-7171"]),  # L3957
        # The body prints 03-5470-1623 (L3820); the お問合せ先 block prints 1632 (L3846).
        ("town-center-council-support-center", 59, ["03-5470-1632"]),
        ("business-restructuring-subsidy", 78, []),  # web page only, L4970-4972
    ],
)
def test_contact_phones(code, page, expected):
    p = program(code)
    assert p.page == page
    assert phones(p.contact_phones) == expected


def test_hands_on_general_page():
    p = program("hands-on-general")
    assert p.name == "ハンズオン支援事業（総合）"  # L452
    assert p.department.name == "経営支援部"
    assert p.contact_section.code == "management-support-kigyo-shien"
    assert p.period == "数か月～ 10か月程度（20回程度）"
    assert p.points.startswith("（１）概要\n・経営全般の課題解決・目標達成を目指し、")


# --- idempotent reload -------------------------------------------------------------------------


def row_counts():
    from django.apps import apps

    counts = {label: apps.get_model(label).objects.count() for label, _r, _f in ENTRIES}
    counts["desk programs"] = sum(len(d.code_list) for d in RegionalDesk.objects.all())
    return counts


def test_loading_the_handbook_again_changes_nothing():
    before = row_counts()
    out = StringIO()
    call_command("load_handbook", stdout=out)
    summary = {line.split()[0]: line for line in out.getvalue().splitlines() if ".csv" in line}
    assert set(summary) == {filename for _label, _r, filename in ENTRIES}
    for label, _resource, filename in ENTRIES:
        line = summary[filename]
        assert "新規 0件 / 変更 0件" in line, line
        assert "エラー 0件" in line, line
        assert f"変更なし {before[label]}件" in line, line
    assert row_counts() == before
