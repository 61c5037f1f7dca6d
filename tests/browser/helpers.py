"""Helpers for the browser tests. None of them holds an element handle across a navigation: a
page change is detected by a marker set on the old document (gone once a new document has
loaded), never by asking an element of the old page whether it is stale — chromedriver answers
that with a generic error ("Node with given id does not belong to the document") while the
next page is loading."""

import json
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = [1280, 320]
TIMEOUT = 15

_NEW_DOCUMENT = """
    return document.readyState === 'complete'
        && document.documentElement.dataset.testDocument !== arguments[0];
"""


@contextmanager
def page_change(driver):
    """Wait, after the block, until a new document has replaced the current one and loaded."""
    token = uuid.uuid4().hex
    driver.execute_script("document.documentElement.dataset.testDocument = arguments[0]", token)
    yield
    # While the old document unloads, a script may fail in any way chromedriver chooses.
    wait = WebDriverWait(driver, TIMEOUT, ignored_exceptions=(WebDriverException,))
    wait.until(lambda d: d.execute_script(_NEW_DOCUMENT, token), "the next page did not load")


def click(driver, by, value):
    """Find an element, click it like a person (scrolled into view); when it follows a link or
    submits a form, wait until the next page has loaded."""
    element = driver.find_element(by, value)
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    navigates = element.tag_name == "a" or element.get_attribute("type") == "submit"
    if not navigates:
        element.click()
        return
    with page_change(driver):
        element.click()


def text_of(driver, by, value):
    """The element's text; fails (NoSuchElementException) when it is not on the page."""
    return driver.find_element(by, value).text


def path_and_query(driver):
    parts = urlsplit(driver.current_url)
    return parts.path, parse_qsl(parts.query)


def set_width(driver, width, height=900):
    """Make the viewport exactly `width` CSS pixels wide (a phone is 320)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def assert_fits(driver):
    """Nothing sticks out sideways: no horizontal scrolling at this width."""
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{driver.current_url} scrolls sideways by {overflow}px"


def axe_violations(driver):
    """Run axe-core on the current page; return its violations of WCAG 2.1 A/AA."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},
                           resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)}))))
          .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
        """,
        AXE_TAGS,
    )


def format_violations(violations):
    return json.dumps(violations, ensure_ascii=False, indent=1)


def assert_pages_accessible(driver, base, pages):
    """Each page has a non-empty main heading, fits the window and has no axe-core violations
    (all reported together, so one run shows every page that needs work)."""
    failures = {}
    for name, path in pages.items():
        driver.get(base + path)
        heading = text_of(driver, By.TAG_NAME, "h1")
        assert heading.strip(), f"{name}: the page's h1 is empty"
        violations = axe_violations(driver)
        if violations:
            failures[f"{name} {path}"] = violations
        assert_fits(driver)
    assert not failures, "axe-core violations:\n" + format_violations(failures)
