"""The dashboard's JSON and CSV (``/api/v1/``) on a real server, against the command line.

A small simulated organization is ingested by ``quarterdeck demo``; the expected values are
what ``quarterdeck metrics show`` prints for the same metric, scope and months (the same
queries, run by another process), and the colours follow from targets written relative to
those values before the server starts.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from quarterdeck.store import open_warehouse
from quarterdeck.web.view import format_value
from tests.conftest import run_quarterdeck
from tests.dashboard_server import DashboardServer, demo_warehouse, metric_rows


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dashboard")
    db = demo_warehouse(folder / "demo")
    until = expected_until(db)
    since = month_start(until, 11)
    cli = {
        name: metric_rows(db, name, "--by", "org", "--grain", "month", "--since", str(since), "--until", str(until))
        for name in ("deployment_frequency", "lead_time_for_changes", "pr_pickup_time")
    }
    cli["no_dates"] = metric_rows(db, "lead_time_for_changes")  # the window ends where the data does
    cli["headcount"] = metric_rows(db, "headcount", "--by", "org", "--since", str(since), "--until", str(until))
    cli["attrition"] = metric_rows(db, "attrition_rate", "--by", "org", "--at", str(until))
    for name in ("bus_factor", "hotspots"):  # the year up to the window's end, as their tiles read them
        cli[name] = metric_rows(db, name, "--until", str(until))
    cli["team_deployment_frequency"] = metric_rows(
        db, "deployment_frequency", "--by", "team", "--grain", "month", "--since", str(since), "--until", str(until)
    )
    team = busiest_team(cli["team_deployment_frequency"])
    cli["service_lead_time"] = metric_rows(
        db, "lead_time_for_changes", "--by", "service", "--grain", "month", "--since", str(since), "--until", str(until)
    )
    unit, below = org_units(db)
    cli["units"] = (unit, below)
    cli["unit_deployment_frequency"] = metric_rows(
        db, "deployment_frequency", "--by", "unit", "--unit", unit, "--grain", "month", "--since", str(since),
        "--until", str(until),
    )  # fmt: skip
    last = {name: cli[name][-1] for name in ("deployment_frequency", "lead_time_for_changes", "pr_pickup_time")}
    targets = folder / "targets.yaml"
    targets.write_text(
        "targets:\n"
        f"  - {{metric: deployment_frequency, scope: org, target: {last['deployment_frequency']['deploy_days_per_week'] * 0.5!r}, owner: Dana Reyes}}\n"  # noqa: E501
        f"  - {{metric: lead_time_for_changes, scope: org, target: {last['lead_time_for_changes']['median_hours'] * 0.5!r}, owner: Sam Ito}}\n"  # noqa: E501
        f"  - {{metric: pr_pickup_time, scope: org, target: {last['pr_pickup_time']['median_hours'] / 1.05!r}, owner: Lee Park}}\n",  # noqa: E501
        encoding="utf-8",
    )
    server = DashboardServer(db, folder, targets=targets)
    yield server, db, cli, since, until, team
    server.stop()


def expected_until(db: Path) -> date:
    """The last day of the last whole month the data reaches, worked out here in SQL."""
    with open_warehouse(db, read_only=True) as warehouse:
        latest = warehouse.value(
            "SELECT max(d) FROM (SELECT CAST(max(committer_time) AS DATE) AS d FROM commits UNION ALL "
            "SELECT CAST(max(finished_at) AS DATE) FROM deployments UNION ALL "
            "SELECT CAST(max(created_at) AS DATE) FROM incidents UNION ALL "
            "SELECT CAST(max(updated_at) AS DATE) FROM pull_requests UNION ALL SELECT max(as_of) FROM people_snapshots)"
        )
    following = (latest.replace(day=28) + timedelta(days=4)).replace(day=1)
    return latest if following - latest == timedelta(days=1) else latest.replace(day=1) - timedelta(days=1)


def month_start(until: date, back: int) -> date:
    day = until.replace(day=1)
    for _ in range(back):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def busiest_team(rows: list[dict], column: str = "deployments") -> str:
    """The group with the most deployments (or ``column``) in the window."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["group"]] = totals.get(row["group"], 0) + (row[column] or 0)
    return max(sorted(totals), key=lambda team: totals[team])


def tiles_of(server: DashboardServer, query: str = "") -> dict[str, dict]:
    answer = server.get(f"/api/v1/scorecard{query}")
    assert answer.status_code == 200, answer.text
    return {tile["metric"]: tile for tile in answer.json()["tiles"]}


