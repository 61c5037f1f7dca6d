"""Regional offices and the prefecture finder against the real handbook, through the test client.

The expected contacts are read from fixtures/*.csv (the handbook's tables), so the test checks
that every printed contact reaches the page."""

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings

from contacts.models import Campus, Prefecture, RegionalOffice
from contacts.views import nearest_universities
from core.phones import parse_phones
from tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def rows(filename, **match):
    with open(FIXTURES / filename, encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if all(r[k] == v for k, v in match.items())]


def tel_link(number):
    return f'href="tel:{number.replace("-", "")}">{number}</a>'


# --- 岡山県 ---------------------------------------------------------


def test_okayama_shows_every_contact_for_the_prefecture(client):
    response = client.get("/prefectures/33/")
    assert response.status_code == 200
    html = body(response)
    assert "<h1>岡山県の相談先</h1>" in html

    # The four partner tables of the handbook: every organisation, operator and phone.
    partners = rows("partners.csv", 都道府県="岡山県")
    assert {p["種別"] for p in partners} == {
        "事業承継・引継ぎ支援センター",
        "中小企業活性化協議会",
        "よろず支援拠点",
        "高度化事業 都道府県庁担当課",
    }
    for partner in partners:
        assert partner["名称"] in html
        if partner["設置主体・実施機関"]:
            assert partner["設置主体・実施機関"] in html
        for phone in parse_phones(partner["電話番号"]):
            assert tel_link(phone.number) in html
    # The numbers of the real rows, spelled out (fixtures/partners.csv).
    for number in ("086-286-9708", "086-286-9682", "086-286-9704", "086-206-2180", "086-226-7361"):
        assert tel_link(number) in html
    # （全） and （経） say what they are.
    assert "（全）中小企業活性化全国本部事業</span>" + '<a href="tel:0862869682"' in html
    assert "（経）経営改善計画策定支援事業</span>" + '<a href="tel:0862869704"' in html
    assert "岡山県 産業労働部　経営支援課" in html

    # 中国本部: address, main phone, and every desk with its phone.
    office = rows("offices.csv", コード="chugoku")[0]
    assert office["所在地"] in html and office["建物名"] in html
    for phone in parse_phones(office["電話番号"]):
        assert tel_link(phone.number) in html
    desks = rows("desks.csv", 地域本部コード="chugoku")
    assert len(desks) == 3
    for desk in desks:
        assert desk["担当課"] in html
        assert tel_link(desk["電話番号"]) in html
        for label in desk["担当事業（掲載表記）"].splitlines():
            assert label in html

    # The nearest 中小企業大学校: 広島校 (中国本部's area), and the online web校.
    campus = rows("campuses.csv", コード="hiroshima")[0]
    assert "中小企業大学校 広島校" in html
    assert tel_link(campus["電話番号"]) in html
    assert "中国本部の管轄地域にある大学校です" in html
    assert "web校" in html and tel_link("03-5470-1823") in html


def test_prefecture_page_preset_for_a_program_highlights_its_desk(client):
    html = body(client.get("/prefectures/33/?program=hands-on-it"))
    assert '「<a href="/programs/hands-on-it/">ハンズオン支援事業（IT）</a>」について' in html
    assert "<strong>中国本部 企業支援課</strong>" in html
    assert html.count('class="is-highlight"') == 1
    assert '企業支援課 <span class="tag">この事業の担当</span>' in html


def test_program_handled_by_two_desks_highlights_both(client):
    html = body(client.get("/prefectures/33/?program=carbon-neutral-support"))
    assert html.count('class="is-highlight"') == 2


def test_program_without_a_regional_desk_points_to_its_own_contact(client):
    html = body(client.get("/prefectures/33/?program=it-introduction-subsidy"))
    assert "中国本部の窓口ではこの事業を取り扱っていません" in html
    assert 'class="is-highlight"' not in html


@pytest.mark.parametrize(
    "url, page",
    [
        ("/prefectures/33/?program=no-such-program", "/prefectures/33/"),
        ("/prefectures/?program=no-such-program", "/prefectures/"),
        ("/prefectures/?program=no-such-program&prefecture=33", "/prefectures/?prefecture=33"),
        # The values that name a program stay (a second outside probe saw them dropped).
        (
            "/prefectures/33/?program=hands-on-it&program=no-such-program",
            "/prefectures/33/?program=hands-on-it",
        ),
        (
            "/prefectures/33/?program=no-such-program&program=hands-on-it",
            "/prefectures/33/?program=hands-on-it",
        ),
    ],
)
def test_an_unknown_program_parameter_leads_to_the_page_without_it(client, url, page):
    # A link from an older edition, or junk: the page itself, never a page of its own (each
    # would be kept in the page cache under its value).
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == page
    assert client.get(page, follow=True).status_code == 200


