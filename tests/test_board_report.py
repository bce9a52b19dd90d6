"""``quarterdeck report board`` end to end, as a user runs it, on the demo's simulated
organization (10 engineers, one year, data to 2025-01-10): the PowerPoint opened with
python-pptx and the PDF read back with pypdf hold the same headline numbers as ``quarterdeck
metrics show`` for the same quarter; the HTML page in a headless Chromium; a unit leader's pack
has no organization totals; ``--explain`` and ``--format json``; clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from quarterdeck.core.formats import format_number
from tests.browser import chromium_fixture, ensure_browser_installed, page_fixture, save_artifact  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import demo_warehouse, metric_rows

QUARTER, SINCE, UNTIL = "2024Q4", "2024-10-01", "2024-12-31"
UNIT = "marketplace"
#: Headline metrics: their value column and unit as the pack prints them.
HEADLINES = {
    "deployment_frequency": ("deploy_days_per_week", "deploy days per week"),
    "lead_time_for_changes": ("median_hours", "hours"),
    "change_failure_rate": ("change_failure_rate", "share of deployments"),
    "time_to_restore": ("median_hours", "hours"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    ensure_browser_installed()
    folder = tmp_path_factory.mktemp("board-report")
    db = demo_warehouse(folder / "demo")
    (folder / "notes.md").write_text("# Asks\n\n- Approve **two** SRE hires\n", encoding="utf-8")
    org = cli(db, "report", "board", "--quarter", QUARTER, "--out", str(folder / "org"),
              "--notes", str(folder / "notes.md"))  # fmt: skip
    assert org.returncode == 0, org.stderr
    unit = cli(db, "report", "board", "--quarter", QUARTER, "--unit", UNIT, "--format", "pptx,html",
               "--out", str(folder / "unit"))  # fmt: skip
    assert unit.returncode == 0, unit.stderr
    return db, folder


def cli(db: Path, *args: str):
    return run_quarterdeck("--db", str(db), *args, timeout=300)


def expected(db: Path, *scope: str) -> dict[str, str]:
    """Each headline metric's value over the quarter as ``metrics show`` gives it, printed as the pack prints it."""
    found = {}
    for name, (column, unit) in HEADLINES.items():
        rows = metric_rows(db, name, "--since", SINCE, "--until", UNTIL, "--grain", "window", *scope)
        found[name] = format_number(rows[-1][column], unit)
    return found


