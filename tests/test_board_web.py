"""The board pack on the dashboard (/reports/board) over real HTTP and in a real headless
Chromium, on the demo's simulated organization with an access file: the page in the
dashboard's frame with its downloads (HTML, PowerPoint, PDF) and its JSON, the same figures as
``quarterdeck report board --format json``; admins any scope, a leader their unit only,
members 403; bad input a clear 400 or 404."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from pptx import Presentation
from pypdf import PdfReader

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, ensure_browser_installed, page_fixture, save_artifact  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import demo_warehouse, served_in_thread
from tests.money_site import Site

QUARTER = "2024Q4"
LEADER_UNIT, OTHER_UNIT = "marketplace", "web-storefront"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    ensure_browser_installed()
    folder = tmp_path_factory.mktemp("board-web")
    db = demo_warehouse(folder / "demo")
    copy = folder / "copy.duckdb"
    shutil.copy(db, copy)
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    (folder / "access.yaml").write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Lee Park, role: leader, unit: {LEADER_UNIT}, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Sam Ito, role: member, team: {LEADER_UNIT}, token_sha256: {tokens['member'][1]}}}\n"
    )
    app = create_app(db, load_settings(cli={"db": db}, env={}), load_records=lambda *a: None,
                     access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, copy)


def command_json(site: Site, *args: str) -> dict:
    done = run_quarterdeck("--db", str(site.db), "report", "board", "--quarter", QUARTER, "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def figures_of(document: dict) -> dict[str, tuple]:
    """Each figure's value (to 12 significant digits: DuckDB may sum in another order), text and command."""
    return {
        f["key"]: (_rounded(f["value"]), f["text"], f["command"]) for s in document["sections"] for f in s["figures"]
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.12g}")


def test_the_json_has_the_figures_of_the_command_line(site):
    answer = site.get("/api/v1/reports/board", "admin", params={"quarter": QUARTER})
    assert answer.status_code == 200, answer.text
    served, command = answer.json(), command_json(site)
    assert served["scope"] == "org" and figures_of(served) == figures_of(command)
    assert [s["sentence"] for s in served["explain"]] == [s["sentence"] for s in command["explain"]]


def test_the_page_shows_the_pack_in_the_dashboard_with_its_downloads(site):
    answer = site.get("/reports/board", "admin", params={"quarter": QUARTER})
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert 'class="board-pack"' in page and '<link rel="stylesheet" href="/reports/board.css">' in page
    assert "<style>" not in page  # the dashboard allows no inline style: the pack's is served
    assert 'href="/reports/board.pptx?quarter=2024Q4"' in page and 'href="/reports/board.pdf?quarter=2024Q4"' in page
    deploys = figures_of(command_json(site))["deployment_frequency@org"]
    assert 'data-key="deployment_frequency@org"' in page and f">{deploys[1]}<" in page
    css = site.get("/reports/board.css", "admin")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ".board-pack" in css.text


def test_the_downloads_are_the_same_pack_in_each_format(site):
    text = figures_of(command_json(site))["deployment_frequency@org"][1]
    html = site.get("/reports/board.html", "admin", params={"quarter": QUARTER})
    assert html.status_code == 200 and html.headers["content-disposition"] == 'attachment; filename="board-2024Q4.html"'
    assert html.text.startswith("<!DOCTYPE html>") and f">{text}<" in html.text
    pptx = site.get("/reports/board.pptx", "admin", params={"quarter": QUARTER})
    assert pptx.status_code == 200, pptx.text
    slides = Presentation(io.BytesIO(pptx.content)).slides
    words = "\n".join(s.text_frame.text for slide in slides for s in slide.shapes if s.has_text_frame)
    assert text in words
    pdf = site.get("/reports/board.pdf", "admin", params={"quarter": QUARTER}, timeout=120)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert text in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)


def test_a_leader_gets_their_units_pack_and_no_other(site):
    own = site.get("/api/v1/reports/board", "leader", params={"quarter": QUARTER})
    assert own.status_code == 200, own.text
    document = own.json()
    assert document["scope"] == f"unit:{LEADER_UNIT}"
    assert figures_of(document) == figures_of(command_json(site, "--unit", LEADER_UNIT))
    assert not [k for k in figures_of(document) if k.endswith("@org")]
    other = site.get("/api/v1/reports/board", "leader", params={"quarter": QUARTER, "unit": OTHER_UNIT})
    assert other.status_code == 403 and f"not unit {OTHER_UNIT}" in other.json()["error"]
    assert site.get("/reports/board.pptx", "leader", params={"unit": OTHER_UNIT}).status_code == 403


def test_an_admin_may_ask_for_any_unit_and_members_get_403(site):
    unit = site.get("/api/v1/reports/board", "admin", params={"quarter": QUARTER, "unit": OTHER_UNIT})
    assert unit.status_code == 200 and unit.json()["scope"] == f"unit:{OTHER_UNIT}"
    for path in ("/reports/board", "/api/v1/reports/board", "/reports/board.pdf", "/reports/board.html"):
        refused = site.get(path, "member")
        assert refused.status_code == 403 and "admins and for leaders" in refused.text, path


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"quarter": "2024Q9"}, 400, "expected YEARQN such as 2026Q3, got '2024Q9'"),
        ({"quarter": "2015Q1"}, 400, "ends before the data begins"),
        ({"quarter": QUARTER, "unit": "atlantis"}, 404, "unknown unit 'atlantis'"),
    ],
)
def test_bad_input_is_a_clear_error(site, params, status, message):
    answer = site.get("/api/v1/reports/board", "admin", params=params)
    assert answer.status_code == status and message in answer.json()["error"]


def test_the_page_in_a_headless_chromium(site, page):
    page.set_extra_http_headers({"Authorization": f"Bearer {site.tokens['admin']}"})
    page.goto(f"{site.base_url}/reports/board?quarter={QUARTER}")
    assert page.locator(".board-pack h1").inner_text() == "Engineering board pack, 2024Q4"
    card = page.locator('.figure[data-key="deployment_frequency@org"]').first
    assert card.evaluate("e => getComputedStyle(e).borderTopWidth") == "5px"  # the pack's style sheet applies
    box = page.locator(".board-pack .charts svg").first.bounding_box()
    assert box is not None and box["width"] > 300
    assert page.locator("a.board-link").count() == 1
    shot = save_artifact(page, "board-pack-dashboard")
    assert shot.read_bytes().startswith(b"\x89PNG")
