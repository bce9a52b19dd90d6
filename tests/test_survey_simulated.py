"""End to end against the simulator's truth: a small simulated organization's HR and org files
and its quarterly survey exports (with their mappings) go through the real CLI, and every
team shown by ``quarterdeck survey`` has the truth's mean, favourable share and eNPS; the teams
under 5 respondents are suppressed; no respondent id is stored."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files, write_org_truth
from quarterdeck.simulation.org_params import OrgParams
from tests.conftest import run_quarterdeck
from tests.warehouse_rows import query, query_each


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("sim")
    world = build_world(OrgParams(engineers=40, years=1), 4)
    write_org_files(world, out)
    write_org_truth(world, out)
    db = out / "w.duckdb"
    files = sorted(str(p) for p in (out / "hr").glob("*.csv")) + sorted(str(p) for p in (out / "org").glob("*.yaml"))
    done = run_quarterdeck("--db", str(db), "ingest", "org", *files, timeout=300)
    assert done.returncode == 0, done.stderr
    for export in sorted((out / "survey").glob("devex-*.csv")):
        mapping = export.with_name(f"{export.stem}-mapping.yaml")
        done = run_quarterdeck("ingest", "survey", str(export), "--mapping", str(mapping), "--db", str(db))
        assert done.returncode == 0, done.stderr
    return out, db


def test_every_team_shown_has_the_truths_scores_and_small_teams_are_suppressed(simulated) -> None:
    out, db = simulated
    with (out / "truth" / "survey.csv").open(newline="") as f:
        truth = list(csv.DictReader(f))
    surveys = sorted({r["survey"] for r in truth})
    assert len(surveys) == 4
    checked = suppressed = 0
    for survey in surveys:
        done = run_quarterdeck("survey", "--survey", survey, "--format", "json", "--db", str(db))
        assert done.returncode == 0, done.stderr
        scores = {(s["group"], s["question"]): s for s in json.loads(done.stdout)["scores"]}
        for row in (r for r in truth if r["survey"] == survey):
            if (row["team_id"], row["question"]) not in scores:
                continue  # people of a unit itself (a director): in the unit's numbers, never alone
            shown = scores[(row["team_id"], row["question"])]
            if int(row["answers"]) < 5:
                assert shown["answers"] == "suppressed", row
                suppressed += 1
                continue
            if shown["answers"] == "suppressed":
                continue  # a complement
            assert shown["answers"] == int(row["answers"])
            if row["question"] == "enps":
                assert shown["enps"] == pytest.approx(float(row["enps"]), abs=1e-4)
            else:
                assert shown["mean"] == pytest.approx(float(row["mean"]), abs=1e-4)
                assert shown["favourable_share"] == pytest.approx(float(row["favourable_share"]), abs=1e-4)
            checked += 1
    assert checked > 100 and suppressed > 0


def test_no_response_id_of_the_exports_is_stored(simulated) -> None:
    out, db = simulated
    ids = set()
    for export in (out / "survey").glob("devex-*.csv"):
        with export.open(newline="") as f:
            ids |= {row["Response ID"] for row in csv.DictReader(f)}
    assert len(ids) > 50
    columns = query(db, "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'")
    stored = set()
    for rows in query_each(db, {(t, c): f'SELECT DISTINCT "{c}" FROM "{t}"' for t, c in columns}).values():
        stored |= {v for (v,) in rows}
    assert not ids & stored
