"""A real headless Chromium for the dashboard's tests, driven by Playwright.

Why Debian's Chromium: Playwright's own browser download (``playwright install``) cannot reach
its download host from our machines, but Debian's package registry can, so
``scripts/install-browser`` installs ``/usr/bin/chromium`` with apt and Playwright drives it
through ``executable_path``.

Use from a test module (fixtures imported into a module are picked up by pytest)::

    from tests.browser import chromium_fixture, page_fixture, save_artifact  # noqa: F401

    def test_overview(page): ...

Importing them as ``chromium, page`` works the same for pytest, but then ruff reports F811
(a test parameter redefines the import) on every test that takes ``page``; the ``*_fixture``
names are registered under the fixture names ``chromium`` and ``page`` and avoid that.

- ``chromium`` (session): the launched :class:`playwright.sync_api.Browser`. The first use in a
  test process runs ``scripts/install-browser`` under an exclusive file lock (pytest-xdist
  starts several workers at once, and only one of them may run apt at a time); a failed install
  fails the test with the script's output, it is never skipped.
- ``page`` (function): a fresh context and page, 1366x900, 10 s default timeout, closed after.
- :func:`save_artifact` writes a full-page PNG screenshot under ``tests/artifacts/``.
- :func:`only_local_requests` aborts every request that would leave the machine and records
  what was asked for, so a test can prove a page needs no internet.

Pytest makes one "session" fixture per module that imports it, so the browser itself is shared
by all of them through a reference count and closed when the last one is done.
"""

from __future__ import annotations

import fcntl
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, Request, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
INSTALL_SCRIPT = ROOT / "scripts" / "install-browser"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_PATH = "/usr/bin/chromium"
INSTALL_LOCK = Path(tempfile.gettempdir()) / "quarterdeck-install-browser.lock"
#: apt-get update + install of Chromium takes about half a minute; allow for a slow mirror.
INSTALL_TIMEOUT = 900

#: Hosts a test page may talk to: this machine only.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

#: Flags for running as root on a machine with no display, GPU or internet. The background
#: networking flags stop Chromium calling Google's services (which are refused here); the
#: resolver rule is a second fence: any host or address but this machine's (IP literals too)
#: fails with ERR_NAME_NOT_RESOLVED, so a page never reaches the internet even when a test
#: forgets :func:`only_local_requests`. (``::1`` must be written without brackets there.)
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1",
)
VIEWPORT = {"width": 1366, "height": 900}
DEFAULT_TIMEOUT_MS = 10_000


def ensure_browser_installed() -> str:
    """Run ``scripts/install-browser`` under an exclusive lock and return what it printed.

    Fails the calling test (never skips it) with the script's output when it exits non-zero.
    """
    with INSTALL_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            result = subprocess.run(
                [str(INSTALL_SCRIPT)],
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
                check=False,
            )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        pytest.fail(
            f"{INSTALL_SCRIPT} exited {result.returncode}; the browser tests need Chromium at "
            f"{CHROMIUM_PATH}.\n{output}",
            pytrace=False,
        )
    return output


class _SharedBrowser:
    """One Playwright driver and one Chromium per test process, however many modules use it."""

    def __init__(self) -> None:
        self.users = 0
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None

    def acquire(self) -> Browser:
        if self.browser is None:
            ensure_browser_installed()
            self.playwright = sync_playwright().start()
            try:
                self.browser = self.playwright.chromium.launch(
                    executable_path=CHROMIUM_PATH, headless=True, args=list(CHROMIUM_ARGS)
                )
            except Exception:
                self.playwright.stop()
                self.playwright = None
                raise
        self.users += 1
        return self.browser

    def release(self) -> None:
        self.users -= 1
        if self.users > 0:
            return
        if self.browser is not None:
            self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()
        self.browser = None
        self.playwright = None


_SHARED = _SharedBrowser()


@pytest.fixture(scope="session", name="chromium")
def chromium_fixture() -> Iterator[Browser]:
    """Headless Debian Chromium, installed on first use, closed at the end of the session."""
    browser = _SHARED.acquire()
    try:
        yield browser
    finally:
        _SHARED.release()


@pytest.fixture(name="page")
def page_fixture(chromium: Browser) -> Iterator[Page]:
    """A new browser context and page for one test: 1366x900, 10 s default timeout."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


# The fixtures under their own names too. Pytest registers an imported fixture under its
# ``name``, whatever the module calls it; ruff's F811 flags a test parameter named like an
# import, so a ruff-clean module imports ``chromium_fixture, page_fixture`` instead.
chromium = chromium_fixture
page = page_fixture


def artifact_name(name: str) -> str:
    """``name`` made safe as a file name under ``tests/artifacts/``, ending in ``.png``."""
    stem = name.removesuffix(".png")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")
    return f"{safe or 'artifact'}.png"


def save_artifact(page: Page, name: str) -> Path:
    """Save a full-page PNG screenshot of ``page`` as ``tests/artifacts/<name>.png``; return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / artifact_name(name)
    page.screenshot(path=str(path), full_page=True)
    return path


def is_local_url(url: str) -> bool:
    """True for a URL on this machine (127.0.0.1, localhost, ::1)."""
    return urlsplit(url).hostname in LOCAL_HOSTS


@dataclass
class RequestLog:
    """What a page asked for: URLs let through (local) and URLs aborted (anything else)."""

    local: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def only_local_requests(page: Page) -> RequestLog:
    """Abort every request from ``page`` whose host is not this machine, and record them all.

    Call before ``page.goto``. A test proves a page needs no internet by asserting
    ``log.blocked == []`` after it has loaded and been used.
    """
    log = RequestLog()

    def handle(route: Route, request: Request) -> None:
        if is_local_url(request.url):
            log.local.append(request.url)
            route.continue_()
        else:
            log.blocked.append(request.url)
            route.abort("blockedbyclient")

    page.route("**/*", handle)
    return log
