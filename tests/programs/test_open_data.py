"""Open data done properly (issue 13): the documentation page generated from the Columns, the
licence, edition and date; exports of offices, desks and partner bodies; 400 with a Japanese
JSON error for invalid parameters; the Atom feed of new and changed programs."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from programs import feeds
from programs.models import Program
from programs.resources import ProgramResource
from tests.conftest import body
from tests.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]


def test_open_data_page_documents_every_field(client):
    html = body(client.get("/open-data/"))
    for column in ProgramResource().import_columns():
        if column.open_data:
            assert (
                f'<th scope="row">{column.column_name}</th><td><code>{column.open_data}</code>'
                in html
            )
    assert "<code>audience</code>" in html and "対象" in html
    assert "公共データ利用規約（第1.0版）" in html and "CC BY 4.0" in html
    assert "令和６年度版「中小機構総合ハンドブック」" in html
    assert '<time datetime="2024-06-01">2024年6月1日</time>' in html
    for dataset in ("offices", "desks", "partners"):
        assert f'href="/open-data/{dataset}.csv"' in html
        assert f'href="/open-data/{dataset}.json"' in html
    assert '<th scope="row">設置主体・実施機関</th><td><code>operator</code>' in html
    assert 'href="/feeds/programs.atom"' in html


def test_partner_bodies_of_a_prefecture(client):
    data = client.get("/open-data/partners.json", {"prefecture": "33"}).json()
    assert data["count"] == 4
    names = [item["name"] for item in data["items"]]
    assert names[0] == "岡山県事業承継・引継ぎ支援センター"
    assert data["items"][0]["phones"] == "086-286-9708"
    assert data["licence"]["name"].startswith("公共データ利用規約")
    assert data["edition"]["published_on"] == "2024-06-01"
    yorozu = client.get("/open-data/partners.json", {"kind": "よろず支援拠点"}).json()
    assert yorozu["count"] == 47


def test_offices_and_desks_csv(client):
    response = client.get("/open-data/offices.csv")
    assert response["Content-Disposition"] == 'attachment; filename="smrj-offices.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    text = body(response)
    assert text.splitlines()[0].startswith("コード,名称,種別")
    assert len(list(csv.reader(io.StringIO(text)))) == 28  # 27 offices + header
    desks = client.get("/open-data/desks.json", {"office": "chugoku"}).json()
    assert desks["count"] > 0
    assert all(item["office"] == "chugoku" for item in desks["items"])


@pytest.mark.parametrize(
    "url, params, message",
    [
        ("/open-data/partners.json", {"prefecture": "99"}, "都道府県コード「99」はありません"),
        ("/open-data/partners.csv", {"kind": "銀行"}, "種別「銀行」はありません"),
        ("/open-data/desks.json", {"office": "nowhere"}, "事業拠点コード「nowhere」はありません"),
        ("/open-data/offices.json", {"limit": "5"}, "パラメーター「limit」は使えません"),
        ("/programs.json", {"chapter": "99"}, "指定された条件を読み取れません"),
        ("/programs.csv", {"audience": "nobody"}, "対象（audience）"),
        ("/programs.json", {"color": "red"}, "パラメーター「color」は使えません"),
    ],
)
def test_invalid_parameters_answer_400_in_japanese(client, url, params, message):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert message in data["error"], data
    assert data["status"] == 400


def test_programs_json_has_licence_edition_and_audience(client):
    data = client.get("/programs.json", {"audience": "school"}).json()
    assert data["count"] == 3
    assert data["edition"]["published_on"] == "2024-06-01"
    assert data["licence"]["compatible"].startswith("クリエイティブ・コモンズ")
    item = data["programs"][0]
    assert item["audience"] == ["学校・教育機関"]
    assert item["area"] == ["全国"]
    csv_text = body(client.get("/programs.csv", {"audience": "school"}))
    assert "対象,地域,地域の相談先,協議会の区分" in csv_text.splitlines()[0]
    assert ",学校・教育機関,全国,," in csv_text


ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_of_new_programs(client):
    response = client.get("/feeds/programs.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    # The first edition: every program is new in it.
    assert len(entries) == 74
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert (
        "【令和6年度版・新規】ものづくり補助金（ものづくり・商業・サービス生産性向上促進補助事業）"
        in titles
    )
    first = entries[0]
    assert first.find(f"{ATOM}updated").text.startswith("2024-06-01")
    assert first.find(f"{ATOM}link").get("href").startswith("http://testserver/programs/")


def test_the_feed_keeps_the_newest_entries_only(client):
    # An edition far larger than the handbook's: the feed does not grow with it.
    template = Program.objects.order_by("pk").first()
    for number in range(feeds.MAX_ENTRIES):
        ProgramFactory(
            edition=template.edition,
            chapter=template.chapter,
            number=1000 + number,
            support_type=template.support_type,
            department=template.department,
        )
    feed = ET.fromstring(client.get("/feeds/programs.atom").content)
    assert len(feed.findall(f"{ATOM}entry")) == feeds.MAX_ENTRIES
