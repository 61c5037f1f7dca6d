"""Issue 13 in headless Chromium: the 対象/地域 filters, snippet marks and the any-word
fallback, the at-a-glance box at 320px, the local partner first on a prefecture page, the
open-data page — with links and forms only, and axe-core on each new page type."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .helpers import (
    WIDTHS,
    assert_fits,
    click,
    page_change,
    path_and_query,
    set_width,
)

pytestmark = pytest.mark.browser


def count(driver):
    return driver.find_element(By.CSS_SELECTOR, ".result-count").text


@pytest.mark.parametrize("width", WIDTHS)
def test_filter_by_audience_and_area(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/programs/")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=audience-school]").text
    assert "学校・教育機関" in label and "3件" in label
    click(driver, By.CSS_SELECTOR, "label[for=audience-school]")
    click(driver, By.XPATH, "//button[normalize-space()='この条件で表示']")
    assert path_and_query(driver) == ("/programs/", [("audience", "school")])
    assert count(driver) == "3"
    # Two are for schools and supporters only; the satellite seminars also take businesses.
    badges = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".badge--not-business")]
    assert badges == ["事業者向けではありません"] * 2
    assert len(driver.find_elements(By.CSS_SELECTOR, ".badge--business")) == 1
    assert_fits(driver)
    # 地域限定 instead: the Fukushima, Kumamoto … programs, each with its area badge.
    click(driver, By.PARTIAL_LINK_TEXT, "対象：学校・教育機関")
    click(driver, By.CSS_SELECTOR, "label[for=area-local]")
    click(driver, By.XPATH, "//button[normalize-space()='この条件で表示']")
    assert path_and_query(driver) == ("/programs/", [("area", "local")])
    assert count(driver) == "9"
    areas = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".badge--area")]
    assert "地域限定：熊本県" in areas
    assert_fits(driver)


@pytest.mark.parametrize("width", WIDTHS)
def test_search_marks_words_and_falls_back(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/programs/")
    box = driver.find_element(By.ID, "id_q")
    box.send_keys("岡山　補助金")
    with page_change(driver):
        box.send_keys(Keys.ENTER)
    note = driver.find_element(By.CSS_SELECTOR, ".notice--highlight").text
    assert "すべてのキーワードを含む支援施策はありませんでした" in note
    titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".program-card__title a")]
    top5 = " ".join(titles[:5])
    assert "ものづくり補助金" in top5 and "IT 導入補助金" in top5 and "持続化補助金" in top5
    marks = driver.find_elements(By.CSS_SELECTOR, ".program-card__snippet mark")
    assert marks and all(m.text == "補助金" for m in marks[:3])
    assert marks[0].value_of_css_property("background-color") != "rgba(0, 0, 0, 0)"
    assert_fits(driver)
    # A typo: 「もしかして」 leads to the right word.
    driver.get(site + "/programs/?q=%E3%82%82%E3%81%AE%E3%81%A5%E3%81%8F%E3%81%84")
    assert count(driver) == "0"
    click(driver, By.LINK_TEXT, "ものづくり")
    assert path_and_query(driver) == ("/programs/", [("q", "ものづくり")])
    assert int(count(driver)) >= 2


def test_glance_box_on_a_phone(site, driver):
    set_width(driver, 320, height=640)
    driver.get(site + "/programs/it-introduction-subsidy/")
    box = driver.find_element(By.CSS_SELECTOR, ".glance")
    assert box.is_displayed()
    # Within the first two screens of a 640px-high phone, before the program's details.
    assert box.rect["y"] < 2 * 640
    assert box.rect["x"] >= 0 and box.rect["x"] + box.rect["width"] <= 320
    tel = driver.find_element(By.CSS_SELECTOR, ".glance__tel")
    assert tel.get_attribute("href") == "tel:0570666376"
    assert tel.rect["height"] >= 44  # a thumb-sized target
    assert "公式サイト" in box.text and "申請の受付期間" in box.text
    assert "補助金・助成金" in box.text and "中小企業・小規模事業者" in box.text
    assert_fits(driver)


@pytest.mark.parametrize("width", WIDTHS)
def test_nearby_contacts_put_the_local_center_first(site, driver, width):
    set_width(driver, width)
    driver.get(site + "/programs/business-succession-national-hq/")
    select = driver.find_element(By.ID, "nearby-prefecture")
    select.send_keys("岡山県")
    click(driver, By.XPATH, "//button[normalize-space()='相談先を表示']")
    assert path_and_query(driver) == (
        "/prefectures/33/",
        [("program", "business-succession-national-hq")],
    )
    steps = driver.find_elements(By.CSS_SELECTOR, ".contact-step")
    assert "岡山県事業承継・引継ぎ支援センター" in steps[0].text
    assert "086-286-9708" in steps[0].text
    assert "03-5470-1595" in steps[-1].text
    yorozu = driver.find_element(By.ID, "yorozu-title").text
    assert "よろず支援拠点" in yorozu
    assert_fits(driver)


def test_open_data_page(site, driver):
    driver.get(site + "/")
    click(driver, By.PARTIAL_LINK_TEXT, "オープンデータ")
    assert path_and_query(driver) == ("/open-data/", [])
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "公共データ利用規約（第1.0版）" in text and "CC BY 4.0" in text
    assert "2024年6月1日" in text
    assert "audience" in text and "partners.csv" in text
