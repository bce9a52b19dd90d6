"""`quarterdeck demo` as the README runs it (60 engineers, 2 years): the simulated
organization ingested through every input, and its headline numbers against the simulator's
truth, worked out here with plain csv."""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time as clock
import urllib.request
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import yaml

from quarterdeck.cli.demo import HEADLINES, ORGANIZATION, last_whole_quarter
from tests.conftest import run_quarterdeck
from tests.warehouse_rows import query


def truth(folder, name: str) -> list[dict[str, str]]:
    with (folder / "sim" / "truth" / name).open() as handle:
        return list(csv.DictReader(handle))


def quantile(values: list[float], q: float) -> float:
    """quantile_cont(x, q): linear interpolation between the closest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def second(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(microsecond=0)  # GitHub's times drop the fraction


def review_hours_ending_in(keep, first: date, final: date) -> list[float]:
    """Review waits of human pull requests (first review -> approval, or merge if sooner)
    that ended in the window, from truth/pull_requests.csv."""
    opens, closes = datetime.combine(first, time(0), UTC), datetime.combine(final + timedelta(days=1), time(0), UTC)
    hours = []
    for row in truth(keep, "pull_requests.csv"):
        ends = [second(row[c]) for c in ("approved_at", "merged_at") if row[c]]
        if row["bot"] == "no" and row["first_review_at"] and ends and opens <= min(ends) < closes:
            hours.append((min(ends) - second(row["first_review_at"])).total_seconds() / 3600)
    return hours


def test_the_demo_summarizes_what_the_simulation_knows(tmp_path):
    keep = tmp_path / "demo"
    result = run_quarterdeck("demo", "--no-serve", "--seed", "3", "--keep", str(keep), "--format", "json", timeout=600)
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
    # review time: the median of the reviews that ended in the last quarter
    reviews = review_hours_ending_in(keep, first, final)
    assert len(reviews) > 1000
    assert abs(rows["pr_review_time"]["value"] - quantile(reviews, 0.5)) < 1e-9
    shown = run_quarterdeck(
        "metrics", "show", "pr_review_time", "--by", "org", "--grain", "quarter", "--since", first.isoformat(),
        "--until", final.isoformat(), "--db", str(keep / "demo.duckdb"), "--format", "json",
    )  # fmt: skip
    (review,) = json.loads(shown.stdout)["rows"]
    assert review["pull_requests"] == len(reviews)
    assert abs(review["p90_hours"] - quantile(reviews, 0.9)) < 1e-9 and review["p90_hours"] > 1
    assert abs(review["mean_hours"] - sum(reviews) / len(reviews)) < 1e-9
    assert "demo: ingesting the money files (budget, software, company, cloud bill, investment rules)" in result.stderr
    assert_money_stored(keep)
    assert_skills_stored(keep)
    assert_succession_stored(keep)
    assert_readiness_is_the_truth(keep)
    assert_hiring_stored(keep)
    assert_surveys_stored(keep)
    assert "demo: done in" in result.stderr
    proposed = keep / "sim" / "plans" / "proposed-org.yaml"
    listed = f"demo: plans/proposed-org.yaml: quarterdeck org what-if {proposed} --db {keep / 'demo.duckdb'}"
    assert listed in " ".join(result.stderr.split())  # however the console wrapped it
    tried = run_quarterdeck("org", "what-if", str(proposed), "--db", str(keep / "demo.duckdb"), "--format", "json")
    assert tried.returncode == 0, tried.stderr
    assert json.loads(tried.stdout)["date"] == last
    assert_example_plan_runs(keep, last, rows["headcount"]["value"])
    assert_targets_recorded_and_board_pack_written(keep, first, rows["deployment_frequency"]["value"], result.stderr)
    assert "\x1b" not in result.stderr  # no progress bar drawn when stderr is not a terminal


def assert_example_plan_runs(keep, last: str, headcount: int) -> None:
    """The simulator's example plan runs on the demo's warehouse from the quarter after the
    data, its organization starting from the people of the last day, and its talent needs
    give gaps against the simulated skills inventory."""
    plan, db = keep / "sim" / "plans" / "plan.yaml", str(keep / "demo.duckdb")
    ran = run_quarterdeck("plan", "run", str(plan), "--draws", "1000", "--db", db, "--format", "json")
    assert ran.returncode == 0, ran.stderr
    document = json.loads(ran.stdout)
    day = date.fromisoformat(last)
    assert document["data_end"] == last and document["start"] == f"{day.year + 1}Q1"  # the demo ends on 31 December
    first = document["groups"][0]["quarters"][0]["headcount"]
    assert abs(first["p50"] - headcount) <= 0.1 * headcount, (first, headcount)
    gaps = run_quarterdeck("plan", "gaps", str(plan), "--draws", "1000", "--db", db, "--format", "json")
    assert gaps.returncode == 0, gaps.stderr
    assert {g["kind"] for g in json.loads(gaps.stdout)["gaps"]} >= {"skill", "seniority"}


def assert_targets_recorded_and_board_pack_written(keep, first: date, frequency: float, stderr: str) -> None:
    """The example targets sit beside the warehouse with every whole month recorded, and the
    last whole quarter's board pack holds the headline deployment frequency, the same in its
    JSON, its HTML page and its PowerPoint."""
    from pptx import Presentation

    assert (keep / "targets.yaml").read_text() == (keep / "sim" / "targets.yaml").read_text()
    db = keep / "demo.duckdb"
    recorded = query(db, "SELECT metric, scope, count(*) FROM target_history GROUP BY ALL ORDER BY 1, 2")
    targets = {(m, s) for m, s, _ in recorded}
    written = yaml.safe_load((keep / "targets.yaml").read_text())["targets"]
    assert targets == {(t["metric"], t["scope"]) for t in written} and ("deployment_frequency", "org") in targets
    assert len({count for _, _, count in recorded}) == 1 and recorded[0][2] >= 23  # every month of two years
    quarter = f"{first.year}Q{(first.month - 1) // 3 + 1}"
    pack = run_quarterdeck("report", "board", "--quarter", quarter, "--db", str(db), "--format", "json")
    assert pack.returncode == 0, pack.stderr
    figure = next(f for section in json.loads(pack.stdout)["sections"] for f in section["figures"]
                  if f["key"] == "deployment_frequency@org")  # fmt: skip
    assert abs(figure["value"] - frequency) < 1e-9 and figure["target"] == 5
    html = (keep / "board" / f"board-{quarter}.html").read_text()
    slides = Presentation(str(keep / "board" / f"board-{quarter}.pptx"))
    words = " ".join(shape.text_frame.text for slide in slides.slides for shape in slide.shapes if shape.has_text_frame)
    assert figure["text"] in html and figure["text"] in words
    assert f"demo: board pack of {quarter}:" in stderr


def assert_money_stored(keep) -> None:
    """The budget, the software contracts and the company figures are stored, totalling the
    simulator's truth per month and category, per team, and month by month."""
    db = keep / "demo.duckdb"
    budget = query(db, "SELECT strftime(month, '%Y-%m'), category, sum(planned), sum(actual) FROM budget_lines "
                       "GROUP BY ALL ORDER BY 1, 2")  # fmt: skip
    assert budget == [(r["month"], r["category"], Decimal(r["planned"]), Decimal(r["actual"]) if r["actual"] else None)
                      for r in truth(keep, "budget.csv")]  # fmt: skip
    tools = query(db, "SELECT team_id, count(*), sum(annual_cost) FROM tool_spend GROUP BY ALL ORDER BY 1")
    assert tools == [(r["team"], int(r["contracts"]), Decimal(r["annual_cost"])) for r in truth(keep, "tools.csv")]
    company = query(db, "SELECT strftime(month, '%Y-%m'), revenue, cash FROM company_finance ORDER BY 1")
    assert company == [(r["month"], Decimal(r["revenue"]), Decimal(r["cash"])) for r in truth(keep, "company.csv")]
    assert len(company) == 24
    bill = list(csv.DictReader((keep / "sim" / "finance" / "focus.csv").open(newline="")))
    stored = query(db, "SELECT count(*), sum(effective_cost) FROM cloud_costs")
    assert stored == [(len(bill), sum(Decimal(r["EffectiveCost"]) for r in bill))] and len(bill) > 100
    rules = query(db, "SELECT match, team_id FROM cloud_allocation_rules WHERE kind = 'account'")
    assert [match for match, _ in rules] == ["shared"]
    categories = {category for (category,) in query(db, "SELECT category FROM investment_categories")}
    assert {"new_capability", "keep_the_lights_on", "tech_debt", "bugs", "incidents_and_support"} <= categories
    assert query(db, "SELECT categories, project_by FROM capitalization_policy") == [(["new_capability"], "epic")]


