"""The issue's "Done when" walked through in headless Chromium, on a desktop and a 320px phone
screen, using only links and forms (the pages have no JavaScript); and axe-core on every page
type."""

from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from .helpers import (
    WIDTHS,
    assert_fits,
    assert_pages_accessible,
    click,
    page_change,
    path_and_query,
    set_width,
)

pytestmark = pytest.mark.browser


def result_titles(driver):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".program-card__title a")]


@pytest.mark.parametrize("width", WIDTHS)
def test_filter_by_chapter_and_support_type(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/")
    click(driver, By.LINK_TEXT, "支援施策をさがす")
    assert driver.find_element(By.CSS_SELECTOR, ".result-count").text == "74"
    click(driver, By.CSS_SELECTOR, "label[for=chapter-5]")
    click(driver, By.CSS_SELECTOR, "label[for=support-type-1]")
    click(driver, By.XPATH, "//button[normalize-space()='この条件で表示']")
    # The clean URL, the count and the nine programs.
    assert path_and_query(driver) == ("/programs/", [("chapter", "5"), ("support_type", "1")])
    assert driver.find_element(By.CSS_SELECTOR, ".result-count").text == "9"
    titles = result_titles(driver)
    assert len(titles) == 9
    assert "IT 導入補助金（サービス等生産性向上 IT導入支援事業）" in titles
    assert driver.find_element(By.ID, "chapter-5").is_selected()
    assert driver.find_element(By.ID, "support-type-1").is_selected()
    assert_fits(driver)
    # Removing one condition keeps the other.
    click(driver, By.PARTIAL_LINK_TEXT, "補助金・助成金")
    assert path_and_query(driver) == ("/programs/", [("chapter", "5")])
    assert driver.find_element(By.CSS_SELECTOR, ".result-count").text == "18"


@pytest.mark.parametrize("width", WIDTHS)
def test_search_in_japanese_and_open_the_program(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/")
    box = driver.find_element(By.ID, "home-q")
    box.send_keys("ＩＴ導入")
    with page_change(driver):
        box.send_keys(Keys.ENTER)
    assert path_and_query(driver) == ("/programs/", [("q", "ＩＴ導入")])
    assert driver.find_element(By.ID, "id_q").get_attribute("value") == "ＩＴ導入"
    click(driver, By.PARTIAL_LINK_TEXT, "IT 導入補助金")
    assert urlsplit(driver.current_url).path == "/programs/it-introduction-subsidy/"
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("IT 導入補助金")
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "main h2")]
    for heading in ("対象者", "事業のポイント", "お問合せ先", "第5章のほかの支援施策"):
        assert heading in headings
    contact = driver.find_element(By.ID, "contact")
    assert contact.find_elements(By.CSS_SELECTOR, "a[href^='tel:']") or "http" in contact.text
    assert "令和6年度版 P.82" in driver.find_element(By.CSS_SELECTOR, ".meta").text
    assert_fits(driver)
    # The chapter badge leads to the chapter's list.
    click(driver, By.CSS_SELECTOR, "a.badge--chapter")
    assert path_and_query(driver) == ("/programs/", [("chapter", "5")])


