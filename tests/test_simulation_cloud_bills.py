"""The simulator's FOCUS bills (``quarterdeck.simulation.cloud_bills``): what they hold, and,
end to end, that ``quarterdeck ingest cloud-costs`` and ``metrics show cloud_cost`` give back
the simulator's truth per team (worked out here from the rows, independently of the SQL)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from quarterdeck.simulation.cloud_bills import COLUMNS, focus_csv, focus_rows, write_bill
from quarterdeck.simulation.model import World
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files
from quarterdeck.simulation.org_params import OrgParams
from tests.conftest import run_quarterdeck


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(OrgParams(engineers=40, years=1, growth=1.0), 11)


def test_the_bill_tags_most_rows_leaves_some_untagged_and_has_a_second_provider(world: World) -> None:
    rows = focus_rows(world)
    assert focus_rows(world) == rows  # the same seed, the same bill
    untagged = [r for r in rows if r["Tags"] == "{}"]
    assert 0.05 < len(untagged) / len(rows) < 0.35
    assert {r["ProviderName"] for r in rows} == {"AWS", "Cloudflare"}
    assert {r["SubAccountName"] for r in rows} == {"prod", "shared", "edge"}
    assert any(r["ChargeCategory"] == "Credit" and float(r["BilledCost"]) < 0 for r in rows)
    teams = {t.team_id for t in world.teams}
    assert {json.loads(r["Tags"])["team"] for r in rows if "team" in r["Tags"]} <= teams
    first = [r for r in rows if r["ChargePeriodStart"].startswith(world.start.isoformat())]
    last = [r for r in rows if r["ChargePeriodStart"].startswith(rows[-1]["ChargePeriodStart"][:10])]
    assert sum(float(r["BilledCost"]) for r in last) > sum(float(r["BilledCost"]) for r in first)  # growing


def test_the_bill_imported_gives_the_simulators_cost_per_team(world: World, tmp_path: Path) -> None:
    written = write_org_files(world, tmp_path)
    db = tmp_path / "w.duckdb"
    files = [str(p) for k, p in written.items() if k.startswith(("hr/", "org/"))]
    assert run_quarterdeck("ingest", "org", *files, "--db", str(db)).returncode == 0
    bill = tmp_path / "focus.csv"
    bill.write_text(focus_csv(world))
    imported = run_quarterdeck("ingest", "cloud-costs", str(bill), "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    owner = {s.service_id: s.owner_team_id for s in world.services}
    truth: dict[str, float] = defaultdict(float)
    for row in csv.DictReader(io.StringIO(bill.read_text())):
        tags = json.loads(row["Tags"])
        team = tags.get("team") or owner.get(tags.get("service", "")) or "untagged"
        truth[team] += float(row["EffectiveCost"])
    since, until = world.start.isoformat(), world.end.isoformat()
    shown = run_quarterdeck(
        "metrics", "show", "cloud_cost", "--by", "team", "--grain", "window", "--since", since, "--until", until,
        "--db", str(db), "--format", "json",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    got = {row["group"]: row["cost"] for row in json.loads(shown.stdout)["rows"]}
    assert got == {team: round(cost, 2) for team, cost in truth.items()}


def test_the_benchmark_bill_is_written_by_duckdb_in_both_formats(tmp_path: Path) -> None:
    csv_bill = write_bill(tmp_path / "focus.csv", 7000)
    parquet_bill = write_bill(tmp_path / "focus.parquet", 7000, parquet=True)
    assert csv_bill.read_text().splitlines()[0] == ",".join(COLUMNS)
    with duckdb.connect() as con:
        for path in (csv_bill, parquet_bill):
            reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
            counted = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE Tags = '{{}}'), count(*) FILTER (WHERE BilledCost < 0) "
                f"FROM {reader}('{path}')"
            ).fetchall()
            assert counted == [(7000, 1000, 7)]
