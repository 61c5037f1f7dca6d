"""Staff's whole Excel round trip in a real browser: export the programs as a workbook, edit one
cell (with openpyxl, as Excel would save it), import it, see exactly that one change with the
changed characters marked, confirm (the button says 処理中…), and find it on the public page."""

import time
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By

from programs.models import Program

from .helpers import TIMEOUT, click, page_change

pytestmark = pytest.mark.browser

CODE = "hands-on-it"


def download(driver, folder: Path, pattern: str) -> Path:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no {pattern} was downloaded into {folder}")


def test_export_xlsx_edit_one_cell_import_confirm_public_page(site, driver, tmp_path):
    User.objects.create_superuser("chief", "chief@example.jp", "correct-horse-battery")
    driver.get(site + "/admin/login/")
    driver.find_element(By.NAME, "username").send_keys("chief")
    driver.find_element(By.NAME, "password").send_keys("correct-horse-battery")
    click(driver, By.CSS_SELECTOR, "input[type=submit]")
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )

    # Export: the workbook is the recommended (pre-selected) format.
    driver.get(site + "/admin/programs/program/export/")
    xlsx_choice = driver.find_element(By.CSS_SELECTOR, "input[name=format][value=xlsx]")
    assert xlsx_choice.is_selected()
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()  # a download, no new page
    workbook_path = download(driver, tmp_path, "program-*.xlsx")

    # Edit one cell, as staff would in Excel.
    book = openpyxl.load_workbook(workbook_path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    code_column = header.index("事業コード")
    tagline_column = header.index("キャッチコピー")
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[code_column].value == CODE]
    old_tagline = row[tagline_column].value
    new_tagline = old_tagline + "（令和6年度拡充）"
    row[tagline_column].value = new_tagline
    edited = tmp_path / "programs-edited.xlsx"
    book.save(edited)

    # Import: the preview lists exactly that one change, the added characters marked.
    driver.get(site + "/admin/programs/program/import/")
    driver.find_element(By.NAME, "file").send_keys(str(edited))
    click(driver, By.CSS_SELECTOR, "form.busy-on-submit input[type=submit]")
    assert "変更 1件" in driver.find_element(By.CSS_SELECTOR, ".import-counts").text
    assert "変更なし 73件" in driver.find_element(By.CSS_SELECTOR, ".import-counts").text
    changed = driver.find_elements(By.CSS_SELECTOR, "table.import-rows tbody tr")
    assert len(changed) == 1
    assert driver.find_element(By.CSS_SELECTOR, ".import-changes dt").text == "キャッチコピー"
    assert [e.text for e in changed[0].find_elements(By.TAG_NAME, "ins")] == ["（令和6年度拡充）"]
    assert changed[0].find_elements(By.TAG_NAME, "del") == []

    # Confirm: the button is disabled and says 処理中… while the server works.
    with page_change(driver):
        state = driver.execute_script(
            """
            const form = document.querySelector("form.busy-on-submit");
            const button = form.querySelector("input[type=submit]");
            form.requestSubmit(button);
            return [button.disabled, button.value];
            """
        )
    assert state == [True, "処理中…"]
    assert "取り込みました" in driver.find_element(By.CSS_SELECTOR, ".messagelist").text
    assert Program.objects.get(code=CODE).tagline == new_tagline

    driver.get(f"{site}/programs/{CODE}/")
    assert new_tagline in driver.find_element(By.TAG_NAME, "main").text
