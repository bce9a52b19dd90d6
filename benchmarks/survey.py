"""Benchmark: survey import and every survey aggregate for 5,000 respondents x 40 questions
x 8 quarters (issue 18: under 5 s).

Usage:
    python benchmarks/survey.py [--respondents 5000] [--questions 40] [--quarters 8] [--reps 3]

1. Writes, in a temporary folder: an organization of 10 units x 10 teams with 5,600 people
   (an org file and a people export, ingested through the real CLI: not timed), and 8
   quarterly exports of a form tool (one row per response: a respondent id, the team, 40
   Likert items 1-5 of which one is eNPS 0-10... see ``export``) with their mappings. About
   1 team in 10 has under 5 respondents, so suppression has work to do.
2. In one process (as ``quarterdeck serve`` would, Python start-up not counted), ``--reps``
   times, median seconds:
   - the reference: DuckDB reading the same 8 CSVs (``read_csv``) and computing each
     question's mean per team (UNPIVOT, GROUP BY): the least any import must read;
   - the import: the 8 files through the survey source, as ``quarterdeck ingest survey``;
   - the aggregates: every survey's report (by team and unit, themes moved since the survey
     before) and the theme scores over time.
Prints seconds and the ratio against the reference; a missed target is reported.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import cpu_model

from quarterdeck.config import Settings
from quarterdeck.metrics.survey import all_reports
from quarterdeck.metrics.survey_view import history_rows
from quarterdeck.pipeline.run import run_source
from quarterdeck.sources.project_file import one_off
from quarterdeck.sources.reading import SyncContext
from quarterdeck.store.warehouse import open_warehouse

TARGET_S = 5.0
THEMES = ("build speed", "review", "on-call", "deployment", "focus", "collaboration", "cognitive load", "retention")


def organization(folder: Path, units: int = 10, teams: int = 10, people: int = 5600) -> tuple[Path, Path]:
    lines = ["teams:", "  - {id: eng, name: Engineering}"]
    team_ids = []
    for u in range(units):
        lines.append(f"  - {{id: unit{u}, name: Unit {u}, parent: eng}}")
        for t in range(teams):
            team_ids.append(f"team{u}_{t}")
            lines.append(f"  - {{id: team{u}_{t}, name: Team {u}.{t}, parent: unit{u}}}")
    org = folder / "org-2024-01-01.yaml"
    org.write_text("\n".join(lines) + "\n")
    rows = ["id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost"]
    for n in range(people):
        team = team_ids[n % len(team_ids)]
        rows.append(f"E{n},P {n},e{n}@x.com,Engineer,IC3,engineer,,{team},Berlin,full-time,2023-01-01,,1")
    hr = folder / "people-2024-01-01.csv"
    hr.write_text("\n".join(rows) + "\n")
    return org, hr


def export(folder: Path, quarter: int, respondents: int, questions: int, teams: list[str], rng: random.Random) -> Path:
    columns = [f"Question {q + 1}: how do you rate it?" for q in range(questions)]
    header = ["Respondent ID", "Team", *columns]
    weights = [0.3 if i % 10 == 0 else 1.0 for i in range(len(teams))]  # 1 team in 10 answers little
    lines = [",".join(header)]
    for r in range(respondents):
        team = rng.choices(teams, weights)[0]
        values = [str(rng.randint(0, 10)) if q == 0 else str(rng.randint(1, 5)) for q in range(questions)]
        lines.append(",".join([f"R{quarter}-{r:05d}", team, *values]))
    path = folder / f"devex-q{quarter}.csv"
    path.write_text("\n".join(lines) + "\n")
    year, q = 2024 + quarter // 4, quarter % 4 + 1
    mapping = [f"survey: devex-{year}-Q{q}", f"period: {year}-Q{q}", "team_column: Team",
               "dropped_columns: [Respondent ID]", "questions:"]  # fmt: skip
    for n, column in enumerate(columns):
        kind = "enps" if n == 0 else "likert\n    scale: 5"
        theme = THEMES[n % len(THEMES)]
        mapping.append(f'  - column: "{column}"\n    id: q{n + 1}\n    kind: {kind}\n    theme: {theme}')
    (folder / f"devex-q{quarter}-mapping.yaml").write_text("\n".join(mapping) + "\n")
    return path


def reference(files: list[Path], questions: int) -> float:
    start = time.perf_counter()
    con = duckdb.connect()
    for file in files:
        con.execute(
            f"SELECT \"Team\", question, avg(value::INTEGER) FROM (UNPIVOT read_csv('{file}', header = true, "
            f'all_varchar = true) ON COLUMNS(* EXCLUDE ("Respondent ID", "Team")) INTO NAME question VALUE value) '
            "GROUP BY ALL"
        ).fetchall()
    con.close()
    return time.perf_counter() - start


def ingest(settings: Settings, files: list[Path]) -> float:
    start = time.perf_counter()
    with open_warehouse(settings.db) as warehouse:
        for file in files:
            config = one_off("survey", (str(file),), mapping=str(file.with_name(f"{file.stem}-mapping.yaml")))
            results = run_source(warehouse, settings, config, SyncContext(None, datetime.now(UTC)))
            failed = [r.error for r in results if r.error is not None]
            if failed:
                raise SystemExit(f"import failed: {failed[0]}")
    return time.perf_counter() - start


def aggregates(settings: Settings) -> float:
    start = time.perf_counter()
    with open_warehouse(settings.db, read_only=True) as warehouse:
        reports = all_reports(warehouse, settings.min_group_size)
        history_rows(reports, "team") + history_rows(reports, "unit")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "w.duckdb"
        for file in organization(folder):
            subprocess.run([sys.executable, "-m", "quarterdeck", "--db", str(db), "ingest", "org", str(file)],
                           check=True, capture_output=True)  # fmt: skip
        teams = [f"team{u}_{t}" for u in range(10) for t in range(10)]
        rng = random.Random(7)
        files = [export(folder, q, args.respondents, args.questions, teams, rng) for q in range(args.quarters)]
        settings = Settings(db=db)
        runs = []
        for _ in range(args.reps):
            runs.append((reference(files, args.questions), ingest(settings, files), aggregates(settings)))
        ref, imp, agg = (statistics.median(r[i] for r in runs) for i in range(3))
    total = imp + agg
    print(f"machine: {cpu_model()}; {args.respondents} respondents x {args.questions} questions x {args.quarters} "
          f"quarters, median of {args.reps}")  # fmt: skip
    print(f"reference (DuckDB read_csv + per-team means): {ref:.3f} s")
    print(f"import (8 files through the survey source):   {imp:.3f} s")
    print(f"aggregates (every report, moves, over time):  {agg:.3f} s")
    print(f"total {total:.3f} s, {total / ref:.1f}x the reference; target {TARGET_S} s: "
          f"{'met' if total < TARGET_S else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