@pytest.mark.parametrize("width", WIDTHS)
def test_paginate_keeping_the_filter(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/programs/?support_type=4")
    assert len(result_titles(driver)) == 20
    first_page = result_titles(driver)
    click(driver, By.CSS_SELECTOR, ".pagination a[rel=next]")
    assert path_and_query(driver) == ("/programs/", [("support_type", "4"), ("page", "2")])
    second_page = result_titles(driver)
    assert len(second_page) == 8 and not set(first_page) & set(second_page)
    assert "21～28件目を表示" in driver.find_element(By.CSS_SELECTOR, ".result-range").text
    click(driver, By.CSS_SELECTOR, ".pagination a[rel=prev]")
    assert path_and_query(driver) == ("/programs/", [("support_type", "4")])
    # Sorting by reading keeps the filter too.
    click(driver, By.LINK_TEXT, "五十音順")
    assert path_and_query(driver) == ("/programs/", [("support_type", "4"), ("sort", "kana")])
    assert_fits(driver)


@pytest.mark.parametrize("width", WIDTHS)
def test_prefecture_finder_for_okayama(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/")
    click(driver, By.LINK_TEXT, "都道府県の相談先")
    Select(driver.find_element(By.ID, "prefecture")).select_by_visible_text("岡山県")
    click(driver, By.XPATH, "//button[normalize-space()='相談先を表示']")
    assert urlsplit(driver.current_url).path == "/prefectures/33/"
    page = driver.find_element(By.TAG_NAME, "main").text
    for expected in (
        "岡山県の相談先",
        "中国本部",
        "082-502-6300",  # 中国本部 代表
        "082-502-6688",  # 地域・連携支援課
        "082-502-6555",  # 企業支援課
        "082-502-6311",  # 支援推進課
        "岡山県事業承継・引継ぎ支援センター",
        "086-286-9708",
        "岡山県中小企業活性化協議会",
        "086-286-9682",
        "086-286-9704",
        "（全）中小企業活性化全国本部事業",
        "（経）経営改善計画策定支援事業",
        "岡山県よろず支援拠点",
        "086-206-2180",
        "産業労働部　経営支援課",
        "086-226-7361",
        "広島校",
        "082-278-4955",
    ):
        assert expected in page, expected
    tel = driver.find_element(By.CSS_SELECTOR, "a[href='tel:0862869708']")
    assert tel.text == "086-286-9708"
    assert_fits(driver)


@pytest.mark.parametrize("width", WIDTHS)
def test_program_page_leads_to_its_desk_in_a_prefecture(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/programs/hands-on-it/")
    click(driver, By.LINK_TEXT, "都道府県から相談先をさがす")
    assert path_and_query(driver) == ("/prefectures/", [("program", "hands-on-it")])
    click(driver, By.LINK_TEXT, "岡山県")
    assert path_and_query(driver) == ("/prefectures/33/", [("program", "hands-on-it")])
    notice = driver.find_element(By.CSS_SELECTOR, ".notice--highlight").text
    assert "中国本部 企業支援課" in notice and "082-502-6555" in notice
    row = driver.find_element(By.CSS_SELECTOR, "tr.is-highlight")
    assert "企業支援課" in row.text and "この事業の担当" in row.text
    assert_fits(driver)


def test_skip_link_and_visible_focus(site, driver):
    driver.get(site + "/programs/")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = driver.switch_to.active_element
    assert skip.text == "本文へ移動"
    assert skip.rect["y"] >= 0, "the skip link is shown when focused"
    outline = driver.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth]", skip
    )
    assert outline[0] != "none" and outline[1] != "0px"
    skip.send_keys(Keys.ENTER)  # an in-page link: focus moves to <main tabindex="-1">
    assert driver.switch_to.active_element.get_attribute("id") == "main"


def test_print_stylesheet_hides_navigation(site, driver):
    driver.get(site + "/programs/hands-on-it/")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = driver.execute_script(
            "return ['.site-nav', '.toc', '.breadcrumbs'].map("
            "s => getComputedStyle(document.querySelector(s)).display)"
        )
        assert hidden == ["none", "none", "none"]
        assert driver.find_element(By.ID, "contact").is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


PAGE_TYPES = {
    "ホーム": "/",
    "一覧": "/programs/",
    "絞り込み": "/programs/?chapter=5&support_type=1",
    "検索（0件）": "/programs/?q=%E5%AE%87%E5%AE%99%E6%97%85%E8%A1%8C",
    "事業": "/programs/hands-on-it/",
    "事業（URLとメール）": "/programs/mutual-aid-small-enterprise/",
    "索引": "/index/",
    "地域本部一覧": "/offices/",
    "地域本部": "/offices/chugoku/",
    "都道府県の選択": "/prefectures/?program=hands-on-it",
    "都道府県": "/prefectures/33/?program=hands-on-it",
    "404": "/no/such/page/",
    # issue 13
    "絞り込み（対象・地域）": "/programs/?audience=sme&audience=startup&area=local",
    "検索（補助金・マーク）": "/programs/?q=%E8%A3%9C%E5%8A%A9%E9%87%91",
    "検索（いずれかの語）": "/programs/?q=%E5%B2%A1%E5%B1%B1+%E8%A3%9C%E5%8A%A9%E9%87%91",
    "検索（もしかして）": "/programs/?q=%E3%82%82%E3%81%AE%E3%81%A5%E3%81%8F%E3%81%84",
    "事業（あらまし）": "/programs/it-introduction-subsidy/",
    "事業（地域限定）": "/programs/temporary-facility-utilization-grant/",
    "都道府県（事業承継）": "/prefectures/33/?program=business-succession-national-hq",
    "都道府県（協議会）": "/prefectures/07/?program=management-improvement-plan-support",
    "オープンデータ": "/open-data/",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_has_no_axe_violations(site, driver, width):
    set_width(driver, width)
    assert_pages_accessible(driver, site, PAGE_TYPES)
