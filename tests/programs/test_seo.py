"""HTTP and search engines (issue 13): canonical links everywhere, noindex on ?q= and
?program= variants, JSON-LD, OGP, sitemap lastmod and vocabulary pages, titles, scope note."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

PAGES = [
    "/",
    "/programs/",
    "/programs/?chapter=5",
    "/programs/it-introduction-subsidy/",
    "/2024/programs/",
    "/index/",
    "/offices/",
    "/offices/chugoku/",
    "/prefectures/",
    "/prefectures/33/",
    "/open-data/",
]


def canonical(html):
    found = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    assert len(found) == 1, found
    return found[0]


def ld_blocks(html):
    return [
        json.loads(m)
        for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_one_canonical_link_and_ogp(client, url):
    html = body(client.get(url))
    assert canonical(html).startswith("http://testserver/")
    assert '<meta property="og:title"' in html
    assert '<meta property="og:url" content="http://testserver/' in html
    assert 'name="robots"' not in html
    assert '<meta name="description" content="' in html


def test_canonical_addresses(client):
    assert canonical(body(client.get("/programs/?chapter=5"))) == (
        "http://testserver/programs/?chapter=5"
    )
    assert canonical(body(client.get("/2024/programs/"))) == "http://testserver/programs/"
    assert canonical(body(client.get("/2024/programs/hands-on-it/"))) == (
        "http://testserver/programs/hands-on-it/"
    )
    assert canonical(body(client.get("/prefectures/33/?program=hands-on-it"))) == (
        "http://testserver/prefectures/33/"
    )


def test_tracking_parameters_are_never_in_a_canonical_address(client, django_user_model):
    # Anonymous visitors' requests lose them before the page is made (core.page_cache); staff
    # requests keep them, and the canonical address still leaves them out.
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    html = body(client.get("/programs/?chapter=5&utm_source=mail&fbclid=x"))
    assert canonical(html) == "http://testserver/programs/?chapter=5"


@pytest.mark.parametrize(
    "url", ["/programs/?q=%E8%A3%9C%E5%8A%A9%E9%87%91", "/prefectures/33/?program=hands-on-it"]
)
def test_search_and_program_variants_are_not_indexed(client, url):
    html = body(client.get(url))
    assert '<meta name="robots" content="noindex, follow">' in html


def test_program_page_json_ld(client):
    html = body(client.get("/programs/it-introduction-subsidy/"))
    blocks = {b["@type"]: b for b in ld_blocks(html)}
    service = blocks["GovernmentService"]
    assert service["name"].startswith("IT 導入補助金")
    assert service["serviceType"] == "補助金・助成金"
    assert service["provider"]["alternateName"] == "中小機構"
    assert service["areaServed"] == {"@type": "Country", "name": "日本"}
    assert service["availableChannel"]["servicePhone"]["telephone"] == "0570-666-376"
    crumbs = blocks["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs][:2] == ["ホーム", "支援施策をさがす"]
    assert crumbs[-1]["item"] == "http://testserver/programs/it-introduction-subsidy/"
    assert '<meta property="og:type" content="article">' in html


def test_json_ld_cannot_close_its_script(client):
    from programs.models import Program

    program = Program.objects.get(code="hands-on-it")
    program.tagline = "</script><script>alert(1)</script>"
    program.save()
    html = body(client.get("/programs/hands-on-it/"))
    assert "</script><script>alert(1)" not in html
    assert ld_blocks(html)[0]["description"] == "</script><script>alert(1)</script>"


def test_home_title_and_scope_note(client):
    html = body(client.get("/"))
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "ホーム" not in title and "支援施策をさがす" in title
    assert 'href="https://j-net21.smrj.go.jp/"' in html
    assert 'href="https://mirasapo-plus.go.jp/"' in html
    assert 'href="https://www.jgrants-portal.go.jp/"' in html


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lastmod_and_vocabulary_pages(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    urls = {
        u.find(f"{SITEMAP}loc").text: getattr(u.find(f"{SITEMAP}lastmod"), "text", None)
        for u in root.findall(f"{SITEMAP}url")
    }
    assert urls["http://testserver/programs/it-introduction-subsidy/"] == "2024-06-01"
    assert urls["http://testserver/programs/?chapter=5"] == "2024-06-01"
    assert urls["http://testserver/programs/?support_type=1"] == "2024-06-01"
    assert "http://testserver/open-data/" in urls
