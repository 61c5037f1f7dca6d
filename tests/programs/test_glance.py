"""The program page at a glance (issue 13): near the top, the kind of support, for whom, where,
amount/fee, a tap-to-call phone, the official site and the application-window note."""

import pytest

from tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]


def glance(html):
    return html.split('<section class="glance"')[1].split("</section>")[0]


def test_glance_box_comes_before_the_details(client):
    html = body(client.get("/programs/it-introduction-subsidy/"))
    box = glance(html)
    assert html.index('class="glance"') < html.index('id="target-title"')
    assert "<dd>補助金・助成金</dd>" in box
    assert "中小企業・小規模事業者" in box and "<dd>全国</dd>" in box
    # P82: 0570-666-376 first, IP電話用 second (the first non-fax number, tap to call)
    assert 'href="tel:0570666376">0570-666-376</a>' in box
    assert 'href="https://it-shien.smrj.go.jp/"' in box
    assert "申請の受付期間" in box and "公式サイト" in box


def test_glance_fee_and_warning(client):
    box = glance(body(client.get("/programs/temporary-facility-utilization-grant/")))
    assert "事業者向けではありません" in box
    assert "警戒区域等が設定された福島県内の以下の12市町村" in box
    box = glance(body(client.get("/programs/hands-on-general/")))
    assert "<dt>金額・費用</dt>" in box
    assert "事業者向けではありません" not in box


def test_no_phone_no_phone_row(client):
    # 事業再構築補助金: its お問合せ先 is a web page only (L4970-4972).
    box = glance(body(client.get("/programs/business-restructuring-subsidy/")))
    assert "<dt>電話</dt>" not in box
