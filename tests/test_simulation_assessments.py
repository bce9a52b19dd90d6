"""The simulator's assessments (people/assessments.csv) against the built-in ladder and their
truth (truth/readiness.csv): ratings agree with the promotions the simulation makes, and
Quarterdeck's readiness, from the real CLI after the organization's exports, equals the
truth on every assessment day."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files
from quarterdeck.simulation.org_params import OrgParams
from tests.conftest import run_quarterdeck


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(OrgParams(engineers=30, years=2), 3)


@pytest.fixture(scope="module")
def files(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("assessments-sim")
    write_org_files(world, out)
    return out


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_someone_promoted_within_a_year_of_an_assessment_met_the_next_level_then(files: Path) -> None:
    truth = table(files / "truth" / "readiness.csv")
    promoted = [r for r in truth if r["promoted_on"]]
    soon = [r for r in promoted if (date.fromisoformat(r["promoted_on"]) - date.fromisoformat(r["date"])).days <= 365]
    assert soon, "the simulation promotes someone within a year of an assessment"
    assert all(r["competencies_met"] == r["competencies_next"] and r["readiness"] == "1.0000" for r in soon)
    others = [r for r in truth if r not in soon]
    assert others and sum(r["readiness"] == "1.0000" for r in others) < len(others) / 2


def test_the_ratings_are_on_the_built_in_scale_and_name_its_competencies(files: Path) -> None:
    from quarterdeck.config.ladder_file import default_ladder

    ladder = default_ladder()
    names = {c.name for c in ladder.competencies}
    rows = table(files / "people" / "assessments.csv")
    assert rows and {r["competency"] for r in rows} <= names
    assert {int(r["rating"]) for r in rows} <= set(ladder.scale)


def test_quarterdecks_readiness_after_ingesting_the_files_equals_the_truth(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    org = sorted((files / "hr").glob("*.csv")) + sorted((files / "org").glob("*.yaml"))
    done = run_quarterdeck("--db", str(db), "ingest", "org", *map(str, org))
    assert done.returncode == 0, done.stderr
    done = run_quarterdeck("--db", str(db), "ingest", "assessments", str(files / "people" / "assessments.csv"))
    assert done.returncode == 0, done.stderr
    truth = table(files / "truth" / "readiness.csv")
    for day in sorted({r["date"] for r in truth}):
        result = run_quarterdeck("ladder", "readiness", "--at", day, "--format", "json", "--db", str(db))
        assert result.returncode == 0, result.stderr
        got = {r["person_id"]: r for r in json.loads(result.stdout)["rows"]}
        for row in (r for r in truth if r["date"] == day):
            mine = got[row["person_id"]]
            assert (mine["level"], mine["next_level"]) == (row["level"], row["next_level"])
            assert (mine["competencies_met"], mine["competencies_next"]) == (
                int(row["competencies_met"]), int(row["competencies_next"]))  # fmt: skip
            assert mine["readiness"] == pytest.approx(float(row["readiness"]), abs=1e-4)
