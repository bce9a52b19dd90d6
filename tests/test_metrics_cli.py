"""The metric commands as a user meets them: the catalog, --explain, and errors.

``--explain`` is checked independently of Quarterdeck: the SQL it prints is run as is
by DuckDB on the warehouse file and must return the rows ``metrics show --format json``
prints, also in a DuckDB session whose own time zone is not the organization's.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_quarterdeck
from tests.gitrepo import ALICE, BOB, CAROL, DEPENDABOT, Repo

METRICS = {"active_contributors", "bus_factor", "churn", "code_age", "commits", "hotspots"}
BERLIN = {"QUARTERDECK_TIMEZONE": "Europe/Berlin"}


def numbered(prefix: str, count: int, tag: str = "") -> str:
    return "".join(f"{prefix} line {i}{tag if i == 1 else ''}\n" for i in range(1, count + 1))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    one = Repo.create(root / "one")
    one.write("app.py", numbered("app", 40))
    one.write("data.bin", bytes(range(256)))
    one.commit("start", "2023-11-20T10:00:00+00:00", author=ALICE)
    one.write("app.py", numbered("app", 42, " changed"))
    one.commit("grow", "2024-01-07T23:30:00+00:00", author=BOB)
    one.move("app.py", "src/app.py")
    one.commit("move", "2024-01-08T00:30:00+02:00", author=CAROL)
    one.checkout("topic", create=True)
    one.write("src/lib.py", numbered("lib", 12))
    one.write("data.bin", bytes(range(255, -1, -1)))
    one.commit("topic", "2024-01-16T09:00:00-05:00", author=ALICE)
    one.checkout("main")
    one.write("deps.txt", numbered("dep", 3))
    one.commit("bump", "2024-01-17T10:00:00+00:00", author=DEPENDABOT)
    one.merge("topic", message="merge topic", when="2024-01-21T23:30:00+00:00", author=BOB)
    one.write("src/app.py", numbered("app", 30))
    one.commit("shrink", "2024-02-01T10:00:00+00:00", author=CAROL)

    two = Repo.create(root / "two")
    two.write("README.md", numbered("readme", 8))
    two.commit("start", "2022-05-01T10:00:00+00:00", author=BOB)
    two.write("README.md", numbered("readme", 9, " again"))
    two.commit("again", "2024-01-10T10:00:00+01:00", author=BOB)

    path = root / "warehouse.duckdb"
    result = run_quarterdeck("--db", str(path), "ingest", "git", str(one.path), str(two.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return path


# -- metrics list ------------------------------------------------------------------------


def test_every_metric_is_documented_in_the_catalog():
    result = run_quarterdeck("metrics", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert {m["name"] for m in listed} >= METRICS
    for metric in listed:
        for key in ("title", "description", "unit", "grain"):
            assert isinstance(metric[key], str) and metric[key].strip(), (metric["name"], key)
        assert metric["good_direction"] in {"up", "down", "neither"}, metric["name"]
        assert isinstance(metric["default_window_days"], int)


def test_metrics_list_as_a_table():
    result = run_quarterdeck("metrics", "list")
    assert result.returncode == 0, result.stderr
    for name in METRICS:
        assert name in result.stdout


# -- --explain ---------------------------------------------------------------------------

EXPLAIN_CASES = [
    ("active_contributors", ("--since", "2024-01-01", "--until", "2024-02-04"), None),
    (
        "active_contributors",
        ("--grain", "month", "--include-bots", "--since", "2023-11-15", "--until", "2024-02-15"),
        BERLIN,
    ),
    ("commits", ("--since", "2024-01-01", "--until", "2024-01-28"), BERLIN),
    ("commits", ("--repo", "two", "--since", "2024-01-01", "--until", "2024-01-14"), None),
    ("churn", ("--since", "2024-01-01", "--until", "2024-02-04", "--include-bots"), None),
    ("churn", ("--since", "2024-01-01", "--until", "2024-01-28"), BERLIN),
    ("hotspots", ("--since", "2023-11-01", "--until", "2024-02-29", "--limit", "2"), None),
    ("hotspots", ("--since", "2024-01-01", "--until", "2024-01-31", "--include-bots"), BERLIN),
    ("bus_factor", ("--since", "2023-02-01", "--until", "2024-01-31"), None),
    ("bus_factor", ("--repo", "one", "--since", "2024-01-08", "--until", "2024-01-31"), BERLIN),
    ("code_age", ("--until", "2024-03-31"), None),
    ("code_age", ("--until", "2024-02-29", "--repo", "two"), BERLIN),
]


def _same(json_value, db_value) -> bool:
    if isinstance(db_value, datetime):
        return datetime.fromisoformat(json_value) == db_value  # the same instant
    if isinstance(db_value, date):
        return json_value == db_value.isoformat()
    if isinstance(db_value, Decimal):
        return json_value == float(db_value)
    return json_value == db_value


def _run_explained(db: Path, sql: str, session_zone: str | None) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        if session_zone:
            con.execute(f"SET TimeZone = '{session_zone}'")
        cursor = con.execute(sql)
        return [d[0] for d in cursor.description], cursor.fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("metric", "args", "env"), EXPLAIN_CASES)
def test_explained_sql_returns_the_rows_shown(db, metric, args, env):
    common = ("metrics", "show", metric, "--db", str(db), *args)
    shown = run_quarterdeck(*common, "--format", "json", env=env)
    assert shown.returncode == 0, shown.stderr
    expected = json.loads(shown.stdout)["rows"]
    assert expected, "the case should produce rows"
    explained = run_quarterdeck(*common, "--explain", env=env)
    assert explained.returncode == 0, explained.stderr
    sql = explained.stdout
    assert not re.search(r"\$[a-z_]+\b", re.sub(r"(?m)^--.*$", "", sql)), "a parameter was left unbound"
    # As is, then in a DuckDB session whose own time zone differs from the organization's.
    for session_zone in (None, "America/Los_Angeles"):
        columns, got = _run_explained(db, sql, session_zone)
        assert [list(r) for r in expected] == [columns] * len(expected)
        assert len(got) == len(expected), session_zone
        for want, row in zip(expected, got, strict=True):
            same = all(_same(want[c], v) for c, v in zip(columns, row, strict=True))
            assert same, (session_zone, want, row)


def test_explain_states_the_window_and_parameters():
    result = run_quarterdeck(
        "metrics", "show", "churn", "--since", "2024-01-01", "--until", "2024-01-28", "--repo", "one",
        "--explain", env=BERLIN,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("-- metric: churn")
    assert lines[1] == "-- window: 2024-01-01 .. 2024-01-28 inclusive, time zone Europe/Berlin"
    assert "-- $since = TIMESTAMPTZ '2024-01-01T00:00:00+01:00'" in lines
    assert "-- $until_end = TIMESTAMPTZ '2024-01-29T00:00:00+01:00'" in lines
    assert "-- $timezone = 'Europe/Berlin'" in lines
    assert "-- $repositories = CAST(['one'] AS VARCHAR[])" in lines
    assert "-- $include_bots = false" in lines
    assert result.stdout.rstrip().endswith(";")


@pytest.mark.parametrize("metric", sorted(METRICS))
def test_every_metric_prints_a_table(db, metric):
    window = ["--until", "2024-02-29"]
    if metric != "code_age":
        window += ["--since", "2023-11-01"]
    result = run_quarterdeck("metrics", "show", metric, "--db", str(db), *window)
    assert result.returncode == 0, result.stderr
    assert "2024-02-29" in result.stdout and "┏" in result.stdout  # the title, then the table


def test_an_option_the_metric_does_not_take_is_refused(db):
    result = run_quarterdeck("metrics", "show", "code_age", "--db", str(db), "--since", "2024-01-01")
    assert result.returncode == 2
    assert "metric code_age does not take --since (it takes: --repo, --until, --unit)" in result.stderr
    result = run_quarterdeck("metrics", "show", "commits", "--db", str(db), "--grain", "month")
    assert result.returncode == 2
    assert "metric commits does not take --grain" in result.stderr


# -- errors ------------------------------------------------------------------------------


def _one_line_error(result, *fragments: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_unknown_metric(db):
    result = run_quarterdeck("metrics", "show", "no_such_metric", "--db", str(db), "--format", "json")
    _one_line_error(result, "unknown metric 'no_such_metric'", "metrics list")


def test_unknown_metric_close_to_a_known_one(db):
    result = run_quarterdeck("metrics", "show", "commit", "--db", str(db))
    _one_line_error(result, "unknown metric 'commit'", "commits")


def test_since_after_until(db):
    result = run_quarterdeck(
        "metrics", "show", "commits", "--db", str(db), "--since", "2024-02-01", "--until", "2024-01-31"
    )
    _one_line_error(result, "2024-02-01", "2024-01-31", "after")


def test_since_after_until_with_explain():
    result = run_quarterdeck("metrics", "show", "churn", "--since", "2024-02-01", "--until", "2024-01-31", "--explain")
    _one_line_error(result, "--since 2024-02-01 is after --until 2024-01-31")


def test_unknown_repository(db):
    result = run_quarterdeck(
        "metrics", "show", "churn", "--db", str(db), "--repo", "three", "--since", "2024-01-01",
        "--until", "2024-01-31", "--format", "json",
    )  # fmt: skip
    _one_line_error(result, "unknown repository 'three'", "known: one, two")
