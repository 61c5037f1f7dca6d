"""Real-browser tests: Debian's headless Chromium driven by Selenium against pytest-django's
live_server, with axe-core (from node_modules, injected from disk: no network) for accessibility.

The prerequisites are installed by `python3 dev.py test` (apt-get chromium chromium-driver, npm
ci). When one is missing the tests fail with a message saying how to install it; they are never
skipped."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.test.utils import override_settings

from .helpers import AXE, set_width

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# Selenium must use the Debian driver and browser, never download one.
os.environ.setdefault("SE_OFFLINE", "true")

pytestmark = pytest.mark.browser


def require_prerequisites():
    missing = []
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        missing.append(
            f"{CHROMIUM} / {CHROMEDRIVER} がありません。"
            "`apt-get install chromium chromium-driver` でインストールしてください"
            "（root で `python3 dev.py test` を実行すると自動でインストールします）。"
        )
    if not AXE.exists():
        missing.append(
            f"{AXE} がありません。リポジトリのフォルダーで `npm ci` を実行してください"
            "（`python3 dev.py test` は npm があれば自動で実行します）。"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append(
            "selenium がありません。`python3 dev.py test` で依存パッケージを入れてください。"
        )
    if missing:
        pytest.fail("ブラウザテストの準備ができていません:\n" + "\n".join(missing), pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def _live_server_speaks_plain_http():
    """The live server loads its middleware once, when it starts (before function-scoped
    settings apply): it serves plain HTTP, so the HTTPS redirect is off for its lifetime."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def driver():
    require_prerequisites()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="smrj-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=ja-JP",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    # The console log shows Content-Security-Policy violations (tests/browser/test_admin_csp.py).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_script_timeout(60)
    browser.implicitly_wait(0)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def site(live_server, driver, handbook):
    """The live server with the real handbook (committed: live_server makes the test
    transactional, so the server thread sees it), and a browser 1280px wide."""
    set_width(driver, 1280)
    return live_server.url
