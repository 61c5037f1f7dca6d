"""The admin and the CSV import screens in a real browser, under the production
Content-Security-Policy: logging in through the form, the program change page with its
JavaScript widgets (autocomplete, collapsible sections), the change list's actions and the import
form — with no CSP violation in the browser's console."""

import pytest
from django.contrib.auth.models import User
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from programs.models import Program

from .helpers import click, path_and_query

pytestmark = pytest.mark.browser


def csp_violations(driver):
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
        or "Content-Security-Policy" in entry["message"]
    ]


def test_admin_works_under_the_content_security_policy(site, driver):
    User.objects.create_superuser("chief", "chief@example.jp", "correct-horse-battery")
    driver.get_log("browser")  # start from an empty console
    driver.get(site + "/admin/login/")
    driver.find_element(By.NAME, "username").send_keys("chief")
    driver.find_element(By.NAME, "password").send_keys("correct-horse-battery")
    click(driver, By.CSS_SELECTOR, "input[type=submit]")
    assert path_and_query(driver) == ("/admin/", [])
    wait = WebDriverWait(driver, 15)

    program = Program.objects.get(code="hands-on-it")
    driver.get(f"{site}/admin/programs/program/{program.pk}/change/")
    # select2 (autocomplete_fields) runs only if the admin's script files were allowed
    wait.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".select2-container"),
        "the autocomplete widgets were not initialised",
    )
    assert driver.find_element(By.NAME, "name").get_attribute("value") == program.name

    driver.get(f"{site}/admin/programs/program/")
    # actions.js: ticking a row updates the "n of m selected" counter
    driver.find_element(By.CSS_SELECTOR, "input.action-select").click()
    wait.until(
        lambda d: "1" in d.find_element(By.CSS_SELECTOR, ".action-counter").text,
        "the change list's action script did not run",
    )

    driver.get(f"{site}/admin/contacts/section/import/")
    assert driver.find_element(By.NAME, "file").get_attribute("type") == "file"
    assert csp_violations(driver) == []
