"""The headless-browser harness itself, proved on tiny pages the tests write, not on the product.

Each page is served by a real ``ThreadingHTTPServer`` on 127.0.0.1 and opened in the real
Debian Chromium: a click runs inline JavaScript, an inline SVG is laid out, a screenshot is
saved, and a page that asks for a script from the internet loads at once with that request
aborted, which is how the dashboard's tests prove its pages need no internet.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser import (  # noqa: F401
    ARTIFACTS,
    INSTALL_LOCK,
    artifact_name,
    chromium_fixture,
    ensure_browser_installed,
    is_local_url,
    only_local_requests,
    page_fixture,
    save_artifact,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NO_FAVICON = '<link rel="icon" href="data:,">'

CLICK_PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8">{NO_FAVICON}<title>harness</title></head>
<body>
  <button id="total" onclick="document.getElementById('out').textContent =
      'Total: ' + [4, 7, 12].reduce((a, b) => a + b, 0)">Add up</button>
  <p id="out"></p>
  <svg id="chart" width="200" height="120" viewBox="0 0 200 120">
    <path d="M10 80 L60 20 L110 50" stroke="steelblue" stroke-width="3" fill="none"/>
  </svg>
</body></html>
"""

EXTERNAL_SCRIPT = "http://cdn.example.com/chart.js"
EXTERNAL_IMAGE = "https://203.0.113.9/pixel.png"
OFFLINE_PAGE = f"""<!doctype html>
<html><head><meta charset="utf-8">{NO_FAVICON}<title>offline</title>
  <script src="{EXTERNAL_SCRIPT}"></script>
  <script src="/local.js"></script>
</head>
<body><img src="{EXTERNAL_IMAGE}" alt="remote"><p id="status">static</p></body></html>
"""
LOCAL_SCRIPT = "window.localLoaded = true;"


@dataclass
class Site:
    """A folder served over HTTP on a loopback address, and the paths it was asked for."""

    root: str
    requested: list[str] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return self.root + path


def serve(folder: Path, host: str = "127.0.0.1") -> Iterator[Site]:
    """Serve ``folder`` on ``host`` (port 0: any free port) in a thread until the caller is done."""
    requested: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            requested.append(self.path)

    server = http.server.ThreadingHTTPServer((host, 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Site(root=f"http://{host}:{server.server_port}", requested=requested)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The two test pages, served on 127.0.0.1."""
    (tmp_path / "click.html").write_text(CLICK_PAGE, encoding="utf-8")
    (tmp_path / "offline.html").write_text(OFFLINE_PAGE, encoding="utf-8")
    (tmp_path / "local.js").write_text(LOCAL_SCRIPT, encoding="utf-8")
    yield from serve(tmp_path)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, read from the bytes (not by the browser)."""
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path} is not a PNG: starts {header[:8]!r}"
    assert header[12:16] == b"IHDR", f"{path}: first chunk is {header[12:16]!r}, expected IHDR"
    return struct.unpack(">II", header[16:24])


def test_click_runs_inline_script_and_svg_path_is_laid_out(page: Page, site: Site) -> None:
    page.goto(site.url("/click.html"))
    assert page.text_content("#out") == ""

    page.click("#total")

    # 4 + 7 + 12, added up by the page's own JavaScript.
    assert page.text_content("#out") == "Total: 23"
    paths = page.locator("#chart path")
    assert paths.count() == 1
    assert paths.get_attribute("d") == "M10 80 L60 20 L110 50"
    # The browser parsed the geometry: x 10..110, y 20..80, and two segments of length
    # sqrt(50² + 60²) + sqrt(50² + 30²) = 78.102 + 58.310.
    bbox = paths.evaluate("p => { const b = p.getBBox(); return [b.x, b.y, b.width, b.height]; }")
    assert bbox == [10, 20, 100, 60]
    assert paths.evaluate("p => p.getTotalLength()") == pytest.approx(136.412, abs=0.01)
    # And laid it out on screen (the box includes the stroke, so it is a little larger).
    box = paths.bounding_box()
    assert box is not None
    assert box["width"] >= 100
    assert box["height"] >= 60


def test_save_artifact_writes_full_page_png(page: Page, site: Site) -> None:
    page.goto(site.url("/click.html"))
    page.click("#total")

    path = save_artifact(page, "harness/click & svg")

    assert path == ARTIFACTS / "harness_click_svg.png"
    assert path.is_file()
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    # The page is shorter than the viewport, so the full page is exactly 1366x900.
    assert png_size(path) == (1366, 900)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("overview", "overview.png"),
        ("overview.png", "overview.png"),
        ("teams/payments: scorecard", "teams_payments_scorecard.png"),
        ("../../etc/passwd", "etc_passwd.png"),
        ("???", "artifact.png"),
    ],
)
def test_artifact_name_is_a_safe_file_name(name: str, expected: str) -> None:
    assert artifact_name(name) == expected


def test_non_local_requests_are_aborted_without_hanging(page: Page, site: Site) -> None:
    log = only_local_requests(page)

    started = time.monotonic()
    page.goto(site.url("/offline.html"), wait_until="load")
    elapsed = time.monotonic() - started

    assert elapsed < 5, f"the page took {elapsed:.1f} s to load; an aborted request must not wait"
    assert sorted(log.blocked) == sorted([EXTERNAL_SCRIPT, EXTERNAL_IMAGE])
    assert log.local == [site.url("/offline.html"), site.url("/local.js")]
    # The local server saw exactly the requests the route let through, nothing else.
    assert site.requested == ["/offline.html", "/local.js"]
    assert page.evaluate("window.localLoaded") is True
    assert page.text_content("#status") == "static"


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000/", True),
        ("http://localhost/api/metrics", True),
        ("http://[::1]:9000/x", True),
        ("http://127.0.0.2/", False),
        ("https://cdn.example.com/chart.js", False),
        ("http://localhost.example.com/", False),
        ("data:text/plain,hi", False),
    ],
)
def test_is_local_url(url: str, local: bool) -> None:
    assert is_local_url(url) is local


def test_chromium_cannot_reach_an_address_other_than_this_one(page: Page, tmp_path: Path) -> None:
    """The launch flags fence Chromium in even without a route: 127.0.0.2 (loopback, so nothing
    leaves the machine if the fence were broken) answers over plain HTTP, yet the browser fails."""
    (tmp_path / "index.html").write_text("<p>reachable</p>", encoding="utf-8")
    for other in serve(tmp_path, host="127.0.0.2"):
        with pytest.raises(Exception, match="ERR_NAME_NOT_RESOLVED"):
            page.goto(other.url("/index.html"))
        assert other.requested == []


def test_install_waits_for_the_lock_held_by_another_worker() -> None:
    """``ensure_browser_installed`` must not run the script while another holder has the lock."""
    done = threading.Event()
    outputs: list[str] = []

    def install() -> None:
        outputs.append(ensure_browser_installed())
        done.set()

    with INSTALL_LOCK.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        worker = threading.Thread(target=install, daemon=True)
        worker.start()
        assert not done.wait(timeout=1.0), "the install ran while the lock was held elsewhere"
        fcntl.flock(held, fcntl.LOCK_UN)
    assert done.wait(timeout=120), "the install did not finish after the lock was released"
    worker.join(timeout=10)
    assert len(outputs) == 1
    assert outputs[0].startswith("install-browser: Chromium ")
