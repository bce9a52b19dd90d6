"""The simulator's hiring pipeline (people/hiring.csv, people/requisitions.csv, truth/hiring.csv):
every hire of the simulation has a requisition whose candidates go through the funnel, and
the real `quarterdeck hiring` finds the truth's time to fill after the real imports."""

from __future__ import annotations

import csv
import json
import re
import statistics
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files, write_org_truth
from quarterdeck.simulation.org_params import OrgParams
from tests.conftest import run_quarterdeck

FUNNEL = ["applied", "screen", "interview", "offer", "hired"]


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(OrgParams(engineers=30, years=2), 3)


@pytest.fixture(scope="module")
def files(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hiring-sim")
    write_org_files(world, out)
    write_org_truth(world, out)
    return out


def table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_hire_has_a_requisition_whose_hire_accepts_before_starting(world: World, files: Path) -> None:
    hires = {p.person_id: p for p in world.people if world.start <= p.start < world.end}
    truth = {r["requisition"]: r for r in table(files / "truth" / "hiring.csv")}
    assert set(truth) == {f"REQ-{person}" for person in hires} and len(truth) > 5
    lines = table(files / "people" / "hiring.csv")
    by_candidate: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for line in lines:
        by_candidate[(line["requisition"], line["candidate"])].append(line)
        assert re.fullmatch(r"C\d{6}", line["candidate"])  # ids, never names
    for (req, _), stages in by_candidate.items():
        days = [date.fromisoformat(s["date"]) for s in stages]
        assert [s["stage"] for s in stages] == FUNNEL[: len(stages)] and days == sorted(days)
        assert [bool(s["outcome"]) for s in stages] == [False] * (len(stages) - 1) + [True]
        if stages[-1]["stage"] == "hired":
            person = hires[req.removeprefix("REQ-")]
            assert date.fromisoformat(truth[req]["accepted"]) == days[-1]
            assert timedelta(days=14) <= person.start - days[-1] <= timedelta(days=42)
    hired = [key for key, stages in by_candidate.items() if stages[-1]["stage"] == "hired"]
    assert sorted(req for req, _ in hired) == sorted(truth)  # one hire per requisition
    assert len(by_candidate) >= 7 * len(truth)


def test_the_imports_give_the_truths_time_to_fill_by_team(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    org = [*sorted((files / "hr").glob("*.csv")), *sorted((files / "org").glob("*.yaml"))]
    for args in (("org", *map(str, org)), ("positions", str(files / "people" / "requisitions.csv")),
                 ("hiring", str(files / "people" / "hiring.csv"))):  # fmt: skip
        done = run_quarterdeck("--db", str(db), "ingest", *args)
        assert done.returncode == 0, done.stderr
    truth = table(files / "truth" / "hiring.csv")
    since = min(r["accepted"] for r in truth)
    until = max(r["accepted"] for r in truth)
    done = run_quarterdeck("--db", str(db), "hiring", "--since", since, "--until", until, "--by", "team",
                           "--show", "time_to_fill", "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = {r["group"]: (r["filled"], r["median_days"]) for r in json.loads(done.stdout)["time_to_fill"]}
    by_team: dict[str, list[int]] = defaultdict(list)
    for row in truth:
        by_team[row["team"]].append(int(row["time_to_fill_days"]))
    assert found == {team: (len(days), statistics.median(days)) for team, days in by_team.items()}
