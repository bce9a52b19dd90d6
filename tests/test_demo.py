"""`quarterdeck demo`: a small simulated organization, ingested through every input, and its
headline numbers against the simulator's truth."""

from __future__ import annotations

import csv
import json
from datetime import date

from quarterdeck.cli.demo import HEADLINES, ORGANIZATION, last_whole_quarter
from tests.conftest import run_quarterdeck


def truth(folder, name: str) -> list[dict[str, str]]:
    with (folder / "sim" / "truth" / name).open() as handle:
        return list(csv.DictReader(handle))


def test_the_demo_summarizes_what_the_simulation_knows(tmp_path):
    keep = tmp_path / "demo"
    result = run_quarterdeck(
        "demo", "--no-serve", "--engineers", "10", "--years", "1", "--seed", "3", "--keep", str(keep),
        "--format", "json", timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {r["metric"]: r for r in json.loads(result.stdout)}
    assert list(rows) == [*ORGANIZATION, *HEADLINES]
    assert all(r["value"] is not None for r in rows.values()), rows
    # headcount on the last day equals the truth at the last month end (the last day is one)
    last = max(r["month_end"] for r in truth(keep, "headcount.csv"))
    assert rows["headcount"]["window"] == f"on {last}"
    assert rows["headcount"]["value"] == sum(
        int(r["headcount"]) for r in truth(keep, "headcount.csv") if r["month_end"] == last
    )
    # deployment frequency: days with a successful production deployment in the last quarter, a week
    first, final = last_whole_quarter(date.fromisoformat(last))
    days = {
        r["finished"][:10]
        for r in truth(keep, "deployments.csv")
        if r["environment"] == "production"
        and r["result"] == "success"
        and first.isoformat() <= r["finished"][:10] <= final.isoformat()
    }
    assert rows["deployment_frequency"]["window"] == f"{first} .. {final}"
    assert abs(rows["deployment_frequency"]["value"] - len(days) * 7 / ((final - first).days + 1)) < 1e-9
    assert "demo: done in" in result.stderr


def test_a_kept_folder_must_be_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_quarterdeck("demo", "--no-serve", "--keep", str(tmp_path))
    assert result.returncode == 2 and "the folder is not empty" in result.stderr
