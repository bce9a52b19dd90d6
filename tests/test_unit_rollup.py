"""Delivery and reliability metrics rolled up the org tree (``--by unit``, ``--unit``), through
the real command line, on an organization reorganized twice in March:

    until 03-16                  03-16 .. 03-23                from 03-23
    eng ─┬─ div-a ── core        eng ─┬─ div-a                 eng ─┬─ div-a
         └─ div-b ── web              └─ div-b ─┬─ web              └─ product ── div-b ─┬─ web
                                                └─ core                                  └─ core

Services: api (owner core, repository api), site (owner web, repository site), orphan (no
owner). A team's deployments, incidents and CI runs count in its team and in every unit above
it on the day they happened: core's before 03-16 in div-a, from 03-16 in div-b, and from 03-23
in product too (a move two levels up, which only the days of div-b's own periods tell).
Every expected value below is worked out by hand from these events (all instants UTC, March
2026, window 03-02..03-29, one month):

    deployments  A1 api 03-02   A2 api 03-10   A3 api 03-17   A4 api 03-24   (one a day)
                 S1 site 03-03  S2 site 03-18  O1 orphan 03-05
    incidents    I1 api SEV1 03-04 10:00, resolved after 2 h
                 I2 api SEV2 03-20 10:00, 6 h     I3 site SEV2 03-21 10:00, 1 h
                 I4 (no service) 03-22 10:00, 0.5 h
    CI runs      R1 api 03-04 failure   R2 api 03-18 success   R3 site 03-19 failure
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck

WINDOW = ("--since", "2026-03-02", "--until", "2026-03-29", "--grain", "month")
MARCH = "2026-03-01"
SHA = "0123456789abcdef0123456789abcdef01234567"


def org_yaml(core_parent: str, div_b_parent: str = "eng") -> str:
    product = "  - id: product\n    name: Product\n    parent: eng\n" if div_b_parent == "product" else ""
    return f"""\
teams:
  - id: eng
    name: Engineering
{product}  - id: div-a
    name: Division A
    parent: eng
  - id: div-b
    name: Division B
    parent: {div_b_parent}
  - id: core
    name: Core
    parent: {core_parent}
  - id: web
    name: Web
    parent: div-b
services:
  - id: api
    name: API
    owner: core
    repositories: [api]
  - id: site
    name: Site
    owner: web
    repositories: [site]
  - id: orphan
    name: Orphan
"""


def deployments_csv() -> str:
    rows = [("A1", "api", "02"), ("A2", "api", "10"), ("A3", "api", "17"), ("A4", "api", "24"),
            ("S1", "site", "03"), ("S2", "site", "18"), ("O1", "orphan", "05")]  # fmt: skip
    lines = ["id,service,environment,commit_sha,finished_at,result"]
    lines += [f"{i},{s},production,{SHA},2026-03-{d}T10:00:00Z,success" for i, s, d in rows]
    return "\n".join(lines) + "\n"


INCIDENTS_CSV = """\
id,service,severity,created_at,resolved_at
I1,api,SEV1,2026-03-04T10:00:00Z,2026-03-04T12:00:00Z
I2,api,SEV2,2026-03-20T10:00:00Z,2026-03-20T16:00:00Z
I3,site,SEV2,2026-03-21T10:00:00Z,2026-03-21T11:00:00Z
I4,,SEV2,2026-03-22T10:00:00Z,2026-03-22T10:30:00Z
"""

CI_CSV = """\
id,repository,workflow,queued_at,started_at,finished_at,result
R1,api,build,2026-03-04T10:00:00Z,2026-03-04T10:01:00Z,2026-03-04T10:11:00Z,failure
R2,api,build,2026-03-18T10:00:00Z,2026-03-18T10:02:00Z,2026-03-18T10:12:00Z,success
R3,site,build,2026-03-19T10:00:00Z,2026-03-19T10:03:00Z,2026-03-19T10:13:00Z,failure
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("units")
    files = {
        "org-1.yaml": org_yaml("div-a"),
        "org-2.yaml": org_yaml("div-b"),
        "org-3.yaml": org_yaml("div-b", div_b_parent="product"),
        "people.csv": "id,name,team\nE1,Pat Example,core\n",
        "deployments.csv": deployments_csv(),
        "incidents.csv": INCIDENTS_CSV,
        "ci.csv": CI_CSV,
    }
    for name, text in files.items():
        (root / name).write_text(text)
    db = root / "w.duckdb"
    steps = [
        ("org", str(root / "org-1.yaml"), str(root / "people.csv"), "--as-of", "2026-01-01"),
        ("org", str(root / "org-2.yaml"), "--as-of", "2026-03-16"),
        ("org", str(root / "org-3.yaml"), "--as-of", "2026-03-23"),
        ("deployments", str(root / "deployments.csv")),
        ("incidents", str(root / "incidents.csv")),
        ("ci-runs", str(root / "ci.csv")),
    ]
    for step in steps:
        done = run_quarterdeck("ingest", *step, "--db", str(db))
        assert done.returncode == 0, (step, done.stderr)
    return db