def test_a_kept_folder_must_be_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_quarterdeck("demo", "--no-serve", "--keep", str(tmp_path))
    assert result.returncode == 2 and "the folder is not empty" in result.stderr


def test_the_demo_serves_its_dashboard_until_stopped_and_then_removes_its_files(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTERDECK_")}
    env["TMPDIR"] = str(tmp_path)  # where the demo's temporary folder goes
    command = [sys.executable, "-m", "quarterdeck", "demo", "--engineers", "10", "--years", "1", "--port", str(port)]
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/", process, log)
        assert "The organization" in page and "Deployment frequency" in page
        assert list(tmp_path.glob("quarterdeck-demo-*"))  # its files, while it serves
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0, log.read_text()
    assert f"the dashboard is at http://127.0.0.1:{port}/" in log.read_text()
    assert not list(tmp_path.glob("quarterdeck-demo-*"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_page(url: str, process: subprocess.Popen, log, timeout: float = 300) -> str:
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(url, timeout=60) as answer:
                return answer.read().decode()
        except OSError:
            clock.sleep(0.5)
    raise AssertionError(f"no dashboard at {url} within {timeout} s:\n{log.read_text()}")


def assert_succession_stored(keep) -> None:
    """The simulator's succession file is stored line by line, each e-mail its person's."""
    review = list(csv.DictReader((keep / "sim" / "people" / "succession.csv").open(newline="")))
    stored = query(keep / "demo.duckdb", "SELECT r.email, p.email, s.readiness, strftime(s.as_of, '%Y-%m-%d') "
                   "FROM successors s JOIN people r ON r.person_id = s.role_id "
                   "JOIN people p ON p.person_id = s.successor_id ORDER BY s.line")  # fmt: skip
    assert stored == [(r["role"], r["successor"], r["readiness"], r["date"]) for r in review]
    assert stored


def assert_readiness_is_the_truth(keep) -> None:
    """The simulator's assessments are stored, and readiness on the last assessment day is
    the simulator's truth for everyone it assessed then."""
    truth = list(csv.DictReader((keep / "sim" / "truth" / "readiness.csv").open(newline="")))
    last = max(r["date"] for r in truth)
    shown = run_quarterdeck("ladder", "readiness", "--at", last, "--format", "json", "--db", str(keep / "demo.duckdb"))
    assert shown.returncode == 0, shown.stderr
    got = {r["person_id"]: (r["competencies_met"], r["competencies_next"]) for r in json.loads(shown.stdout)["rows"]}
    expected = {r["person_id"]: (int(r["competencies_met"]), int(r["competencies_next"])) for r in truth
                if r["date"] == last}  # fmt: skip
    assert len(expected) > 50
    assert {p: got[p] for p in expected} == expected
def assert_surveys_stored(keep) -> None:
    """Each quarter's survey export is stored, its responses per team those of the truth."""
    truth = list(csv.DictReader((keep / "sim" / "truth" / "survey.csv").open(newline="")))
    expected = {(r["survey"], r["team_id"], int(r["answers"])) for r in truth if r["question"] == "enps"}
    stored = query(keep / "demo.duckdb", "SELECT survey_id, team_id, responses FROM survey_team_responses")
    assert set(stored) == expected and len({s for s, _, _ in stored}) == 8


def assert_skills_stored(keep) -> None:
    """The simulator's skills inventory is stored line by line, each e-mail its person's."""
    inventory = list(csv.DictReader((keep / "sim" / "people" / "skills.csv").open(newline="")))
    stored = query(keep / "demo.duckdb", "SELECT p.email, s.skill, s.level, strftime(s.as_of, '%Y-%m-%d') "
                   "FROM skills s JOIN people p USING (person_id) ORDER BY s.line")  # fmt: skip
    assert stored == [(r["person"], r["skill"], int(r["level"]), r["date"]) for r in inventory]
    assert len(stored) > 100


def assert_hiring_stored(keep) -> None:
    """The simulator's hiring pipeline is stored line by line, and `quarterdeck hiring` on the
    demo's warehouse gives the truth's time to fill (every hire's requisition filled)."""
    lines = list(csv.DictReader((keep / "sim" / "people" / "hiring.csv").open(newline="")))
    assert query(keep / "demo.duckdb", "SELECT count(*) FROM hiring_stages") == [(len(lines),)]
    filled = sorted(int(r["time_to_fill_days"]) for r in truth(keep, "hiring.csv"))
    accepted = [r["accepted"] for r in truth(keep, "hiring.csv")]
    shown = run_quarterdeck("hiring", "--since", min(accepted), "--until", max(accepted), "--show", "time_to_fill",
                            "--format", "json", "--db", str(keep / "demo.duckdb"))  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    (org,) = json.loads(shown.stdout)["time_to_fill"]
    assert org["filled"] == len(filled) > 10 and org["median_days"] == quantile(filled, 0.5)
