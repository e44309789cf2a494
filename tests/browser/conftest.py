"""Browser tests: the forum as `make run` serves it (``python -m forum.devserver``: demo data, a local
Meilisearch, the loopback mail sink listed at /dev/surat) in a folder of its own, driven by Debian's Chromium
through Playwright at a desktop and a phone size.

They run in a pytest process of their own (``make test-browser``): Playwright's sync API cannot share a thread
with the event loop the other tests run on. Every page a test opens is watched: a console error, an uncaught
script error or a Content-Security-Policy violation fails the test that caused it. Screenshots go to
``tests/browser/screenshots/`` (git-ignored), so anyone can look at what the tests saw.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "sinergi-demo-2026"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium; "
                    ".ci/run does) or set CHROMIUM_PATH. Playwright never downloads a browser here.")  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    folder: Path
    log: Path


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    folder = Path(tempfile.mkdtemp(prefix="sinergi-browser-"))
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TEST_DATABASE_URL", "MEILI_URL", "MEILI_KEY", "REDIS_URL", "SMTP_HOST"}
    }
    env.update(
        {
            "SINERGI_ENV": "development",
            "SINERGI_DATA_DIR": str(folder),
            "SQLITE_PATH": str(folder / "sinergi.sqlite3"),
            "PORT": str(port),
            "SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
            "POST_MIN_INTERVAL_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    for command in ("migrate", "seed-demo"):
        subprocess.run([sys.executable, "-m", "forum.cli", command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    log = folder / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "forum.devserver"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the forum did not start:\n{log.read_text(errors='replace')[-4000:]}")
            time.sleep(0.3)
        yield LiveServer(url, folder, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Debian's Chromium, by path: a browser download fails here. Root needs --no-sandbox.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], live_server: LiveServer, size: str) -> dict[str, Any]:
    return {**browser_context_args, "base_url": live_server.url, "viewport": SIZES[size], "locale": "id-ID",
            "timezone_id": "Asia/Jakarta"}  # fmt: skip


@dataclass
class Problems:
    """What the browser complained about on the pages a test opened."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def csp_violations(self) -> list[str]:
        return [message for message in self.console_errors if "Content Security Policy" in message]

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors


def watch(page: Any) -> Problems:
    """Collects the console errors, uncaught errors and CSP violations of ``page`` from now on."""
    seen = Problems()
    # Chromium logs most violations to the console, but not all of them (a style attribute set by a script is
    # one it may not): the page's own securitypolicyviolation event catches each.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy violation: ' + e.violatedDirective + ' '"
        " + (e.blockedURI || '') + ' ' + (e.sample || '')); });"
    )
    page.on("console", lambda message: message.type == "error" and seen.console_errors.append(message.text))
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    return seen


@pytest.fixture
def problems(page: Any) -> Iterator[Problems]:
    """What the browser reported on the test's page; the test fails on any of it."""
    seen = watch(page)
    yield seen
    assert seen.all() == [], f"the browser reported: {seen.all()}"


def shoot(page: Any, name: str, size: str) -> Path:
    """A full-page screenshot in tests/browser/screenshots/<size>/<name>.png."""
    path = SCREENSHOTS / size / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/masuk")
    page.fill("#field-email", email)
    page.fill("#field-password", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/masuk" not in page.url, f"signing in as {email} failed"


AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core, pinned in tests/browser/axe/package.json and installed by ``npm ci`` on first use."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed for axe-core (the accessibility checks); install Node.js and npm")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=AXE_DIR, check=True,
                       timeout=300)  # fmt: skip
    return AXE_SCRIPT.read_text()


def serious_accessibility_problems(page: Any, axe_source: str) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now. The script is evaluated through the
    DevTools protocol, which the page's Content-Security-Policy does not govern (a <script> tag would be refused)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(f"(() => {{ {axe_source}\n; return true; }})()")
        page.evaluate("typeof window.axe !== 'undefined'") or pytest.fail("axe-core did not load")
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
