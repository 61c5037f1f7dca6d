"""The yearly edition's public pages in headless Chromium: after 2025 is published, a visitor
finds 「令和7年度版の主な変更点」 from the home page, follows a retired program to its last
(archived) version; and axe-core finds nothing on the new page types, at 1280px and 320px."""

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By

from tests.editions_data import NEW_NAME, REMOVED, REMOVED_NAME, next_year_csv

from .conftest import set_width
from .helpers import WIDTHS, assert_fits, assert_pages_accessible, click

pytestmark = pytest.mark.browser


@pytest.fixture
def published_2025(site, tmp_path):
    path = tmp_path / "programs-2025.csv"
    path.write_bytes(next_year_csv())
    call_command("start_edition", "2025", verbosity=0)
    call_command("import_csv", "programs.Program", str(path), "--edition", "2025", verbosity=0)
    call_command("publish_edition", "2025", verbosity=0)
    return site


@pytest.mark.parametrize("width", WIDTHS)
def test_from_the_changes_page_to_a_retired_programs_last_version(published_2025, driver, width):
    site = published_2025
    set_width(driver, width)
    driver.get(site + "/")
    click(driver, By.LINK_TEXT, "令和7年度版の主な変更点")
    assert driver.find_element(By.TAG_NAME, "h1").text == "令和7年度版の主な変更点"
    assert NEW_NAME in driver.find_element(By.ID, "changed").text
    click(driver, By.LINK_TEXT, REMOVED_NAME)
    assert driver.current_url == f"{site}/2024/programs/{REMOVED}/"
    notice = driver.find_element(By.CSS_SELECTOR, ".program .notice").text
    assert "令和6年度版をもって掲載を終了しました" in notice
    assert_fits(driver)


EDITION_PAGES = {
    "主な変更点": "/2025/changes/",
    "アーカイブの一覧": "/2024/programs/?chapter=1",
    "アーカイブの事業": "/2024/programs/hands-on-it/",
    "掲載終了（410）": f"/programs/{REMOVED}/",
}


@pytest.mark.parametrize("width", WIDTHS)
def test_edition_pages_have_no_axe_violations(published_2025, driver, width):
    set_width(driver, width)
    assert_pages_accessible(driver, published_2025, EDITION_PAGES)
