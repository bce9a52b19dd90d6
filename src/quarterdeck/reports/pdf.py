"""HTML to PDF with a headless Chromium: the PDF of a report is its HTML page, printed.

Why Chromium (docs/decisions/0073): the PDF must hold the same content as the HTML page, and
printing that page is the one way to be sure of it. Chromium is found, in order, at the path
in ``QUARTERDECK_CHROMIUM``, then as ``chromium``, ``chromium-browser``, ``google-chrome`` or
``google-chrome-stable`` on the PATH. It runs headless, with no network but this machine, in
a new empty profile that is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from quarterdeck.core.errors import QuarterdeckError

CHROMIUM_ENV = "QUARTERDECK_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: A board pack of a large organization prints in a few seconds; a hung browser is stopped.
PRINT_TIMEOUT_S = 120
#: A browser that aborts at start (seen on a machine under heavy load) is given a second try.
ATTEMPTS = 2

#: Headless, no sandbox (root on a server), no GPU, no call to any outside service; every host
#: but this machine resolves to nothing, so a page can never reach the internet.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--run-all-compositor-stages-before-draw",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1",
    "--no-pdf-header-footer",
)


class PdfError(QuarterdeckError):
    """The PDF could not be made: no browser, or the browser failed."""


def find_chromium() -> str:
    """The Chromium to print with, or a PdfError that says how to get one."""
    chosen = os.environ.get(CHROMIUM_ENV)
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise PdfError(f"{CHROMIUM_ENV}={chosen} is not an executable file; point it at a Chromium or Chrome")
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "a PDF is printed by a headless Chromium, and none was found "
        f"(looked for {', '.join(CHROMIUM_NAMES)} on the PATH and {CHROMIUM_ENV}); install one "
        "(Debian: apt-get install chromium) or choose --format html,pptx"
    )


def html_to_pdf(html: Path, pdf: Path) -> Path:
    """Print the HTML file ``html`` to ``pdf`` (A4 or the page's own @page size) and return it.

    The page must be self-contained (no file or address but itself is fetched)."""
    html, pdf = Path(html).resolve(), Path(pdf).resolve()
    if not html.is_file():
        raise PdfError(f"{html}: no such HTML file to print")
    browser = find_chromium()
    for _ in range(ATTEMPTS):
        done = _print_once(browser, html, pdf)
        if done.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 0:
            return pdf
    detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    raise PdfError(
        f"{browser} could not print {html.name} (exit {done.returncode}, {ATTEMPTS} attempts): {' / '.join(detail)}"
    )


def _print_once(browser: str, html: Path, pdf: Path) -> subprocess.CompletedProcess[str]:
    """One headless print, in a new empty profile removed afterwards."""
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="quarterdeck-pdf-") as profile:
        command = [browser, *_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri()]
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"{browser} did not print {html.name} within {PRINT_TIMEOUT_S} s") from exc
