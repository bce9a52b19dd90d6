"""The dashboard in a real headless Chromium, as a VP uses it on a Monday morning.

A small simulated organization is ingested by ``quarterdeck demo``; ``quarterdeck serve``
runs on it with a targets file; Playwright drives Debian's Chromium (``tests/browser.py``)
through the overview, a team, a metric page, its chart, table and CSV download, with every
request outside this machine refused. The overview's screenshot is saved under
``tests/artifacts/``. A second server runs on a copy of the warehouse whose names were made
hostile, to show that nothing from the data runs as code.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from quarterdeck.store import open_warehouse
from tests.browser import chromium_fixture, only_local_requests, page_fixture, save_artifact  # noqa: F401
from tests.dashboard_server import DashboardServer, demo_warehouse

HOSTILE_TEAM = '<script>window.__owned = 1</script><img src=x onerror="window.__owned = 2">'
HOSTILE_PATH = "src/<img src=x onerror=window.__owned=3>.py"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dashboard-browser")
    db = demo_warehouse(folder / "demo")
    targets = folder / "targets.yaml"
    targets.write_text(
        "targets:\n  - {metric: deployment_frequency, scope: org, target: 0.5, owner: Dana Reyes}\n", encoding="utf-8"
    )
    hostile = folder / "hostile.duckdb"
    shutil.copy(db, hostile)
    make_hostile(hostile)
    server = DashboardServer(db, folder, targets=targets)
    yield server, folder, hostile
    server.stop()


def make_hostile(db: Path) -> None:
    """Names as an attacker with commit or org-file access could write them."""
    with open_warehouse(db) as warehouse:
        team = warehouse.value("SELECT team_id FROM teams ORDER BY team_id LIMIT 1")
        warehouse.con.execute("UPDATE teams SET name = ? WHERE team_id = ?", [HOSTILE_TEAM, team])
        warehouse.con.execute("UPDATE team_periods SET name = ? WHERE team_id = ?", [HOSTILE_TEAM, team])
        busiest = warehouse.value("SELECT path FROM commit_files GROUP BY path ORDER BY count(*) DESC, path LIMIT 1")
        for table in ("commit_files", "repository_files"):
            warehouse.con.execute(f"UPDATE {table} SET path = ? WHERE path = ?", [HOSTILE_PATH, busiest])
        warehouse.con.execute("UPDATE commits SET subject = ?, author_name = ?", [HOSTILE_TEAM, HOSTILE_TEAM])


def test_the_overview_shows_every_area_with_colours_and_sparklines(demo, page):
    server, _, _ = demo
    requests = only_local_requests(page)
    page.goto(server.base_url + "/")
    assert page.locator("h1").inner_text() == "The organization"
    areas = page.locator("section.area h2").all_inner_texts()
    assert [a.upper() for a in areas] == ["DELIVERY", "RELIABILITY", "WAITING", "ENTROPY", "PEOPLE"]
    tiles = page.locator("a.tile")
    assert tiles.count() >= 14
    deploys = page.locator('a.tile[data-metric="deployment_frequency"]')
    assert deploys.get_attribute("data-status") == "green"  # its target is 0.5 deploy days a week
    assert "target 0.50 · Dana Reyes" in deploys.inner_text()
    assert page.locator('a.tile[data-metric="lead_time_for_changes"]').get_attribute("data-status") == "grey"
    line = deploys.locator("svg polyline").first
    assert len(line.get_attribute("points").split()) >= 6  # months with a value
    box = deploys.locator("svg").bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 10  # drawn, not just in the markup
    shot = save_artifact(page, "dashboard-overview")
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert requests.blocked == []


def test_a_team_is_chosen_from_the_scope_picker_and_the_link_keeps_it(demo, page):
    server, _, _ = demo
    page.goto(server.base_url + "/")
    option = page.locator("select[name=scope] option[data-kind=team]").first
    value, team_name = option.get_attribute("value"), option.inner_text().strip()
    team_id = value.removeprefix("team:")
    page.select_option("select[name=scope]", value)
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/?scope=team%3A*")
    assert page.locator("h1").inner_text() == f"Team {team_name}"
    assert page.locator('a.tile[data-metric="bus_factor"]').count() == 0  # organization-wide only
    href = page.locator('a.tile[data-metric="headcount"]').get_attribute("href")
    assert href.startswith("/metrics/headcount?") and f"team={team_id}" in href
    page.goto(server.base_url + href)  # a shared link shows the same scope
    assert page.locator("select[name=scope]").input_value() == value


def test_the_overview_of_a_unit_links_the_units_above_and_below(demo, page):
    server, _, _ = demo
    page.goto(server.base_url + "/")
    top = page.locator("nav.units-below a").first  # the organization's top units
    unit = top.get_attribute("data-unit")
    top.click()
    page.wait_for_url(f"**/?unit={unit}**")
    assert page.locator("h1").inner_text().startswith("Unit ")
    assert page.locator("p.units-above a").count() >= 1  # the top of the tree, one click back up
    below = page.locator("nav.units-below a")
    assert below.count() >= 1
    team = below.first.get_attribute("data-team")
    below.first.click()
    page.wait_for_url(f"**/?team={team}**")
    assert page.locator("h1").inner_text().startswith("Team ")
    assert page.locator(f'p.units-above a[data-unit="{unit}"]').count() == 1


def test_a_division_drills_down_to_its_teams(demo, page):
    server, _, _ = demo
    page.goto(server.base_url + "/metrics/lead_time_for_changes")
    unit = follow_breakdown(page, "by-unit", "unit", "lead_time_for_changes")  # one of the top units
    assert page.locator("select[name=scope]").input_value() == f"unit:{unit}"
    assert page.locator("#chart-over-time svg circle").count() >= 1
    assert page.locator("#chart-by-unit svg rect").count() >= 1
    team = follow_breakdown(page, "by-unit", "team", "lead_time_for_changes")  # one of the division's teams
    api = json.loads(page.request.get(f"{server.base_url}/api/v1/metrics/lead_time_for_changes?unit={unit}").text())
    assert team in {u["unit"] for u in api["units"]}


def test_a_metric_page_has_its_definition_chart_table_rows_sql_and_csv(demo, page):
    server, _, _ = demo
    page.goto(server.base_url + "/")
    page.click('a.tile[data-metric="deployment_frequency"]')
    page.wait_for_url("**/metrics/deployment_frequency**")
    assert page.locator("h1").inner_text() == "Deployment frequency"
    assert "deploy" in page.locator("p.definition").inner_text().lower()
    points = page.locator("#chart-over-time svg circle")
    assert points.count() >= 6
    page.click("#over-time ~ details summary")
    rows = page.locator("#over-time ~ details table tbody tr")
    assert rows.count() == 12
    assert page.locator("#chart-by-team svg rect").count() >= 1
    assert "delivery_periods AS (" in page.locator("pre.sql").inner_text()
    with page.expect_download() as download:
        page.click("#over-time ~ p a.download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["month", "value (deploy days per week)"] and len(table) == 13
    api = json.loads(page.request.get(server.base_url + "/api/v1/metrics/deployment_frequency").text())
    assert [r[0] for r in table[1:]] == [p["month"] for p in api["series"]]
    team = follow_breakdown(page, "by-team", "team", "deployment_frequency")  # drill into a team
    assert page.locator("select[name=scope]").input_value() == f"team:{team}"


def follow_breakdown(page, section: str, kind: str, metric: str) -> str:
    """Open the table of a breakdown, follow its first row of ``kind``; that row's id."""
    page.click(f"#{section} ~ details summary")
    row = page.locator(f"#{section} ~ details tbody tr[data-{kind}]").first
    ident = row.get_attribute(f"data-{kind}")
    row.locator("a").click()
    page.wait_for_url(f"**/metrics/{metric}?{kind}={ident}**")
    assert page.locator("p.scope").inner_text().startswith(f"{kind.capitalize()} ")
    return ident


def test_hostile_names_in_the_data_are_shown_as_text_and_never_run(demo, page):
    _, folder, hostile = demo
    server = DashboardServer(hostile, folder)
    try:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        requests = only_local_requests(page)
        page.goto(server.base_url + "/")
        assert HOSTILE_TEAM in page.locator("select[name=scope]").inner_text()  # the name, as text
        page.goto(server.base_url + "/metrics/hotspots")
        assert HOSTILE_PATH in page.locator("table.rows").inner_text()
        page.goto(server.base_url + "/metrics/lead_time_for_changes")
        assert (
            HOSTILE_TEAM in page.locator("#by-team ~ details").inner_text()
            or page.locator("#chart-by-team").count() == 1
        )
        assert page.evaluate("window.__owned") is None
        assert page.locator("script").count() == 0 and page.locator("img").count() == 0
        assert dialogs == [] and requests.blocked == []
        html = server.get("/").text
        assert "<script>window.__owned" not in html and "&lt;script&gt;window.__owned = 1&lt;/script&gt;" in html
    finally:
        server.stop()
