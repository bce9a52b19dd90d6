"""The simulated GitHub and Jira: the API files, the replay server, and the waits end to end.

A small organization is simulated (people, pull requests, git repositories), its GitHub and
Jira answers are written and served on 127.0.0.1, and the real CLI imports the HR and org
files and then syncs every source of the simulation's project file through the real
connectors. What the warehouse holds and what the wait ledger computes is compared with the
plan and the truth files, computed here independently with Python (the median as
``quantile_cont`` interpolates).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import itertools
import json
import math
import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.request import urlopen

import duckdb
import pytest

from quarterdeck.simulation.api_jira import write_api
from quarterdeck.simulation.org_params import OrgParams
from quarterdeck.simulation.replay_server import serve_api
from quarterdeck.simulation.run import Simulated, SimulationParams, pull_request_truth, simulate_code
from tests.conftest import run_quarterdeck
from tests.investment_rules import categories_by_rules, days_of, employed_in
from tests.warehouse_rows import query

SEED = 5
SINCE, UNTIL = date(2024, 1, 1), date(2024, 12, 31)  # the simulated year (OrgParams starts 2024-01-01)
ENV = {
    "SIMULATION_GITHUB_TOKEN": "sim-token",
    "SIMULATION_JIRA_TOKEN": "sim-token",
    "SIMULATION_JIRA_EMAIL": "sim@acme.example",
    "QUARTERDECK_MIN_GROUP_SIZE": "2",
}


def simulate(out: Path) -> Simulated:
    made = simulate_code(SimulationParams(OrgParams(engineers=10, years=1)), SEED, out)
    (out / "truth" / "pull_requests.csv").write_text(pull_request_truth(made.planned), encoding="utf-8")
    write_api(made.world, made.planned, made.written, out, SEED)
    return made


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Simulated, Path, list[str]]:
    """The simulation, and a warehouse with its org files and its GitHub and Jira synced."""
    root = tmp_path_factory.mktemp("simulated-api")
    made = simulate(root / "sim")
    db = root / "warehouse.duckdb"
    files = sorted(str(p) for p in (made.out / "hr").glob("*.csv")) + sorted(
        str(p) for p in (made.out / "org").glob("*.yaml")
    )
    done = run_quarterdeck("ingest", "org", *files, "--db", str(db), env=ENV)
    assert done.returncode == 0, done.stderr
    done = run_quarterdeck("ingest", "git", str(made.out / "git"), "--db", str(db), env=ENV)  # the allocation's commits
    assert done.returncode == 0, done.stderr
    with serve_api(made.out / "api") as server:
        project = server.write_project_file(root / "quarterdeck.yaml")
        done = run_quarterdeck("ingest", "all", "--project-file", str(project), "--db", str(db), env=ENV)
        assert done.returncode == 0, done.stdout + done.stderr
        assert server.missing == []
    return made, db, [done.stdout]


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_same_seed_writes_byte_identical_api_files_on_any_number_of_processes(tmp_path: Path):
    first, second = simulate(tmp_path / "a"), simulate(tmp_path / "b")
    assert digest(first.out / "api") == digest(second.out / "api")
    write_api(first.world, first.planned, first.written, tmp_path / "one", SEED, workers=1)
    assert digest(tmp_path / "one" / "api") == digest(first.out / "api")
    assert (first.out / "truth" / "issues.csv").read_bytes() == (second.out / "truth" / "issues.csv").read_bytes()
    assert len(digest(first.out / "api")) == len(first.written) + 3 + 2  # repositories, Jira files, routes, project


def test_the_server_answers_recorded_requests_rewrites_its_address_and_refuses_the_rest(tmp_path: Path):
    made = simulate(tmp_path / "sim")
    repository = f"acme/{sorted(made.written)[0]}"
    with serve_api(made.out / "api") as server:
        with urlopen(
            f"{server.base_url}/repos/{repository}/pulls?state=all&sort=updated&direction=desc&per_page=100"
        ) as r:
            pulls = json.load(r)
            link = r.headers.get("Link", "")
        assert pulls and pulls[0]["url"].startswith(f"{server.base_url}/repos/{repository}/pulls/")
        assert "replay.invalid" not in link
        with pytest.raises(Exception) as refused:
            urlopen(f"{server.base_url}/repos/{repository}/pulls?state=open")
        assert refused.value.code == 404 and "no answer" in json.load(refused.value)["message"]
        assert server.missing == [f"/repos/{repository}/pulls?state=open"]
        project = server.write_project_file(tmp_path / "quarterdeck.yaml").read_text(encoding="utf-8")
        assert f"base_url: {server.base_url}" in project and repository in project
    with pytest.raises(ValueError):
        serve_api(made.out / "api", host="0.0.0.0")


def test_every_planned_pull_request_and_review_is_stored(synced):
    made, db, _ = synced
    planned = [p for pulls in made.planned.values() for p in pulls]
    stored = query(db, "SELECT count(*), count(DISTINCT repository) FROM pull_requests")[0]
    assert stored == (len(planned), len(made.written))
    assert query(db, "SELECT count(*) FROM pr_reviews")[0][0] == sum(len(p.reviews) for p in planned)
    assert query(db, "SELECT count(*) FROM pr_commits")[0][0] == sum(len(p.work.commits) for p in planned)
    merged = {(f"acme/{p.repository}", p.number): made.written[p.repository].shas[p.work.merge.key]
              for p in planned if p.work.merge is not None}  # fmt: skip
    rows = query(db, "SELECT repository, number, merge_commit_sha FROM pull_requests WHERE merged_at IS NOT NULL")
    assert {(r, n): sha for r, n, sha in rows} == merged
    drafts = sum(1 for p in planned if p.draft)
    assert query(db, "SELECT count(*) FROM pr_events WHERE event = 'ready_for_review'")[0][0] == drafts


def test_pickup_time_by_team_equals_the_truth(synced):
    made, db, _ = synced
    expected = pickup_truth(made)
    shown = metric_rows(db, "pr_pickup_time")
    compared = 0
    for row in shown:
        hours = expected.get((row["group"], row["period_start"]), [])
        assert row["pull_requests"] == len(hours), row
        if hours and row["median_hours"] not in (None, "<2"):
            assert row["median_hours"] == pytest.approx(median(hours), rel=1e-9, abs=1e-9), row
            compared += 1
    assert {k for k, v in expected.items() if v} == {
        (r["group"], r["period_start"]) for r in shown if r["pull_requests"]
    }
    assert compared >= 6


def test_review_time_by_team_equals_the_truth(synced):
    made, db, _ = synced
    expected = review_truth(made)
    shown = metric_rows(db, "pr_review_time")
    compared = 0
    for row in shown:
        hours = [h for _, _, h in expected.get((row["group"], row["period_start"]), [])]
        assert row["pull_requests"] == len(hours), row
        if hours and row["median_hours"] not in (None, "<2"):
            assert row["median_hours"] == pytest.approx(median(hours), rel=1e-9, abs=1e-9), row
            compared += 1
    assert compared >= 6


def test_engineer_hours_of_pickup_and_review_equal_the_truth_cut_to_working_hours(synced):
    """engineer_hours_waiting's pickup and review hours: each wait of the truth cut to the
    default working day (09:00-17:00, Monday to Friday, UTC), an author's overlapping waits of
    one kind counted once, each day's hours for the author's team that day."""
    made, db, _ = synced
    expected: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: {"pickup": 0.0, "review": 0.0})
    for kind, waits in (("pickup", pickup_waits(made)), ("review", review_waits(made))):
        for (author, day), pieces in working_pieces(waits).items():
            key = (team_on(made, author, day), quarter(day))
            expected[key][kind] += union_hours(pieces)
    rows = metric_rows(db, "engineer_hours_waiting")
    compared = 0
    for row in rows:
        for kind in ("pickup", "review"):
            if isinstance(row[f"{kind}_hours"], (int, float)):
                assert row[f"{kind}_hours"] == pytest.approx(
                    expected[(row["group"], row["period_start"])][kind], rel=1e-9, abs=1e-6
                ), (row, kind)
                compared += 1
    assert compared >= 8


def pickup_waits(made: Simulated) -> list[tuple[str, datetime, datetime]]:
    """(author, ready, first review) of every human pull request reviewed."""
    return [(a, ready, first) for a, ready, first, _ in human_reviews(made)]


def review_waits(made: Simulated) -> list[tuple[str, datetime, datetime]]:
    """(author, first review, approval or merge if sooner) of every human pull request whose review ended."""
    return [(a, first, done) for a, _, first, done in human_reviews(made) if done is not None]


def human_reviews(made: Simulated) -> list[tuple[str, datetime, datetime, datetime | None]]:
    found = []
    with (made.out / "truth" / "pull_requests.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["bot"] == "yes" or not row["first_review_at"]:
                continue
            ends = [second(row[c]) for c in ("approved_at", "merged_at") if row[c]]
            done = min(ends) if ends else None
            found.append((row["author_id"], second(row["ready_at"]), second(row["first_review_at"]), done))
    return found


def review_truth(made: Simulated) -> dict[tuple[str, str], list[tuple[str, datetime, float]]]:
    """(team of the author when the review ended, quarter) -> review waits ending in the window."""
    found: dict[tuple[str, str], list[tuple[str, datetime, float]]] = defaultdict(list)
    opens, closes = datetime.combine(SINCE, time(0), UTC), datetime.combine(UNTIL + timedelta(days=1), time(0), UTC)
    for author, first, done in review_waits(made):
        if opens <= done < closes:
            key = (team_on(made, author, done.date()), quarter(done.date()))
            found[key].append((author, done, (done - first).total_seconds() / 3600))
    return found


def working_pieces(
    waits: list[tuple[str, datetime, datetime]],
) -> dict[tuple[str, date], list[tuple[datetime, datetime]]]:
    """Each wait cut to the working hours of each weekday of the window, by (author, day)."""
    pieces: dict[tuple[str, date], list[tuple[datetime, datetime]]] = defaultdict(list)
    for author, start, end in waits:
        day = max(start.date(), SINCE)
        while day <= min(end.date(), UNTIL):
            if day.weekday() < 5:
                low = max(start, datetime.combine(day, time(9), UTC))
                high = min(end, datetime.combine(day, time(17), UTC))
                if low < high:
                    pieces[(author, day)].append((low, high))
            day += timedelta(days=1)
    return pieces


def union_hours(pieces: list[tuple[datetime, datetime]]) -> float:
    total, reach = 0.0, None
    for low, high in sorted(pieces):
        if reach is not None and low < reach:
            low = reach
        if high > low:
            total += (high - low).total_seconds() / 3600
        reach = high if reach is None else max(reach, high)
    return total


def test_blocked_time_by_team_equals_the_truth(synced):
    made, db, _ = synced
    expected = blocked_truth(made)
    assert len(expected) >= 4  # teams x quarters with blocked issues
    shown = {(r["group"], r["period_start"]): r["blocked_hours"] for r in metric_rows(db, "issue_blocked_time")}
    assert {k for k, v in shown.items() if v} == set(expected)
    for key, hours in expected.items():
        assert shown[key] == pytest.approx(hours, rel=1e-9), key
    truth = list(csv.DictReader((made.out / "truth" / "issues.csv").open(encoding="utf-8")))
    assert query(db, "SELECT count(*) FROM issues WHERE source = 'jira'")[0][0] == len(truth)
    bugs = query(db, "SELECT count(*) FROM issues WHERE is_bug")[0][0]
    assert bugs == sum(1 for row in truth if row["type"] == "Bug") > 0


def test_critical_bugs_by_team_equal_the_truth(synced):
    """The simulated bugs of priority Highest are the critical ones (the default rule); open
    at each week's end for the team of their assignee on its last day; found in production
    when their Environment says Production (the bugs numbered a multiple of 3)."""
    made, db, _ = synced
    truth = list(csv.DictReader((made.out / "truth" / "issues.csv").open(encoding="utf-8")))
    critical = [row for row in truth if row["type"] == "Bug" and row["priority"] == "Highest"]
    weeks = [SINCE + timedelta(days=7 * n) for n in range(53)]  # Mondays; the last one is cut at the window's end
    open_at: dict[tuple[str, str], int] = defaultdict(int)
    found: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for row in critical:
        created = datetime.fromisoformat(row["created"])
        resolved = datetime.fromisoformat(row["resolved"]) if row["resolved"] else None
        for week in weeks:
            end = min(week + timedelta(days=7), UNTIL + timedelta(days=1))
            moment = datetime.combine(end, time(0), UTC)
            if created < moment and (resolved is None or resolved >= moment):
                open_at[(team_on(made, row["assignee"], end - timedelta(days=1)), week.isoformat())] += 1
        production = int(row["issue"].rsplit("-", 1)[1]) % 3 == 0
        found[(team_on(made, row["assignee"], created.date()), quarter(created.date()))].append(production)
    assert sum(open_at.values()) >= 2 and len(found) >= 2 and any(any(v) for v in found.values())
    weekly = metric_rows(db, "open_critical_bugs", "--grain", "week")
    assert {(r["group"], r["period_start"]): r["open"] for r in weekly if r["open"]} == dict(open_at)
    rates = {(r["group"], r["period_start"]): r for r in metric_rows(db, "critical_bug_escape_rate")}
    assert {k: (r["found"], r["in_production"]) for k, r in rates.items() if r["found"]} == {
        k: (len(v), sum(v)) for k, v in found.items()
    }


def metric_rows(db: Path, name: str, *more: str) -> list[dict]:
    """The rows of the SQL ``metrics show NAME --by team --explain`` prints, run in DuckDB:
    the numbers before groups of fewer people than privacy.min_group_size are hidden (the
    truth knows every team's, however small), dates as JSON writes them."""
    done = run_quarterdeck(
        "metrics", "show", name, "--by", "team", "--grain", "quarter", "--explain",
        "--since", SINCE.isoformat(), "--until", UNTIL.isoformat(), "--db", str(db), *more, env=ENV,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(done.stdout)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return [{c: v.isoformat() if isinstance(v, date) else v for c, v in zip(columns, row, strict=True)} for row in rows]


def team_on(made: Simulated, person_id: str, day: date) -> str:
    stint = made.world.person(person_id).stint_on(day)
    return stint.team_id if stint is not None else "(no team)"


def quarter(day: date) -> str:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1).isoformat()


def second(text: str) -> datetime:
    """A truth time as the API gives it: whole seconds (GitHub drops the fraction)."""
    return datetime.fromisoformat(text).replace(microsecond=0)


def pickup_truth(made: Simulated) -> dict[tuple[str, str], list[float]]:
    """(team of the author when picked up, quarter) -> pickup hours of human pull requests
    picked up in the window, from truth/pull_requests.csv."""
    found: dict[tuple[str, str], list[float]] = defaultdict(list)
    end = datetime.combine(UNTIL + timedelta(days=1), time(0), UTC)
    with (made.out / "truth" / "pull_requests.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["bot"] == "yes" or not row["first_review_at"]:
                continue
            ready, first = second(row["ready_at"]), second(row["first_review_at"])
            if not datetime.combine(SINCE, time(0), UTC) <= first < end:
                continue
            key = (team_on(made, row["author_id"], first.date()), quarter(first.date()))
            found[key].append((first - ready).total_seconds() / 3600)
    return found


def median(values: list[float]) -> float:
    """quantile_cont(x, 0.5): linear interpolation between the closest ranks."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * 0.5
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def blocked_truth(made: Simulated) -> dict[tuple[str, str], float]:
    """(team of the assignee on each piece's last day, quarter) -> blocked hours, from
    truth/issues.csv, each stretch cut at the window's and the quarters' boundaries."""
    opens, closes = datetime.combine(SINCE, time(0), UTC), datetime.combine(UNTIL + timedelta(days=1), time(0), UTC)
    bounds = [datetime(2024, m, 1, tzinfo=UTC) for m in (1, 4, 7, 10)] + [datetime(2025, 1, 1, tzinfo=UTC)]
    found: dict[tuple[str, str], float] = defaultdict(float)
    with (made.out / "truth" / "issues.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["blocked_from"]:
                continue
            start, stop = datetime.fromisoformat(row["blocked_from"]), datetime.fromisoformat(row["blocked_until"])
            for low, high in itertools.pairwise(bounds):
                a, b = max(start, low, opens), min(stop, high, closes)
                if a < b:
                    last_day = (b - timedelta(microseconds=1)).date()
                    found[(team_on(made, row["assignee"], last_day), low.date().isoformat())] += (
                        b - a
                    ).total_seconds() / 3600
    return dict(found)


def test_response_files_are_gzip_lines_of_request_status_headers_body(tmp_path: Path):
    made = simulate(tmp_path / "sim")
    routes = json.loads((made.out / "api" / "routes.json").read_text(encoding="utf-8"))
    first = routes["routes"][0]
    line = gzip.decompress((made.out / "api" / first["file"]).read_bytes()).split(b"\n")[0]
    request, status, headers, body = line.split(b"\t", 3)
    assert request.decode().startswith(first["prefix"]) and status == b"200"
    assert json.loads(headers)["Content-Type"].startswith("application/json") and json.loads(body) is not None


# -- work sorted into investment categories ------------------------------------------------------


def test_the_rules_file_sorts_the_stored_issues_as_the_truth_says(synced):
    """Types, labels and epics as Jira gives them, sorted by the simulation's rules file
    (first matching rule wins), give each issue the category of truth/issues.csv."""
    made, db, _ = synced
    truth = {r["issue"]: r for r in csv.DictReader((made.out / "truth" / "issues.csv").open(encoding="utf-8"))}
    sorted_by_rules = categories_by_rules(made, db)
    assert sorted_by_rules == {key: row["investment_category"] for key, row in truth.items()}
    assert set(sorted_by_rules.values()) == {"new_capability", "keep_the_lights_on", "tech_debt", "bugs",
                                             "incidents_and_support", "uncategorized"}  # fmt: skip
    epics = query(db, "SELECT count(*), count(*) FILTER (parent_key IS NOT NULL) FROM issues WHERE issue_type = 'Epic'")
    assert epics[0][0] >= 2 * 4 and epics[0][1] == 0  # two a team and quarter
    join = "issues i JOIN issues e ON e.issue_key = i.parent_key"
    under = query(db, f"SELECT count(*) FROM {join} WHERE e.issue_type = 'Epic'")
    assert under[0][0] == sum(1 for r in truth.values() if r["epic"])


def test_each_person_month_s_category_mix_is_the_truth(synced):
    """Each person-month's work worked out here from what the warehouse holds, as decision
    0050 counts it (a day's code on a work item 2: a pull request opened or a non-merge
    commit of it; a day's review of someone else's pull request 1; a day's status changes
    of an issue 1), each pull request's work item the first issue its title or branch names,
    sorted by the rules file: the units, the person's units and the shares of
    truth/allocation.csv; its FTE and cost, summed over the categories, are the person's days
    employed and prorated cost, day by day."""
    made, db, _ = synced
    people = made.world.people
    by_login, by_email = {p.github.lower(): p.person_id for p in people}, {p.email: p.person_id for p in people}
    by_account = {p.jira_account: p.person_id for p in people}
    sorted_by_rules = categories_by_rules(made, db)
    items = {}  # (repository, number) -> the pull request's work item
    for repository, number, title, head in query(db, "SELECT repository, number, title, head_ref FROM pull_requests"):
        named = [k for k in re.findall(r"[A-Z][A-Z0-9_]+-[0-9]+", f"{title} {head}".upper()) if k in sorted_by_rules]
        items[(repository, number)] = named[0] if named else f"{repository}#{number}"
    of_sha = {sha: items[(r, n)] for r, n, sha in query(db, "SELECT repository, number, sha FROM pr_commits")}
    merges = "SELECT repository, number, merge_commit_sha FROM pull_requests WHERE merge_commit_sha IS NOT NULL"
    of_sha.update({sha: items[(r, n)] for r, n, sha in query(db, merges)})
    units = set()
    for sha, email, day in query(db, "SELECT sha, author_email, CAST(author_time AS DATE) FROM commits "
                                     "WHERE reachable AND NOT is_merge"):  # fmt: skip
        units.add((by_email.get(email), day, 2, of_sha.get(sha, "a repository")))
    for r, n, login, day in query(db, "SELECT repository, number, author_login, CAST(created_at AS DATE) FROM "
                                      "pull_requests"):  # fmt: skip
        units.add((by_login.get(login.lower()), day, 2, items[(r, n)]))
    for r, n, login, day in query(db, "SELECT v.repository, v.number, v.reviewer_login, CAST(v.submitted_at AS DATE) "
                                      "FROM pr_reviews v JOIN pull_requests p USING (repository, number) WHERE v.state "
                                      "IN ('APPROVED', 'CHANGES_REQUESTED', 'COMMENTED') AND v.reviewer_login <> "
                                      "p.author_login"):  # fmt: skip
        units.add((by_login.get(login.lower()), day, 1, items[(r, n)]))
    for key, author, day in query(db, "SELECT i.issue_key, t.author, CAST(t.changed_at AS DATE) FROM "
                                      "issue_transitions t JOIN issues i USING (source, issue_id)"):  # fmt: skip
        units.add((by_account[author], day, 1, key))
    mixes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, day, weight, item in units:
        if person_id is not None and SINCE <= day <= UNTIL:
            mixes[(day.isoformat()[:7], person_id)][sorted_by_rules.get(item, "uncategorized")] += weight
    rows = list(csv.DictReader((made.out / "truth" / "allocation.csv").open(encoding="utf-8")))
    worked = {(r["month"], r["person_id"]) for r in rows if r["category"] != "no_recorded_work"}
    expected = {
        (month, person_id, category): (weight, sum(mix.values()), f"{weight / sum(mix.values()):.6f}")
        for (month, person_id), mix in mixes.items() if (month, person_id) in worked
        for category, weight in mix.items()
    }  # fmt: skip
    assert {k for k in mixes if k not in worked} <= {(m, p) for m, p in mixes if not employed_in(made, p, m)}
    truth = {(r["month"], r["person_id"], r["category"]): r for r in rows if r["category"] != "no_recorded_work"}
    assert {k: (int(r["units"]), int(r["person_units"]), r["share"]) for k, r in truth.items()} == expected
    assert {c for _, _, c in truth} == {"new_capability", "keep_the_lights_on", "tech_debt", "bugs",
                                        "incidents_and_support", "uncategorized"}  # fmt: skip
    months: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        months[(row["month"], row["person_id"])].append(row)
    assert len(months) > 50
    for (month, person_id), mix in months.items():
        person, days = made.world.person(person_id), days_of(month)
        stints = [person.stint_on(d) for d in days]
        assert abs(sum(float(r["fte"]) for r in mix) - sum(s is not None for s in stints) / len(days)) < 1e-5
        cost = sum(s.annual_cost / 12 / len(days) for s in stints if s is not None)
        assert abs(sum(float(r["cost"]) for r in mix) - cost) < 0.01 * len(mix)


def test_pull_requests_name_the_issue_their_author_was_working_on(synced):
    """A human pull request's title names, first, an issue assigned to its author that the
    author had started (a first status change) by the time they opened it."""
    made, db, _ = synced
    by_login = {p.github.lower(): p.person_id for p in made.world.people}
    by_account = {p.jira_account: p.person_id for p in made.world.people}
    issues = {key: (by_account[assignee], started) for key, assignee, started in query(
        db, "SELECT i.issue_key, i.assignee, min(t.changed_at) FROM issues i JOIN issue_transitions t "
            "USING (source, issue_id) WHERE i.issue_type <> 'Epic' GROUP BY ALL")}  # fmt: skip
    pulls = query(db, "SELECT author_login, title, created_at FROM pull_requests")
    human = [(login, title, created) for login, title, created in pulls if login.lower() in by_login]
    named = [(login, title.split(" ", 1)[0], created) for login, title, created in human
             if re.match(r"[A-Z][A-Z0-9]*-[0-9]+ ", title)]  # fmt: skip
    assert len(named) >= 0.8 * len(human) > 500
    for login, key, created in named:
        assignee, started = issues[key]
        assert assignee == by_login[login.lower()] and started <= created, (login, key, created)