def test_unknown_prefecture_is_404(client):
    assert client.get("/prefectures/48/").status_code == 404


# --- the finder --------------------------------------------------


def test_finder_offers_a_form_and_links_for_all_47_prefectures(client):
    response = client.get("/prefectures/")
    assert response.status_code == 200
    html = body(response)
    assert '<form class="panel panel--soft form-row" method="get" action="/prefectures/">' in html
    assert '<label for="prefecture">都道府県</label>' in html
    assert len(re.findall(r'<option value="\d\d">', html)) == 47
    assert '<optgroup label="中国本部">' in html
    assert len(re.findall(r'href="/prefectures/\d\d/"', html)) == 47
    assert 'href="/prefectures/33/">岡山県</a>' in html


def test_finder_form_redirects_to_the_prefecture(client):
    response = client.get("/prefectures/", {"prefecture": "33"})
    assert response.status_code == 302
    assert response["Location"] == "/prefectures/33/"
    response = client.get("/prefectures/", {"prefecture": "33", "program": "hands-on-it"})
    assert response["Location"] == "/prefectures/33/?program=hands-on-it"


def test_finder_preset_for_a_program(client):
    html = body(client.get("/prefectures/", {"program": "hands-on-it"}))
    assert '<input type="hidden" name="program" value="hands-on-it">' in html
    assert 'href="/prefectures/33/?program=hands-on-it">岡山県</a>' in html


def test_finder_explains_an_unknown_prefecture(client):
    response = client.get("/prefectures/", {"prefecture": "99"})
    assert response.status_code == 400
    assert "都道府県を一覧から選んでください" in body(response)
    assert 'aria-invalid="true"' in body(response)


# --- offices -----------------------------------------------------


def test_office_list_shows_every_office_with_address_and_phones(client):
    response = client.get("/offices/")
    assert response.status_code == 200
    html = body(response)
    for office in rows("offices.csv"):
        assert f'href="/offices/{office["コード"]}/">{office["名称"]}</a>' in html
        for phone in parse_phones(office["電話番号"]):
            assert tel_link(phone.number) in html
    assert "管轄：鳥取県、島根県、岡山県、広島県、山口県" in html


def test_office_page_lists_desks_and_the_programs_each_handles(client):
    response = client.get("/offices/chugoku/")
    assert response.status_code == 200
    html = body(response)
    assert "〒730-0013 広島県広島市中区八丁堀5-7 広島KSビル3F" in html
    assert tel_link("082-502-6300") in html
    assert 'href="/prefectures/33/">岡山県</a>' in html
    for desk in rows("desks.csv", 地域本部コード="chugoku"):
        assert f'<th scope="row">{desk["担当課"]}</th>' in html
        assert tel_link(desk["電話番号"]) in html
        codes = desk["担当事業コード"].split()
        labels = desk["担当事業（掲載表記）"].splitlines()
        for code, label in zip(codes, labels, strict=True):
            assert f'<a href="/programs/{code}/">{label}</a>' in html
    assert "八丁堀キャンパス" in html  # the training campus it runs


def test_office_page_of_a_support_center_names_its_parent(client):
    html = body(client.get("/offices/tohoku-fukushima-office/"))
    assert 'href="/offices/tohoku/">東北本部</a>' in html


def test_unknown_office_is_404(client):
    assert client.get("/offices/nowhere/").status_code == 404


# --- the nearest 中小企業大学校 -----------------------------------------


@pytest.mark.parametrize(
    "prefecture, expected, rule",
    [
        ("岡山県", ["広島校"], "area"),
        ("熊本県", ["人吉校"], "prefecture"),
        ("東京都", ["東京校"], "prefecture"),
        ("神奈川県", ["三条校", "東京校"], "area"),
        ("北海道", ["旭川校"], "prefecture"),
        ("富山県", ["瀬戸校"], "neighbour"),
        ("香川県", ["広島校"], "neighbour"),
        ("沖縄県", ["九州校", "人吉校"], "neighbour"),
    ],
)
def test_nearest_university_rule(prefecture, expected, rule):
    prefectures = list(Prefecture.objects.select_related("regional_office"))
    universities = list(
        Campus.objects.filter(kind=Campus.Kind.UNIVERSITY).exclude(address="").order_by("order")
    )
    chosen, used = nearest_universities(
        next(p for p in prefectures if p.name == prefecture), prefectures, universities
    )
    assert [u.name for u in chosen] == expected
    assert used == rule


def test_every_prefecture_gets_a_university(client):
    for prefecture in Prefecture.objects.all():
        response = client.get(prefecture.get_absolute_url())
        assert response.context["universities"], prefecture.name
    assert RegionalOffice.objects.filter(kind=RegionalOffice.Kind.REGIONAL).exists()
