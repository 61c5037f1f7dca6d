"""The public program directory against the real 令和6年度 handbook, through the test client."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from contacts.models import RegionalDesk
from core.text import gojuon_key
from programs.models import Program
from tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

LIST = "/programs/"

# 第5章 × 補助金・助成金 in the handbook (P.73–P.83).
CHAPTER5_SUBSIDIES = [
    "仮設施設有効活用等支援事業（助成）〔東日本大震災〕",
    "仮設施設整備支援事業（助成）",
    "なりわい再建資金利子補給事業",
    "事業再構築補助金（中小企業等事業再構築促進事業）",
    "中小企業省力化投資補助金（中小企業省力化投資補助事業）",
    "新型コロナウイルス感染症利子補給事業",
    "ものづくり補助金（ものづくり・商業・サービス生産性向上促進補助事業）",
    "IT 導入補助金（サービス等生産性向上 IT導入支援事業）",
    "小規模事業者持続化補助金（小規模事業者持続的発展支援事業）",
]
IT_SUBSIDY = "IT 導入補助金（サービス等生産性向上 IT導入支援事業）"


def names(response):
    return [p.name for p in response.context["programs"]]


# --- home --------------------------------------------------------


def test_home_offers_search_chapters_support_types_and_finders(client):
    response = client.get("/")
    assert response.status_code == 200
    html = body(response)
    assert "令和6年度版" in html
    assert 'name="q"' in html and 'role="search"' in html
    chapters = {c.number: c.program_count for c in response.context["chapters"]}
    assert chapters == {1: 10, 2: 7, 3: 13, 4: 22, 5: 18, 6: 4}
    types = {t.name: t.program_count for t in response.context["support_types"]}
    assert types["補助金・助成金"] == 11
    assert sum(types.values()) == 74
    assert 'href="/programs/?chapter=5"' in html
    assert 'href="/programs/?support_type=1"' in html
    assert 'href="/index/"' in html
    assert 'href="/prefectures/"' in html


# --- list, filters and search ------------------------------------


def test_chapter_and_support_type_combined_list_the_nine_subsidies_of_chapter_5(client):
    response = client.get(LIST, {"chapter": "5", "support_type": "1"})
    assert response.status_code == 200
    assert names(response) == CHAPTER5_SUBSIDIES
    assert response.context["paginator"].count == 9
    html = body(response)
    assert '<span class="result-count">9</span>件の支援施策' in html
    # Both boxes stay ticked, and each offers the count it would give.
    assert re.search(r'name="chapter" value="5" id="chapter-5" checked', html)
    assert re.search(r'name="support_type" value="1" id="support-type-1" checked', html)
    chapters = {c.number: c.count for c in response.context["chapters"]}
    types = {t.number: t.count for t in response.context["support_types"]}
    assert chapters[5] == 9 and types[1] == 9
    assert chapters[4] == Program.objects.filter(chapter__number=4, support_type__number=1).count()
    assert types[4] == Program.objects.filter(chapter__number=5, support_type__number=4).count()


def test_several_chapters_at_once(client):
    response = client.get(LIST, {"chapter": ["1", "6"]})
    assert response.context["paginator"].count == 10 + 4


def test_facet_counts_without_filters_are_the_totals(client):
    response = client.get(LIST)
    assert response.context["paginator"].count == 74
    assert {c.number: c.count for c in response.context["chapters"]} == {
        1: 10,
        2: 7,
        3: 13,
        4: 22,
        5: 18,
        6: 4,
    }
    departments = {d.code: d.count for d in response.context["departments"]}
    assert sum(departments.values()) == 74
    assert "（" in body(response) and "件）</option>" in body(response)


def test_full_width_keyword_finds_the_it_subsidy(client):
    response = client.get(LIST, {"q": "ＩＴ導入"})
    assert IT_SUBSIDY in names(response)
    assert names(response) == names(client.get(LIST, {"q": "IT導入"}))


def test_keyword_ignores_the_handbooks_spaces(client):
    assert names(client.get(LIST, {"q": "IT導入補助金"})) == [IT_SUBSIDY]


def test_half_width_katakana_matches_katakana(client):
    full = names(client.get(LIST, {"q": "ハンズオン"}))
    assert len(full) >= 4
    assert names(client.get(LIST, {"q": "ﾊﾝｽﾞｵﾝ"})) == full


def test_keyword_words_must_all_match_across_fields(client):
    both = names(client.get(LIST, {"q": "ハンズオン ＩＴ"}))
    assert "ハンズオン支援事業（IT）" in both
    assert all("ハンズオン" in n for n in both)
    # 対象者 is searched too: 「小規模企業者」 occurs in the target of 小規模企業共済制度.
    assert "小規模企業共済制度" in names(client.get(LIST, {"q": "小規模企業者"}))


def test_keyword_in_hiragana_matches_the_reading(client):
    assert "ハンズオン支援事業（IT）" in names(client.get(LIST, {"q": "はんずおん"}))


def test_department_filter(client):
    response = client.get(LIST, {"department": "innovation-grants"})
    programs = list(response.context["programs"])
    assert programs and all(p.department.code == "innovation-grants" for p in programs)
    assert 'value="innovation-grants" selected' in body(response)


def test_sort_by_reading(client):
    response = client.get(LIST, {"sort": "kana"})
    readings = [p.reading for p in response.context["programs"]]
    assert readings == sorted(readings)
    handbook = [p.name for p in client.get(LIST).context["programs"]]
    assert handbook[0] == "ハンズオン支援事業（総合）"
    assert '<span aria-current="true">五十音順</span>' in body(response)


def test_submitted_form_redirects_to_a_clean_shareable_url(client):
    response = client.get(LIST + "?q=&support_type=1&chapter=5&department=&sort=&chapter=5&page=1")
    assert response.status_code == 302
    assert response["Location"] == "/programs/?chapter=5&support_type=1"
    response = client.get(LIST + "?q=+%EF%BC%A9%EF%BC%B4%E5%B0%8E%E5%85%A5+")
    assert response["Location"] == "/programs/?q=%EF%BC%A9%EF%BC%B4%E5%B0%8E%E5%85%A5"
    # Nothing but empty fields: the plain list.
    assert client.get(LIST + "?q=&department=")["Location"] == "/programs/"
    # A clean URL is served as it is.
    assert client.get("/programs/?chapter=5&support_type=1").status_code == 200


def test_pagination_keeps_the_filters(client):
    response = client.get(LIST, {"support_type": "4"})
    assert response.context["paginator"].count == 28
    assert len(response.context["programs"]) == 20
    html = body(response)
    assert 'href="?support_type=4&amp;page=2"' in html
    page2 = client.get(LIST, {"support_type": "4", "page": "2"})
    assert len(page2.context["programs"]) == 8
    assert all(p.support_type.number == 4 for p in page2.context["programs"])
    # Back to page 1 without a page parameter.
    assert 'href="?support_type=4" rel="prev"' in body(page2)
    assert "21～28件目を表示" in body(page2)


def test_unfiltered_pagination_links_are_clean(client):
    page2 = client.get(LIST, {"page": "2"})
    assert 'href="/programs/" rel="prev"' in body(page2)
    assert 'href="?page=3" rel="next"' in body(page2)


def test_active_filters_can_be_removed_one_by_one(client):
    response = client.get(LIST, {"q": "補助金", "chapter": "5", "support_type": "1"})
    urls = {f["label"]: f["url"] for f in response.context["active_filters"]}
    assert urls["補助金・助成金"] == "/programs/?q=%E8%A3%9C%E5%8A%A9%E9%87%91&chapter=5"
    assert urls["キーワード「補助金」"] == "/programs/?chapter=5&support_type=1"


def test_empty_result_is_helpful(client):
    response = client.get(LIST, {"q": "宇宙旅行"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
    html = body(response)
    assert "条件に合う支援施策は見つかりませんでした" in html
    assert "キーワードを短くするか" in html
    assert 'href="/programs/">すべての支援施策を表示' in html
    assert 'href="/prefectures/">お近くの相談先' in html


def test_unknown_filter_value_gives_an_explained_empty_list(client):
    response = client.get(LIST, {"chapter": "99"})
    assert response.status_code == 400
    assert response.context["paginator"].count == 0
    assert "条件の一部を読み取れませんでした" in body(response)


def test_export_links_carry_the_current_filters(client):
    response = client.get(LIST, {"chapter": "5", "support_type": "1", "page": "1"}, follow=True)
    html = body(response)
    assert 'href="/programs.csv?chapter=5&amp;support_type=1"' in html
    assert 'href="/programs.json?chapter=5&amp;support_type=1"' in html


# --- program page ------------------------------------------------


def test_it_subsidy_page_shows_every_section_and_contact(client):
    program = Program.objects.get(edition__year=2024, code="it-introduction-subsidy")
    response = client.get(f"/programs/{program.code}/")
    assert response.status_code == 200
    html = body(response)
    assert f'<h1 id="program-title">{IT_SUBSIDY}</h1>' in html
    assert program.tagline in html
    assert "令和6年度版 P.82" in html
    # The sections in the handbook's order.
    headings = [h for h in re.findall(r'<h2 id="(\w+)-title">', html) if h != "toc"]
    expected = [s for s, v in [("target", program.target), ("points", program.points)] if v]
    if program.period or program.fee:
        expected.append("summary")
    expected += [s for s, v in [("flow", program.flow), ("results", program.results)] if v]
    assert headings[: len(expected) + 1] == [*expected, "contact"]
    for field in ("target", "points", "flow", "results"):
        value = getattr(program, field)
        if value:
            first_line = value.splitlines()[0].lstrip("・")
            assert first_line.replace("&", "&amp;")[:20] in html, field
    # Badges link to the filtered lists.
    assert 'class="badge badge--chapter" href="/programs/?chapter=5"' in html
    assert 'class="badge badge--type" href="/programs/?support_type=1"' in html
    # お問合せ先 as printed.
    for line in program.contact_name.splitlines():
        assert line in html
    for phone in program.phone_list:
        assert f'href="{phone.tel_uri}">{phone.number}</a>' in html
    for url in program.url_list:
        assert f'href="{url}"' in html
    if program.contact_note:
        assert program.contact_note.splitlines()[0] in html
    # Other programs of 第5章 and the prefecture finder pre-set for this program.
    chapter5 = Program.objects.filter(edition__year=2024, chapter__number=5).exclude(pk=program.pk)
    for other in chapter5:
        assert f'href="/programs/{other.code}/">{other.name}</a>' in html
    assert f'href="/prefectures/?program={program.code}"' in html


def test_program_page_lists_the_regional_desks_with_phones(client):
    html = body(client.get("/programs/hands-on-it/"))
    assert 'id="desks-title">地域本部の窓口' in html
    # 中国本部 企業支援課 (desks table of the handbook).
    assert 'href="/offices/chugoku/">中国本部</a>' in html
    assert 'href="tel:0825026555">082-502-6555</a>' in html
    # One row for every desk that handles the program.
    desks = RegionalDesk.objects.for_program("hands-on-it").count()
    assert desks >= 9
    assert html.count('<th scope="row" class="nowrap"><a href="/offices/') == desks


def test_program_page_shows_the_desks_printed_label_when_it_says_more(client):
    html = body(client.get("/programs/carbon-neutral-support/"))
    assert "（カーボンニュートラル支援事業（支援機関支援））" in html
    assert "（カーボンニュートラル支援事業（企業支援））" in html


def test_program_page_formats_the_handbook_text(client):
    html = body(client.get("/programs/hands-on-it/"))
    assert '<h3 class="prose__heading">（１）概要</h3>' in html
    assert '<ul class="bullets"><li>ITを活用した経営戦略の策定' in html
    assert "<dt>費用</dt><dd>17,500円" in html


def test_program_page_links_urls_in_the_text(client):
    html = body(client.get("/programs/mutual-aid-small-enterprise/"))
    assert 'href="https://kyosai-web.smrj.go.jp/online/index.html"' in html
    assert 'index.html）"' not in html


def test_editorial_notes_are_never_public(client):
    program = Program.objects.get(edition__year=2024, code="hands-on-it")
    program.editorial_note = "内部メモ：公開しないこと"
    program.save()
    for url in (
        "/programs/hands-on-it/",
        "/programs/?q=ハンズオン",
        "/programs.csv",
        "/programs.json",
        "/index/",
    ):
        response = client.get(url)
        assert "内部メモ" not in response.content.decode("utf-8-sig"), url
        assert "編集メモ" not in response.content.decode("utf-8-sig"), url


def test_unknown_program_is_a_japanese_404(client):
    response = client.get("/programs/no-such-program/")
    assert response.status_code == 404
    assert "お探しのページが見つかりません" in body(response)


def test_year_url_serves_the_published_edition(client):
    response = client.get("/2024/programs/hands-on-it/")
    assert response.status_code == 200
    assert '<link rel="canonical" href="http://testserver/programs/hands-on-it/">' in body(response)


# --- 索引 ----------------------------------------------------------


def test_kana_index_groups_programs_under_the_handbook_headings(client):
    response = client.get(reverse("programs:kana_index"))
    assert response.status_code == 200
    groups = response.context["groups"]
    headings = [h for h, _ in groups]
    assert headings[:4] == ["あ", "い", "う", "か"]
    assert headings == sorted(headings)
    assert sum(len(items) for _, items in groups) == 74
    for heading, items in groups:
        assert all(p.index_heading == heading for p in items)
        readings = [p.reading for p in items]
        assert readings == sorted(readings, key=gojuon_key)  # 五十音順 as dictionaries sort
    html = body(response)
    assert '<h2 id="kana-1-title">あ<span class="small">' in html
    assert 'href="/programs/it-introduction-subsidy/">' + IT_SUBSIDY in html


# --- open data, sitemap, robots ----------------------------------


def test_csv_of_the_filtered_list(client):
    response = client.get("/programs.csv", {"chapter": "5", "support_type": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="smrj-programs-2024.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    header = lines[0].split(",")
    assert header[:6] == [
        "年度",
        "事業コード",
        "経営課題",
        "経営課題名",
        "章内番号",
        "事業・制度名",
    ]
    assert "編集メモ" not in header and "掲載状態" not in header
    assert header[-1] == "ページURL"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["事業・制度名"] for r in rows] == CHAPTER5_SUBSIDIES
    it_row = rows[CHAPTER5_SUBSIDIES.index(IT_SUBSIDY)]
    assert it_row["掲載ページ"] == "82"
    assert it_row["ページURL"] == "http://testserver/programs/it-introduction-subsidy/"


def test_csv_neutralises_formulas(client):
    program = Program.objects.get(edition__year=2024, code="hands-on-it")
    program.tagline = '=HYPERLINK("http://example.com")'
    program.save()
    body = client.get("/programs.csv", {"q": "ハンズオン支援事業（IT）"}).content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in body


def test_csv_of_everything(client):
    body = client.get("/programs.csv").content.decode("utf-8-sig")
    assert len(body.strip().split("\r\n")) >= 75  # header + 74 (cells may hold line breaks)
    assert len(list(csv.DictReader(io.StringIO(body)))) == 74


def test_json_of_the_filtered_list(client):
    response = client.get("/programs.json", {"q": "ＩＴ導入"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["edition"] == {
        "year": 2024,
        "label": "令和6年度版",
        "title": "令和６年度版「中小機構総合ハンドブック」",
        "published_on": "2024-06-01",
    }
    assert data["count"] == len(data["programs"])
    program = next(p for p in data["programs"] if p["code"] == "it-introduction-subsidy")
    assert program["name"] == IT_SUBSIDY
    assert program["chapter"] == 5 and program["support_type"] == "補助金・助成金"
    assert program["url"] == "http://testserver/programs/it-introduction-subsidy/"
    assert "editorial_note" not in program and "search_index" not in program
    assert "導入補助金".encode() in response.content  # UTF-8, not \\u escapes


def test_sitemap_lists_every_public_page(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = body(response)
    urls = re.findall(r"<loc>([^<]+)</loc>", xml)
    paths = {urlsplit(u).path for u in urls}
    assert {"/", "/programs/", "/index/", "/offices/", "/prefectures/"} <= paths
    assert len([p for p in paths if re.fullmatch(r"/programs/[\w-]+/", p)]) == 74
    assert "/prefectures/33/" in paths and "/offices/chugoku/" in paths


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = body(response)
    assert "User-agent: *" in robots
    assert "Disallow: /admin/" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots


@pytest.mark.django_db
def test_businest_fax_is_shown_but_not_dialled(client, handbook):
    body = client.get("/programs/businest/").content.decode()
    assert "042-565-1205" in body
    assert 'href="tel:0425651205"' not in body
    assert 'href="tel:0425651195"' in body