def metric(db: Path, name: str, *args: str) -> dict[str, dict]:
    """The metric's rows for March, by group."""
    result = run_quarterdeck("metrics", "show", name, "--db", str(db), "--format", "json", *WINDOW, *args)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert all(r["period_start"] == MARCH for r in rows), rows
    return {r["group"]: r for r in rows}


def column(rows: dict[str, dict], name: str) -> dict[str, object]:
    return {group: row[name] for group, row in rows.items()}


def test_deployments_count_in_every_unit_above_their_team_on_the_day(db):
    rows = metric(db, "deployment_frequency", "--by", "unit")
    # core A1-A4; web S1, S2; div-a A1, A2 (before the reorg); div-b A3, A4, S1, S2; product
    # A4 only (A3 and S2 are before 03-23); eng all six with a team; O1's service has no owner
    assert column(rows, "deployments") == {
        "core": 4, "web": 2, "div-a": 2, "div-b": 4, "product": 1, "eng": 6, "(no team)": 1,
    }  # fmt: skip
    assert rows["div-b"]["deploy_days"] == 4
    assert rows["eng"]["deploys_per_week"] == pytest.approx(6 * 7 / 28)


def test_a_unit_scope_keeps_its_subtree_and_stops_at_the_unit(db):
    inside = metric(db, "deployment_frequency", "--by", "unit", "--unit", "div-b")
    assert column(inside, "deployments") == {"div-b": 4, "core": 2, "web": 2}  # A3, A4 | S1, S2
    total = metric(db, "deployment_frequency", "--by", "org", "--unit", "Division A")  # by name
    assert column(total, "deployments") == {"organization": 2}  # A1, A2
    teams = metric(db, "deployment_frequency", "--by", "team", "--unit", "div-a")
    assert column(teams, "deployments") == {"core": 2}
    newest = metric(db, "deployment_frequency", "--by", "unit", "--unit", "product")
    assert column(newest, "deployments") == {"product": 1, "div-b": 1, "core": 1}  # A4


def test_incidents_and_their_restore_times_roll_up(db):
    rows = metric(db, "time_to_restore", "--by", "unit")
    # I4 names no service: it counts org-wide only, in no unit
    assert column(rows, "incidents") == {"core": 2, "web": 1, "div-a": 1, "div-b": 2, "eng": 3}
    # div-b: I2 6 h, I3 1 h: median 3.5, mean 3.5; eng: [1, 2, 6]: median 2, mean 3
    assert (rows["div-b"]["median_hours"], rows["div-b"]["mean_hours"]) == pytest.approx((3.5, 3.5))
    assert (rows["eng"]["median_hours"], rows["eng"]["mean_hours"]) == pytest.approx((2.0, 3.0))
    org = metric(db, "time_to_restore", "--by", "org")
    assert (org["organization"]["incidents"], org["organization"]["median_hours"]) == (4, pytest.approx(1.5))
    scoped = metric(db, "time_to_restore", "--by", "org", "--unit", "eng")
    assert (scoped["organization"]["incidents"], scoped["organization"]["median_hours"]) == (3, pytest.approx(2.0))


def test_ci_runs_roll_up_through_their_repository_owner(db):
    rows = metric(db, "ci_failure_rate", "--by", "unit")
    # R1 api 03-04 (div-a), R2 api 03-18 (div-b), R3 site (div-b)
    assert column(rows, "failed") == {"core": 1, "web": 1, "div-a": 1, "div-b": 1, "eng": 2}
    assert column(rows, "succeeded") == {"core": 1, "web": 0, "div-a": 0, "div-b": 1, "eng": 1}
    assert column(rows, "failure_rate") == pytest.approx(
        {"core": 0.5, "web": 1.0, "div-a": 1.0, "div-b": 0.5, "eng": 2 / 3}
    )


def test_open_critical_incidents_per_unit(db):
    # at the end of the window every incident is resolved: no unit has any
    rows = metric(db, "open_critical_incidents", "--by", "unit")
    assert all(r["open"] == 0 for r in rows.values()), rows


def test_an_unknown_unit_is_an_error_naming_the_known_ones(db):
    result = run_quarterdeck("metrics", "show", "incidents", "--db", str(db), *WINDOW, "--unit", "div-z")
    assert result.returncode != 0
    assert "unknown unit 'div-z'" in result.stderr and "div-a" in result.stderr