def test_the_scorecard_shows_what_the_command_line_computes(site):
    server, _, cli, since, until, _ = site
    body = server.get("/api/v1/scorecard").json()
    assert body["scope"] == "org"
    ends = body["window"].pop("data_ends")  # no until asked for: the data's last day, in the month after until
    assert body["window"] == {"since": since.isoformat(), "until": until.isoformat(), "months": 12}
    assert until <= date.fromisoformat(ends) <= until + timedelta(days=31)
    tiles = {tile["metric"]: tile for tile in body["tiles"]}
    for name, column in (("deployment_frequency", "deploy_days_per_week"), ("lead_time_for_changes", "median_hours"),
                         ("pr_pickup_time", "median_hours")):  # fmt: skip
        by_month = {row["period_start"]: row[column] for row in cli[name]}
        series = {point["month"]: point["value"] for point in tiles[name]["series"]}
        assert series == {m: by_month.get(m) for m in series}, name
        assert tiles[name]["value"] == cli[name][-1][column] and tiles[name]["previous"] == cli[name][-2][column]
    headcount = {row["date"][:7]: row["headcount"] for row in cli["headcount"]}
    assert [p["value"] for p in tiles["headcount"]["series"]] == [headcount[p["month"][:7]] for p in
                                                                   tiles["headcount"]["series"]]  # fmt: skip
    assert len(tiles["headcount"]["series"]) == 12
    # attrition over the year before each month end, as metrics show --at evaluates it
    assert tiles["attrition_rate"]["value"] == cli["attrition"][0]["attrition_rate"]
    assert tiles["attrition_rate"]["title"] == "Attrition rate, trailing 12 months"


def test_the_demo_without_dates_shows_its_last_weeks_not_zeros(site):
    _, _, cli, _, until, _ = site
    rows = cli["no_dates"]
    # 84 days (12 weeks and a day) up to the data's last day, which is in the month after until
    assert 12 <= len(rows) <= 13
    assert until - timedelta(days=90) < date.fromisoformat(rows[-1]["period_start"]) <= until + timedelta(days=31)
    assert sum(r["changes"] for r in rows) > 0


def test_colours_follow_the_targets_file_and_metrics_without_one_are_grey(site):
    tiles = tiles_of(site[0])
    assert tiles["deployment_frequency"]["status"] == "green"  # up, twice its target
    assert tiles["lead_time_for_changes"]["status"] == "red"  # down, twice its target
    assert tiles["pr_pickup_time"]["status"] == "amber"  # down, 5 % over, within the 10 % amber band
    assert tiles["pr_pickup_time"]["owner"] == "Lee Park"
    others = {name: t["status"] for name, t in tiles.items() if name not in
              ("deployment_frequency", "lead_time_for_changes", "pr_pickup_time")}  # fmt: skip
    assert set(others.values()) == {"grey"} and len(others) >= 10


def test_a_team_scope_shows_the_team_and_the_org_target_does_not_colour_it(site):
    server, _, cli, _, _, team = site
    tiles = tiles_of(server, f"?team={team}")
    mine = {row["period_start"]: row["deploy_days_per_week"] for row in cli["team_deployment_frequency"]
            if row["group"] == team}  # fmt: skip
    series = {p["month"]: p["value"] for p in tiles["deployment_frequency"]["series"]}
    assert series == {m: mine.get(m) for m in series}
    assert any(v is not None for v in series.values())
    assert tiles["deployment_frequency"]["status"] == "grey"
    assert "bus_factor" not in tiles  # repositories and files: organization-wide only


def test_a_service_and_a_repository_are_scopes_too(site):
    server, _, cli, _, _, _ = site
    service = busiest_team(cli["service_lead_time"], "changes")
    view = server.get(f"/api/v1/metrics/lead_time_for_changes?service={service}").json()
    assert view["scope"] == f"service:{service}"
    mine = {r["period_start"]: r["median_hours"] for r in cli["service_lead_time"] if r["group"] == service}
    series = {p["month"]: p["value"] for p in view["series"]}
    assert series == {month: mine.get(month) for month in series}
    assert any(p["value"] is not None for p in view["series"])
    both = server.get(f"/api/v1/scorecard?team=x&service={service}")
    assert (both.status_code, both.json()) == (400, {"error": "team and service: expected one scope at a time"})
    unknown = server.get("/api/v1/scorecard?repository=no-such-repository")
    missing = {"error": "repository: no repository named 'no-such-repository'"}
    assert (unknown.status_code, unknown.json()) == (404, missing)


