"""Who a program is for and where (issue 13): list filters with counts, badges, the prefecture
page's local partner first, よろず支援拠点 on every prefecture page, 「お近くの相談先」."""

import re

import pytest

from contacts.models import Prefecture
from programs.models import Program
from tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]


def option_count(html, name, value):
    match = re.search(
        rf'name="{name}" value="{re.escape(value)}"[^>]*>.*?<span class="option-count">(\d+)件',
        html,
        re.S,
    )
    return int(match[1])


def names(response):
    return [p.name for p in response.context["paginator"].object_list]


def test_audience_filter_with_counts(client):
    response = client.get("/programs/")
    html = body(response)
    # 対象: 中小企業・小規模事業者 58, 学校・教育機関 3 (fixtures/README.md §5)
    assert option_count(html, "audience", "sme") == 58
    assert option_count(html, "audience", "school") == 3
    assert option_count(html, "area", "national") == 65
    assert option_count(html, "area", "local") == 9
    schools = client.get("/programs/?audience=school")
    assert schools.context["paginator"].count == 3
    assert "起業家教育プログラム実施支援" in names(schools)
    # Several audiences: any of them.
    both = client.get("/programs/?audience=sme&audience=startup")
    assert both.context["paginator"].count == 63


def test_counts_follow_the_other_filters(client):
    html = body(client.get("/programs/?chapter=5&support_type=1"))
    # 第5章 × 補助金・助成金: 9 programs, of which the two 仮設施設 grants serve municipalities.
    assert option_count(html, "audience", "sme") == 7
    assert option_count(html, "audience", "local-government") == 3
    assert option_count(html, "area", "local") == 3


def test_area_filter(client):
    response = client.get("/programs/?area=local")
    assert response.context["paginator"].count == 9
    assert {p.code for p in response.context["paginator"].object_list} >= {
        "nariwai-reconstruction-interest-subsidy",
        "businest",
        "international-exchange",
    }
    national = client.get("/programs/?chapter=5&support_type=1&area=national")
    assert national.context["paginator"].count == 6


def test_cards_tell_business_programs_apart(client):
    html = body(client.get("/programs/?chapter=5&support_type=1"))
    cards = html.split('<li class="program-card">')[1:]
    assert len(cards) == 9
    first = cards[0]  # the handbook's first: 仮設施設の有効活用 (12 Fukushima municipalities)
    assert "事業者向けではありません" in first
    assert "対象：地方公共団体" in first
    assert "地域限定：警戒区域等が設定された福島県内の以下の12市町村" in first
    monozukuri = next(c for c in cards if "ものづくり補助金" in c)
    assert "事業者向け</span>" in monozukuri and "地域限定" not in monozukuri


def test_invalid_audience_shows_the_error_not_everything(client):
    response = client.get("/programs/?audience=nobody")
    assert response.context["filter"].errors


# --- prefecture pages ------------------------------------------------------------------------


def test_okayama_succession_center_first_then_the_national_desk(client):
    program = Program.objects.get(code="business-succession-national-hq")
    assert program.partner_kind == "事業承継・引継ぎ支援センター"
    html = body(client.get(f"/prefectures/33/?program={program.code}"))
    box = html.split('id="program-desks-title"')[1].split("</section>")[0]
    local = box.index("岡山県事業承継・引継ぎ支援センター")
    assert box.index('href="tel:0862869708">086-286-9708</a>') > local
    assert box.index("086-286-9708") < box.index("03-5470-1595")  # the national desk second
    # The box comes before the rest of the page.
    assert html.index('id="program-desks-title"') < html.index('id="office-title"')


def test_council_label_picks_the_right_number(client):
    # 経営改善計画策定支援事業 → 協議会 （経） only (legend L5976).
    html = body(client.get("/prefectures/33/?program=management-improvement-plan-support"))
    box = html.split('id="program-desks-title"')[1].split("</section>")[0]
    assert "岡山県中小企業活性化協議会" in box
    assert "086-286-9682" not in box  # （全）
    assert 'href="tel:0862869704">086-286-9704</a>' in box


def test_no_partner_kind_no_local_body(client):
    html = body(client.get("/prefectures/33/?program=hands-on-it"))
    box = html.split('id="program-desks-title"')[1].split("</section>")[0]
    assert "支援センター" not in box and "事業全体のお問合せ先" in box


@pytest.mark.parametrize("code", ["01", "13", "33", "47"])
def test_every_prefecture_suggests_yorozu(client, code):
    prefecture = Prefecture.objects.get(code=code)
    html = body(client.get(f"/prefectures/{code}/"))
    box = html.split('id="yorozu-title"')[1].split("</section>")[0]
    assert "無料" in box
    assert f"{prefecture.name}よろず支援拠点" in box


def test_prefecture_lists_programs_usable_there(client):
    fukushima = client.get("/prefectures/07/").context
    local = {p.code for p in fukushima["local_programs"]}
    assert local == {
        "temporary-facility-utilization-grant",
        "reconstruction-support-advisor",
        "fukushima-nuclear-disaster-itinerant-consultants",
        "tohoku-corporate-strengthening-planned-management",  # 東北本部 (its 管轄)
    }
    assert fukushima["nationwide_count"] == 65
    kumamoto = {p.code for p in client.get("/prefectures/43/").context["local_programs"]}
    assert kumamoto == {"nariwai-reconstruction-interest-subsidy"}
    assert client.get("/prefectures/33/").context["local_programs"] == []
    html = body(client.get("/prefectures/33/"))
    assert "全国で利用できる" in html and "?area=national" in html


def test_program_page_offers_nearby_contacts(client):
    html = body(client.get("/programs/business-succession-national-hq/"))
    form = html.split('class="nearby-form"')[1].split("</form>")[0]
    assert form.startswith(' method="get" action="/prefectures/"')
    assert 'name="program" value="business-succession-national-hq"' in form
    assert '<option value="33">岡山県</option>' in form
    response = client.get("/prefectures/?prefecture=33&program=business-succession-national-hq")
    assert response.status_code == 302
    assert response["Location"] == "/prefectures/33/?program=business-succession-national-hq"
