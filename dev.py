#!/usr/bin/env python3
"""One entry point for developers, CI and the README's two commands.

    python3 dev.py run    set up a virtualenv, create the SQLite database, load the 2024
                          handbook, create a development login and start the portal
    python3 dev.py test   set up the virtualenv and the browser-test prerequisites (Debian's
                          chromium and chromium-driver, axe-core from npm) and run the whole
                          test suite (extra arguments go to pytest)
    python3 dev.py lock   rewrite requirements.lock from the current virtualenv

Only the Python standard library is used here, so it runs on a machine with nothing installed.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".requirements.sha256"

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

DEV_USER = "admin"
DEV_PASSWORD = "smrj-dev-2024"


def step(message):
    print(f"\n==> {message}", flush=True)


def run(*args, env=None):
    subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=True)


def ensure_venv():
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain itself on old Pythons
        sys.exit("Python 3.11 以上が必要です。")
    if not PYTHON.exists():
        step("仮想環境 .venv を作成しています")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        step("依存パッケージをインストールしています（requirements.lock）")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCK)
        STAMP.write_text(digest)


def manage(*args, env):
    run(PYTHON, "manage.py", *args, env=env)


def cmd_run(argv):
    ensure_venv()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "smrj_portal.settings.dev"}
    addr = argv[0] if argv else "127.0.0.1:8000"
    step("データベースを準備しています")
    manage("migrate", "--noinput", "-v", "0", env=env)
    step("令和6年度版ハンドブックのデータを読み込んでいます")
    manage("load_handbook", "--if-empty", env=env)
    manage("setup_roles", env=env)
    manage("create_dev_user", DEV_USER, DEV_PASSWORD, env=env)
    base = f"http://{addr}"
    print(
        f"\n  公開サイト : {base}/\n"
        f"  管理サイト : {base}/admin/  （開発用ログイン {DEV_USER} / {DEV_PASSWORD}）\n"
        "  停止するには Ctrl+C\n",
        flush=True,
    )
    manage("runserver", addr, env=env)


def ensure_browser_prerequisites():
    """The browser tests need Debian's headless Chromium with its driver, and axe-core from npm.
    Install what is missing when we can; otherwise those tests fail and say what to install."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if shutil.which("apt-get") and is_root:
            step(
                "ブラウザテスト用に chromium と chromium-driver をインストールしています（apt-get）"
            )
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            run("apt-get", "update", "-qq", env=env)
            run(
                "apt-get", "install", "-y", "-qq", "--no-install-recommends",
                "chromium", "chromium-driver", env=env,
            )  # fmt: skip
        else:
            print(
                f"注意：{CHROMIUM} または {CHROMEDRIVER} がありません。ブラウザテストは失敗します"
                "（root で apt-get install chromium chromium-driver を実行してください）。",
                flush=True,
            )
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm:
            step("axe-core をインストールしています（npm）")
            lock = ROOT / "package-lock.json"
            run(npm, "ci" if lock.exists() else "install", "--no-audit", "--no-fund")
        else:
            print(
                f"注意：{AXE} がなく npm も見つかりません。ブラウザテストは失敗します"
                "（Node.js と npm を入れて npm ci を実行してください）。",
                flush=True,
            )


def cmd_test(argv):
    ensure_venv()
    ensure_browser_prerequisites()
    # pytest always loads smrj_portal.settings.test (pyproject.toml passes --ds): the shell's
    # DEBUG, SECRET_KEY or DJANGO_SETTINGS_MODULE change nothing; DATABASE_URL picks the database.
    env = dict(os.environ)
    db = env.get("DATABASE_URL", "sqlite (default)")
    step(f"テストを実行しています（DATABASE_URL={db}）")
    result = subprocess.run([str(PYTHON), "-m", "pytest", *argv], cwd=ROOT, env=env)
    sys.exit(result.returncode)


def cmd_lock(argv):
    ensure_venv()
    frozen = subprocess.run(
        [str(PYTHON), "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    LOCK.write_text(
        "# Exact versions for reproducible installs. Regenerate: python3 dev.py lock\n" + frozen
    )
    print(f"{LOCK.name} を更新しました。")


COMMANDS = {"run": cmd_run, "test": cmd_test, "lock": cmd_lock}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