def pptx_text(path: Path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_files_are_written_and_said(site):
    _db, folder = site
    names = sorted(p.name for p in (folder / "org").iterdir())
    assert names == ["board-2024Q4.html", "board-2024Q4.pdf", "board-2024Q4.pptx"]
    assert sorted(p.name for p in (folder / "unit").iterdir()) == [f"board-2024Q4-{UNIT}.html",
                                                                   f"board-2024Q4-{UNIT}.pptx"]  # fmt: skip


def test_pptx_and_pdf_hold_the_headline_numbers_of_metrics_show(site):
    db, folder = site
    numbers = expected(db, "--by", "org")
    slides = pptx_text(folder / "org" / "board-2024Q4.pptx")
    pdf = "\n".join(page.extract_text() for page in PdfReader(folder / "org" / "board-2024Q4.pdf").pages)
    headcount = metric_rows(db, "headcount", "--at", UNTIL)[0]["headcount"]
    for name, text in {**numbers, "headcount": format_number(headcount, "people")}.items():
        assert text in slides, f"{name} {text} not in the slides"
        assert text in pdf, f"{name} {text} not in the PDF"
    assert "Approve two SRE hires" in pdf and "Approve **two** SRE hires" in slides  # the notes as written


def test_a_unit_leaders_pack_has_the_units_numbers_and_no_organization_totals(site):
    db, folder = site
    unit_numbers = expected(db, "--by", "unit", "--unit", UNIT)
    slides = pptx_text(folder / "unit" / f"board-2024Q4-{UNIT}.pptx")
    page = (folder / "unit" / f"board-2024Q4-{UNIT}.html").read_text(encoding="utf-8")
    for text in unit_numbers.values():
        assert text in slides and text in page
    org_deploys = expected(db, "--by", "org")["deployment_frequency"]
    assert org_deploys != unit_numbers["deployment_frequency"]
    assert f">{org_deploys}<" not in page
    assert 'data-scope="unit:marketplace"' in page and "@org" not in page and "--by org" not in page


def test_explain_lists_every_sentence_with_the_figures_behind_it(site):
    db, _ = site
    done = cli(db, "report", "board", "--quarter", QUARTER, "--explain")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    numbered = [line for line in lines if line[:1].isdigit()]
    rules = [line.strip() for line in lines if line.strip().startswith("rule: ")]
    assert numbered and len(rules) == len(numbered)
    assert any("metric " in line and "window 2024-10-01 .. 2024-12-31" in line for line in lines)
    assert "quarterdeck metrics show deployment_frequency --since 2024-10-01 --until 2024-12-31" in done.stdout


def test_json_of_the_pack_goes_to_stdout_with_its_evidence(site):
    db, _ = site
    done = cli(db, "report", "board", "--quarter", QUARTER, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["quarter"], data["start"], data["end"], data["scope"]) == (QUARTER, SINCE, UNTIL, "org")
    figures = {f["key"]: f for s in data["sections"] for f in s["figures"]}
    rows = metric_rows(db, "deployment_frequency", "--since", SINCE, "--until", UNTIL, "--grain", "window")
    assert figures["deployment_frequency@org"]["value"] == pytest.approx(rows[0]["deploy_days_per_week"])
    assert all(item["figures"] for item in data["explain"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--quarter", "Q4-2024"), "expected YEARQN such as 2026Q3, got 'Q4-2024'"),
        (("--quarter", "2015Q1"), "ends before the data begins"),
        (("--quarter", QUARTER, "--unit", "atlantis"), "unknown unit 'atlantis'"),
        (("--quarter", QUARTER, "--format", "html,docx"), "expected a comma-separated list of html, pdf and pptx"),
        (("--quarter", QUARTER, "--notes", "missing.md"), "missing.md: no such notes file"),
    ],
)
def test_bad_input_is_a_clear_error_without_a_traceback(site, tmp_path, args, message):
    db, _ = site
    done = cli(db, "report", "board", "--out", str(tmp_path / "out"), *args)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_the_pack_page_in_a_headless_chromium(site, page):
    _, folder = site
    path = folder / "org" / "board-2024Q4.html"
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(path.as_uri())
    assert asked == [path.as_uri()]
    assert page.locator("h1").inner_text() == "Engineering board pack, 2024Q4"
    sections = page.locator("section.board-section").evaluate_all("els => els.map(e => e.dataset.section)")
    assert sections[:5] == ["summary", "delivery", "waiting", "entropy", "people"]
    assert page.locator('.figure[data-key="deployment_frequency@org"] .value').first.inner_text() == (
        expected_cached(folder)
    )
    shot = save_artifact(page, "board-pack-demo")
    assert shot.read_bytes().startswith(b"\x89PNG")


def expected_cached(folder: Path) -> str:
    return format_number(
        metric_rows(
            folder / "demo" / "demo.duckdb",
            "deployment_frequency",
            "--since",
            SINCE,
            "--until",
            UNTIL,
            "--grain",
            "window",
        )[0]["deploy_days_per_week"],
        "deploy days per week",
    )


def test_a_theme_a_plan_and_targets_given_on_the_command_line_are_in_the_pack(site, tmp_path):
    db, folder = site
    theme = tmp_path / "theme.yaml"
    theme.write_text('name: Acme\ncolours:\n  primary: "#0b3d91"\n', encoding="utf-8")
    targets = tmp_path / "targets.yaml"
    targets.write_text("targets:\n  - {metric: deployment_frequency, scope: org, target: 1, owner: Dana Reyes}\n")
    plan = folder / "demo" / "sim" / "plans" / "plan.yaml"
    done = cli(db, "report", "board", "--quarter", QUARTER, "--format", "html", "--out", str(tmp_path / "out"),
               "--theme", str(theme), "--plan", str(plan), "--targets", str(targets))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"wrote {tmp_path / 'out' / 'board-2024Q4.html'}"]
    page = (tmp_path / "out" / "board-2024Q4.html").read_text(encoding="utf-8")
    assert "--primary: #0b3d91;" in page
    assert 'data-section="plans"' in page and "P10 / P50 / P90 per quarter" in page
    assert 'data-key="deployment_frequency@org" data-metric="deployment_frequency" data-status="green"' in page
    assert 'data-rule="target_met"' in page