def org_units(db: Path) -> tuple[str, list[str]]:
    """The first unit below the top that has units of its own, and those units (``org tree``)."""
    done = run_quarterdeck("org", "tree", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    top = json.loads(done.stdout)["rows"][0]
    unit = next(child for child in top["children"] if child["children"])
    return unit["unit"], sorted(child["unit"] for child in unit["children"])


def test_a_unit_scope_is_its_subtree_and_drills_down_to_the_units_below(site):
    server, _, cli, _, _, _ = site
    unit, below = cli["units"]
    rows = cli["unit_deployment_frequency"]
    assert {r["group"] for r in rows} == {unit, *below}  # the unit and its teams, nothing above
    tiles = tiles_of(server, f"?unit={unit}")
    mine = {r["period_start"]: r["deploy_days_per_week"] for r in rows if r["group"] == unit}
    series = {p["month"]: p["value"] for p in tiles["deployment_frequency"]["series"]}
    assert series == {m: mine.get(m) for m in series} and any(v is not None for v in series.values())
    assert tiles_of(server, f"?scope=unit:{unit}") == tiles  # as the scope picker sends it
    # the metric page's "By unit": the units one level below, each with its --by unit value
    view = server.get(f"/api/v1/metrics/deployment_frequency?unit={unit}").json()
    assert view["scope"] == f"unit:{unit}"
    last = view["series"][-1]["month"]
    expected = {r["group"]: r["deploy_days_per_week"] for r in rows if r["period_start"] == last}
    assert {u["unit"]: u["value"] for u in view["units"]} == {u: expected[u] for u in below}
    assert {u["kind"] for u in view["units"]} == {"team"}  # leaves: their links open team scopes
    table = list(
        csv.reader(io.StringIO(server.get(f"/api/v1/metrics/deployment_frequency/by-unit.csv?unit={unit}").text))
    )
    assert table[0][:3] == ["unit", "kind", "name"]
    assert [(r[0], float(r[3])) for r in table[1:]] == [(u["unit"], u["value"]) for u in view["units"]]
    # the organization's page lists the top unit's units: here the unit itself
    top = server.get("/api/v1/metrics/deployment_frequency").json()["units"]
    assert [(u["unit"], u["kind"]) for u in top] == [(unit, "unit")]
    assert top[0]["value"] == expected[unit]


@pytest.mark.parametrize("name", ["bus_factor", "hotspots"])
def test_a_repository_tile_equals_its_metric_page_and_its_json(site, name):
    server, _, cli, _, _, _ = site
    rows = cli[name]
    if name == "bus_factor":  # repositories whose bus factor is 1
        expected = float(sum(1 for r in rows if r["bus_factor"] is not None and r["bus_factor"] <= 1))
    else:  # the top hotspot's score
        expected = float(max(r["hotspot_score"] for r in rows))
    tile = tiles_of(server)[name]
    view = server.get(f"/api/v1/metrics/{name}").json()
    assert tile["value"] == view["value"] == expected
    assert view["statistic"] == ("count" if name == "bus_factor" else "max")
    shown = format_value(expected, tile["unit"])
    page = server.get(f"/metrics/{name}").text
    assert html.unescape(re.search(r'<span class="tile-value">(.*?)</span>', page)[1]) == shown
    overview = server.get("/").text
    on_tile = re.search(rf'data-metric="{name}".*?<span class="tile-value">(.*?) <span', overview, re.S)
    assert html.unescape(on_tile[1]) == shown


def test_a_metric_gives_its_rows_its_sql_and_csv(site):
    server, db, cli, since, until, _ = site
    view = server.get("/api/v1/metrics/lead_time_for_changes").json()
    assert view["columns"][:2] == ["group", "period_start"]
    assert [dict(zip(view["columns"], row, strict=True)) for row in view["rows"]] == cli["lead_time_for_changes"]
    assert view["statistic"] == "median" and view["unit"] == "hours"
    explained = run_quarterdeck(
        "metrics", "show", "lead_time_for_changes", "--by", "org", "--grain", "month", "--since", str(since),
        "--until", str(until), "--explain", "--db", str(db),
    )  # fmt: skip
    assert view["sql"] == explained.stdout
    series = list(csv.reader(io.StringIO(server.get("/api/v1/metrics/lead_time_for_changes/series.csv").text)))
    assert series[0] == ["month", "median (hours)"]
    assert [(m, float(v) if v else None) for m, v in series[1:]] == [(p["month"], p["value"]) for p in view["series"]]
    rows = server.get("/api/v1/metrics/lead_time_for_changes/rows.csv")
    assert rows.headers["content-disposition"] == 'attachment; filename="lead_time_for_changes-rows.csv"'
    assert next(csv.reader(io.StringIO(rows.text))) == view["columns"]
    assert {b["team"] for b in view["breakdown"]} and all(isinstance(b["value"], float) for b in view["breakdown"])
    last = view["series"][-1]["month"]
    shipped = {r["group"] for r in cli["service_lead_time"] if r["period_start"] == last and r["changes"]}
    assert {b["service"] for b in view["services"]} == shipped


def test_every_table_downloads_as_csv_with_the_values_of_the_json(site):
    server = site[0]
    tiles = server.get("/api/v1/scorecard").json()["tiles"]
    table = list(csv.DictReader(io.StringIO(server.get("/api/v1/scorecard.csv").text)))
    assert [(r["metric"], r["status"]) for r in table] == [(t["metric"], t["status"]) for t in tiles]
    assert [float(r["value"]) if r["value"] else None for r in table] == [t["value"] for t in tiles]
    view = server.get("/api/v1/metrics/lead_time_for_changes").json()
    for kind, parts in (("team", view["breakdown"]), ("service", view["services"])):
        rows = list(csv.reader(io.StringIO(server.get(f"/api/v1/metrics/lead_time_for_changes/by-{kind}.csv").text)))
        assert rows[0][:2] == [kind, "name"] and rows[0][2].startswith("median (hours), ")
        assert [(r[0], float(r[2])) for r in rows[1:]] == [(p[kind], p["value"]) for p in parts]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/v1/scorecard?until=2024-13-01", 400, "until: expected a day as YYYY-MM-DD, got '2024-13-01'"),
        ("/api/v1/scorecard?months=99", 400, "months: expected 3 to 36, got 99"),
        ("/api/v1/scorecard?team=no-such-team", 404, "team: no team with the id 'no-such-team'"),
        ("/api/v1/scorecard?unit=no-such-unit", 404, "unit: no unit with the id 'no-such-unit'"),
        (
            "/api/v1/scorecard?scope=division:x",
            400,
            "scope: expected KIND:ID with KIND one of unit, team, service, repository, got 'division:x'",
        ),
        ("/api/v1/scorecard?scope=unit:x&team=y", 400, "team and scope: expected one scope at a time"),
        ("/api/v1/metrics/no_such_metric", 404, "no metric named 'no_such_metric'"),
    ],
)
def test_requests_not_understood_are_answered_with_what_was_expected(site, path, status, message):
    answer = site[0].get(path)
    assert (answer.status_code, answer.json()) == (status, {"error": message})


