"""The dashboard's Money area on a real server (uvicorn on 127.0.0.1, real HTTP), with an
access file of an admin, the leader of the division eng and a member of the team payments,
on the organization and budget of ``tests/money_site.py`` and the test-only money metrics.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from quarterdeck.metrics.money import money_metrics
from quarterdeck.web.openapi import openapi_document
from tests.money_catalog import run_with_test_metrics
from tests.money_site import Q3, money_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with money_site(tmp_path_factory.mktemp("money-dashboard")) as running:
        yield running


def spent(document: dict) -> dict:
    """The budget_spent line of an /api/v1/money answer."""
    return next(line for line in document["metrics"] if line["metric"] == "budget_spent")


def raw_value(text: str) -> float | str | None:
    """A tile's data-value: a number, a label hidden for privacy ("<5"), or none."""
    try:
        return float(text) if text else None
    except ValueError:
        return text


def tile_values(page: str) -> dict[str, str]:
    """The raw value of each money tile of a page, by metric."""
    found = re.findall(r'data-metric="([a-z_]+)" data-value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in found}


def test_an_admin_sees_the_money_tiles_of_the_quarter(site) -> None:
    page = site.get("/money?quarter=2026Q3", "admin")
    assert page.status_code == 200
    tiles = tile_values(page.text)
    assert list(tiles) == [m.name for m in money_metrics()]  # the catalog's money tiles, the test ones among them
    assert (tiles["budget_spent"], tiles["company_revenue"]) == (str(Q3["org"]), "")
    assert "13,651" in page.text
    assert "no value for 2026Q3; import: <code>quarterdeck ingest finance FILE</code>" in page.text
    assert 'href="/metrics/budget_spent?until=2026-09-30"' in page.text  # the drill-down, to the quarter's end
    assert 'class="money-link"' in page.text


def test_the_money_area_leads_to_the_allocation_of_effort_and_capitalization(site) -> None:
    page = site.get("/money?quarter=2026Q3", "admin")
    pages = dict(re.findall(r'<a href="([^"]+)" data-metric-page="([a-z_]+)"', page.text))
    linked = {name: html.unescape(href) for href, name in pages.items()}
    for name in ("investment_allocation", "investment_allocation_items", "capitalizable_cost", "budget_forecast"):
        assert linked[name] == f"/metrics/{name}?until=2026-09-30", name
    assert not set(linked) & {m.name for m in money_metrics()}  # a metric with a tile is not listed twice
    assert site.get(linked["investment_allocation"], "admin").status_code == 200
    assert site.get(linked["investment_allocation"], "member").status_code == 403


def test_the_money_metric_page_has_its_chart_breakdown_rows_and_csv(site) -> None:
    page = site.get("/metrics/budget_spent?until=2026-09-30&months=3", "admin")
    assert page.status_code == 200
    assert 'id="chart-over-time"' in page.text and 'href="/money?until=2026-09-30&amp;months=3">Money</a>' in page.text
    assert "/api/v1/metrics/budget_spent/rows.csv?until=2026-09-30&amp;months=3" in page.text
    csv = site.get("/api/v1/metrics/budget_spent/series.csv?until=2026-09-30&months=3", "admin")
    assert csv.status_code == 200
    assert csv.text.splitlines()[1:] == ["2026-07-01,1100.25", "2026-08-01,4800.0", "2026-09-01,7751.0"]
    teams = site.get("/api/v1/metrics/budget_spent?until=2026-09-30&months=3", "admin").json()["breakdown"]
    assert {part["team"]: part["value"] for part in teams} == {"payments": 7300.5, "field": 450.5}


def test_the_overview_never_shows_a_money_tile(site) -> None:
    for role, path in (("admin", "/"), ("leader", "/?unit=eng"), ("member", "/?team=payments")):
        page = site.get(path, role)
        assert page.status_code == 200, (role, page.text)
        assert not tile_values(page.text) and 'data-metric="budget_spent"' not in page.text
    tiles = site.get("/api/v1/scorecard", "admin").json()["tiles"]
    assert tiles and all(tile["area"] != "money" for tile in tiles)


def test_a_member_gets_403_and_never_sees_money(site) -> None:
    refused = site.get("/money", "member")
    assert refused.status_code == 403
    assert "money figures are for admins and leaders (the access file, docs/dashboard.md)" in refused.text
    assert "your access covers the team payments" in refused.text
    for path in ("/api/v1/money", "/api/v1/money?team=payments", "/api/v1/metrics/budget_spent?team=payments",
                 "/api/v1/metrics/budget_spent/rows.csv?team=payments", "/metrics/budget_spent?team=payments",
                 "/metrics/budget_spent"):  # fmt: skip
        assert site.get(path, "member").status_code == 403, path
    names = [m["name"] for m in site.get("/api/v1/metrics", "member").json()["metrics"]]
    assert "budget_spent" not in names and "headcount" in names
    assert "budget_spent" in [m["name"] for m in site.get("/api/v1/metrics", "admin").json()["metrics"]]
    page = site.get("/?team=payments", "member").text
    assert 'class="money-link"' not in page


def test_a_leader_sees_their_units_money_only(site) -> None:
    home = site.get("/money?quarter=2026Q3", "leader")
    assert home.status_code == 303 and home.headers["location"] == "/money?unit=eng&quarter=2026Q3"
    page = site.get("/money?unit=eng&quarter=2026Q3", "leader")
    assert page.status_code == 200 and tile_values(page.text)["budget_spent"] == str(Q3["eng"])
    assert spent(site.get("/api/v1/money?team=platform&quarter=2026Q3", "leader").json())["value"] == Q3["platform"]
    for path in ("/api/v1/money?quarter=2026Q3", "/api/v1/money?team=field", "/money?team=field",
                 "/api/v1/metrics/budget_spent?team=field"):  # fmt: skip
        refused = site.get(path, "leader")
        assert refused.status_code == 403, path
    assert "your access covers the unit eng, not team field" in site.get("/money?team=field", "leader").text


@pytest.fixture(scope="module")
def site_with_finance(tmp_path_factory: pytest.TempPathFactory):
    with money_site(tmp_path_factory.mktemp("money-same-numbers"), finance=True) as running:
        yield running


def test_the_cli_the_json_and_the_tile_give_the_same_number(site_with_finance) -> None:
    """Every money metric's quarter value, three ways: ``quarterdeck money --format json`` (the
    real command line), ``/api/v1/money`` and the Money area's tile, for the organization and a
    unit: the test metrics (by hand: budget_spent, company_revenue) and whichever money
    metrics the catalog holds (burn, runway...)."""
    site = site_with_finance
    for args, scope in (((), ""), (("--unit", "eng"), "&unit=eng")):
        done = run_with_test_metrics("--db", str(site.db), "money", "--quarter", "2026Q3", *args, "--format", "json")
        assert done.returncode == 0, done.stderr
        cli = {line["metric"]: line["value"] for line in json.loads(done.stdout)["metrics"]}
        api = {
            line["metric"]: line["value"]
            for line in site.get(f"/api/v1/money?quarter=2026Q3{scope}", "admin").json()["metrics"]
        }
        tiles = tile_values(site.get(f"/money?quarter=2026Q3{scope}", "admin").text)
        assert cli == api and list(cli) == list(tiles)
        assert all(raw_value(tiles[name]) == value for name, value in cli.items()), tiles
        assert cli["budget_spent"] == (Q3["eng"] if args else Q3["org"])
    assert cli["company_revenue"] is None  # a company figure: no unit
    assert spent(site.get("/api/v1/money?quarter=2026Q3", "admin").json())["value"] == Q3["org"]
    revenue = site.get("/api/v1/money?quarter=2026Q3", "admin").json()["metrics"]
    assert next(line["value"] for line in revenue if line["metric"] == "company_revenue") == 330000.0


def test_a_bad_quarter_or_scope_is_a_clear_400(site) -> None:
    bad = site.get("/api/v1/money?quarter=2026Q9", "admin")
    assert bad.status_code == 400 and bad.json() == {"error": "quarter: expected YEARQN such as 2026Q3, got '2026Q9'"}
    assert site.get("/api/v1/money?service=checkout", "admin").status_code == 400
    assert site.get("/api/v1/money?quarter=0000Q1", "admin").json() == {
        "error": "quarter: expected YEARQN such as 2026Q3, got '0000Q1'"
    }


def test_the_money_json_is_in_the_openapi_document() -> None:
    document = openapi_document()
    money = document["paths"]["/api/v1/money"]["get"]
    assert "quarter" in [p["name"] for p in money["parameters"]] and "403" in money["responses"]
    assert "403" in document["paths"]["/api/v1/metrics/{name}"]["get"]["responses"]
    assert document["components"]["schemas"]["MoneySummary"]["properties"]["metrics"]["items"]["required"][:4] == [
        "metric", "title", "unit", "value",
    ]  # fmt: skip


def test_without_an_access_file_the_local_dashboard_shows_money(tmp_path: Path) -> None:
    from quarterdeck.config import load_settings
    from quarterdeck.web.app import create_app
    from tests.dashboard_server import served_in_thread
    from tests.money_catalog import with_money_metrics
    from tests.money_site import money_warehouse

    db = money_warehouse(tmp_path)
    with with_money_metrics():
        app = create_app(db, load_settings(cli={"db": db}), load_records=lambda *a: None)
        with served_in_thread(app) as http:
            assert spent(http.get("/api/v1/money?quarter=2026Q3").json())["value"] == Q3["org"]


def test_the_money_areas_people_land_on_are_computed_ahead(site) -> None:
    from quarterdeck.config import load_settings
    from quarterdeck.config.access import load_access
    from quarterdeck.store import open_warehouse
    from quarterdeck.web.app import create_app
    from quarterdeck.web.money import warm_money
    from quarterdeck.web.view import Filters

    access = load_access(site.db.parent / "access.yaml")
    app = create_app(site.db, load_settings(cli={"db": site.db}), load_records=None, access=access)
    with open_warehouse(site.db, read_only=True) as warehouse:
        warm_money(app, lambda work: work(warehouse))
    results = app.state.results
    assert ("money", None, Filters()) in results
    assert ("money", None, Filters(unit="eng")) in results  # the leader's
    assert len(results) == 2  # a member has no Money area
