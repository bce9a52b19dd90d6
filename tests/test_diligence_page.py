"""The due-diligence page in a real headless Chromium: self-contained (it asks for nothing but
itself), every section drawn, one chart column per quarter, a screenshot kept as an artifact."""

from __future__ import annotations

import json
from pathlib import Path

from tests.browser import chromium_fixture, page_fixture, save_artifact  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.diligence_repos import healthy, legacy, risky

SECTIONS = [
    "Summary",
    "Red flags",
    "Size and languages",
    "Activity per quarter",
    "Contributors and key-person risk",
    "Code age and hotspots",
    "Tests and CI",
    "Dependencies and licence",
    "Secret-like patterns",
    "Delivery",
]


def test_the_page_is_self_contained_and_draws_every_section(page, tmp_path: Path) -> None:
    for build in (risky, healthy, legacy):
        build(tmp_path / "repos")
    done = run_quarterdeck(
        "report",
        "diligence",
        "--repos",
        str(tmp_path / "repos"),
        "--out",
        str(tmp_path / "out"),
        "--format",
        "html,json",
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    html = tmp_path / "out" / "diligence.html"
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(html.as_uri())
    assert asked == [html.as_uri()]
    assert page.locator("h2").all_inner_texts() == SECTIONS
    assert page.locator("svg rect").count() == len(found["quarters"]) == 12  # 2024Q1 .. 2026Q4
    assert page.locator("span.grade").count() == len(found["red_flags"]) == 8
    assert page.locator("span.grade.high").count() == 6
    assert page.locator("ul.summary li").count() == len(found["summary"])
    assert save_artifact(page, "diligence-report").stat().st_size > 0