def test_the_openapi_document_names_every_route_and_its_filters(site):
    document = site[0].get("/api/v1/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/v1/scorecard", "/api/v1/scorecard.csv", "/api/v1/metrics", "/api/v1/metrics/{name}",
        "/api/v1/metrics/{name}/series.csv", "/api/v1/metrics/{name}/rows.csv",
        "/api/v1/metrics/{name}/by-unit.csv", "/api/v1/metrics/{name}/by-team.csv",
        "/api/v1/metrics/{name}/by-service.csv", "/api/v1/money", "/api/v1/plans", "/api/v1/plans/plan/{file}",
        "/api/v1/plans/decision/{file}", "/api/v1/plans/org/{file}", "/api/v1/plans/roi/{file}",
        "/api/v1/people", "/api/v1/people/succession", "/api/v1/people/ladder", "/api/v1/people/readiness",
        "/api/v1/people/hiring", "/api/v1/people/surveys", "/api/v1/stack",
    }  # fmt: skip
    names = {p["name"] for p in document["paths"]["/api/v1/scorecard"]["get"]["parameters"]}
    assert names == {"until", "months", "unit", "team", "service", "repository", "scope"}
    listed = site[0].get("/api/v1/metrics").json()["metrics"]
    assert {"deployment_frequency", "headcount", "pr_pickup_time"} <= {m["name"] for m in listed}
