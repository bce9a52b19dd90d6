"""The simulator's build files declare real dependencies (simulation/stack_manifests.py): the
inventory read from a simulated organization's repositories equals ``truth/stack.csv``, and
the same library sits at several versions across repositories (version sprawl)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.warehouse_rows import query


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("stack-sim")
    done = run_quarterdeck("simulate", "--engineers", "10", "--years", "1", "--seed", "3", "--out", str(folder / "sim"),
                           timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    db = folder / "w.duckdb"
    done = run_quarterdeck("--db", str(db), "ingest", "git", str(folder / "sim" / "git"), timeout=300)
    assert done.returncode == 0, done.stderr
    return folder / "sim", db


def truth(sim: Path) -> list[dict[str, str]]:
    with (sim / "truth" / "stack.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_inventory_of_the_simulated_build_files_is_the_truth(simulated) -> None:
    sim, db = simulated
    expected = sorted(
        (r["repository"], r["ecosystem"], r["manifest"], r["dependency"], r["version"], r["scope"]) for r in truth(sim)
    )
    assert len(expected) >= 10 and {e[1] for e in expected} == {"python", "go"}
    found = query(
        db,
        "SELECT r.name, d.ecosystem, d.manifest, d.name, d.declared, d.scope FROM stack_dependencies d "
        "JOIN repositories r USING (repository_id) WHERE d.manifest IN ('pyproject.toml', 'go.mod') ORDER BY ALL",
    )
    assert found == expected


def test_version_sprawl_of_the_simulation_counts_the_truths_versions(simulated) -> None:
    sim, db = simulated
    versions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in truth(sim):
        versions[(r["ecosystem"], r["dependency"])].add(r["version"])
    sprawling = {key: sorted(v) for key, v in versions.items() if len(v) > 1}
    assert sprawling  # the catalog's versions differ between repositories
    done = run_quarterdeck("--db", str(db), "stack", "sprawl", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed = {(r["ecosystem"], r["dependency"]): r["version_list"].split(", ") for r in json.loads(done.stdout)["rows"]}
    assert listed == sprawling
