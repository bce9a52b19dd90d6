"""Investment allocation (investment_allocation, investment_allocation_items) on the
organization of tests/allocation_golden.py: git, the org exports, a GitHub and a Jira
served on 127.0.0.1, and the rules file, all through the real CLI. Every expected value is
worked out by hand in that module's docstring and below."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests import allocation_golden as golden
from tests.conftest import run_quarterdeck
from tests.github_cassettes import RecordedRepository, answer
from tests.replay import Replay, serve
from tests.test_wait_ledger import jira_search
from tests.wait_golden import STATUSES

MARCH = ("--since", "2026-03-01", "--until", "2026-03-31", "--grain", "month")
ENV = {"GITHUB_TOKEN": "gh-secret-1", "JIRA_TOKEN": "jira-secret-2", "JIRA_EMAIL": "me@example.com"}
CATEGORIES = ("new_capability", "keep_the_lights_on", "tech_debt", "bugs", "incidents_and_support",
              "uncategorized", "no_recorded_work")  # fmt: skip


def replay_for(sha: dict[str, str]) -> Replay:
    pulls, reviews, commits = golden.pulls_reviews_commits(sha)
    replay = Replay()
    RecordedRepository("acme/web", pulls=pulls, reviews=reviews, commits=commits).add_to(replay)
    replay.add(answer("/rest/api/3/status", STATUSES))
    replay.add(answer(jira_search("ENG"), {"issues": golden.jira_issues(), "isLast": True}))
    boards = "/rest/agile/1.0/board?" + urlencode({"projectKeyOrId": "ENG", "startAt": 0, "maxResults": 50})
    replay.add(answer(boards, {"maxResults": 50, "startAt": 0, "total": 0, "isLast": True, "values": []}))
    return replay


def build(root: Path, rules: str | None = golden.RULES_YAML) -> dict:
    sha = golden.build_web(root / "web")
    files = {
        "org.yaml": golden.ORG_YAML,
        "people-1.csv": golden.PEOPLE_MARCH_1,
        "people-2.csv": golden.PEOPLE_MARCH_11,
        "identities.csv": golden.IDENTITIES_CSV,
        "quarterdeck.toml": golden.CONFIG_TOML,
        "rules.yaml": rules or "",
    }
    for name, text in files.items():
        (root / name).write_text(text)
    db, config = root / "w.duckdb", root / "quarterdeck.toml"
    base = ("--db", str(db), "--config", str(config))
    org = (str(root / "org.yaml"), str(root / "identities.csv"))
    steps = [
        ("ingest", "git", str(root / "web")),
        ("ingest", "org", *org, str(root / "people-1.csv"), "--as-of", "2026-03-01"),
        ("ingest", "org", *org, str(root / "people-2.csv"), "--as-of", "2026-03-11"),
    ]
    if rules is not None:
        steps.append(("ingest", "investment-rules", str(root / "rules.yaml")))
    for step in steps:
        done = run_quarterdeck(*step, *base)
        assert done.returncode == 0, (step, done.stderr)
    with serve(replay_for(sha)) as replay:
        (root / "quarterdeck.yaml").write_text(
            "sources:\n"
            f"  - type: github\n    base_url: {replay.base_url}\n    repositories: [acme/web]\n"
            f"  - type: jira\n    base_url: {replay.base_url}\n    api: cloud\n    projects: [ENG]\n"
            "    bug_types: [Bug]\n"
        )
        synced = run_quarterdeck("ingest", "all", *base, "--format", "json", env=ENV, cwd=root)
    assert synced.returncode == 0, synced.stderr
    return {"db": db, "base": base, "root": root}


@pytest.fixture(scope="module")
def org(tmp_path_factory) -> dict:
    return build(tmp_path_factory.mktemp("allocation"))


def metric(org: dict, name: str, *args: str) -> list[dict]:
    result = run_quarterdeck("metrics", "show", name, *org["base"], "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["rows"]


def by_category(rows: list[dict], group: str, *columns: str) -> dict[str, tuple]:
    return {r["category"]: tuple(r[c] for c in columns) for r in rows if r["group"] == group}


def test_a_person_split_over_three_categories_and_one_moving_teams_mid_month(org):
    rows = metric(org, "investment_allocation", *MARCH, "--by", "team")
    assert {r["period_start"] for r in rows} == {"2026-03-01"}
    # alpha: Alice (1.0: 1/2, 1/4, 1/4), Bob (1.0: 1/2 bugs, 1/2 uncategorized), Carol 10/31
    # (half new capability, half bugs). fte = person-days / 31.
    alpha = by_category(rows, "alpha", "fte", "cost", "contributors", "people")
    assert alpha == {
        "new_capability": (round((15.5 + 5) / 31, 4), 5000 + 1250, 2, 3),
        "keep_the_lights_on": (0, 0, 0, 3),
        "tech_debt": (0.25, 2500, 1, 3),
        "bugs": (round((7.75 + 15.5 + 5) / 31, 4), 2500 + 2500 + 1250, 3, 3),
        "incidents_and_support": (0, 0, 0, 3),
        "uncategorized": (0.5, 2500, 1, 3),
        "no_recorded_work": (0, 0, 0, 3),
    }
    # beta: Carol 21/31 (half and half), Dave 1.0 with no activity at all.
    beta = by_category(rows, "beta", "fte", "cost", "share", "people")
    assert beta == {
        "new_capability": (round(10.5 / 31, 4), 2625, round(10.5 / 52, 4), 2),
        "keep_the_lights_on": (0, 0, 0, 2),
        "tech_debt": (0, 0, 0, 2),
        "bugs": (round(10.5 / 31, 4), 2625, round(10.5 / 52, 4), 2),
        "incidents_and_support": (0, 0, 0, 2),
        "uncategorized": (0, 0, 0, 2),
        "no_recorded_work": (1.0, 3000, round(31 / 52, 4), 2),
    }
    assert [r["category"] for r in rows if r["group"] == "alpha"] == list(CATEGORIES)


def test_the_organization_adds_up_to_every_person_month(org):
    rows = metric(org, "investment_allocation", *MARCH, "--by", "org")
    org_rows = by_category(rows, "organization", "fte", "cost")
    assert round(sum(fte for fte, _ in org_rows.values()), 4) == 4.0
    assert sum(cost for _, cost in org_rows.values()) == 10000 + 5000 + 7750 + 3000
    assert org_rows["no_recorded_work"] == (1.0, 3000)
    assert org_rows["uncategorized"] == (0.5, 2500)


def test_by_unit_the_root_holds_every_team_and_by_objective_the_epics_work(org):
    units = metric(org, "investment_allocation", *MARCH, "--by", "unit")
    assert by_category(units, "eng", "fte", "people")["new_capability"] == (1.0, 4)
    assert {r["group"] for r in units} == {"alpha", "beta", "eng"}
    objectives = metric(org, "investment_allocation", *MARCH, "--by", "objective")
    grow = by_category(objectives, "grow", "fte", "cost", "contributors")
    # ENG-2 is under epic ENG-1: Alice's half (5,000) and Carol's half (1,250 + 2,625).
    assert grow["new_capability"] == (1.0, 8875, 2)
    assert sum(r["fte"] for r in objectives if r["group"] == "(no objective)") == pytest.approx(3.0, abs=1e-3)


def test_the_drill_down_lists_the_items_and_people_months_behind_a_figure(org):
    rows = metric(org, "investment_allocation_items", *MARCH, "--by", "team")
    alpha_bugs = sorted(
        (r["item"], r["person"], r["share"], r["fte"], r["cost"])
        for r in rows
        if r["group"] == "alpha" and r["category"] == "bugs"
    )
    assert alpha_bugs == [
        ("ENG-3", "Alice Able", 0.25, 0.25, 2500),
        ("ENG-3", "Bob Baker", 0.5, 0.5, 2500),
        ("ENG-3", "Carol Chen", 0.5, round(5 / 31, 4), 1250),
    ]
    web = [r for r in rows if r["item"] == "web"]
    assert [(r["item_kind"], r["category"], r["person"], r["units"], r["person_units"]) for r in web] == [
        ("repository", "uncategorized", "Bob Baker", 2, 4)
    ]
    dave = [r for r in rows if r["person"] == "Dave Dunn"]
    assert [(r["item"], r["category"], r["fte"], r["cost"]) for r in dave] == [(None, "no_recorded_work", 1.0, 3000)]


def test_small_groups_hide_people_and_money(org, tmp_path):
    config = tmp_path / "quarterdeck.toml"
    config.write_text('timezone = "UTC"\n\n[privacy]\nmin_group_size = 3\n')
    base = ("--db", str(org["db"]), "--config", str(config))
    rows = metric({"base": base}, "investment_allocation", *MARCH, "--by", "team")
    assert by_category(rows, "beta", "fte", "cost", "people")["bugs"] == ("<3", "<3", 2)
    assert by_category(rows, "alpha", "fte", "cost", "people")["bugs"] == (round(28.25 / 31, 4), 6250, 3)
    items = metric({"base": base}, "investment_allocation_items", *MARCH, "--by", "team")
    assert {r["person"] for r in items if r["group"] == "beta"} == {"<3"}
    assert "Alice Able" in {r["person"] for r in items if r["group"] == "alpha"}


def test_without_rules_every_item_is_uncategorized(tmp_path):
    bare = build(tmp_path, rules=None)
    rows = metric(bare, "investment_allocation", *MARCH, "--by", "org")
    org_rows = by_category(rows, "organization", "fte")
    assert list(org_rows) == ["uncategorized", "no_recorded_work"]
    assert org_rows == {"uncategorized": (3.0,), "no_recorded_work": (1.0,)}


def test_explain_shows_the_rules_applied_in_sql(org):
    result = run_quarterdeck("metrics", "show", "investment_allocation", *org["base"], *MARCH, "--explain")
    assert result.returncode == 0, result.stderr
    assert "investment_rules" in result.stdout and "people_months" in result.stdout


def test_months_are_the_default_grain_a_window_is_one_period_and_weeks_are_refused(org, tmp_path):
    monthly = metric(org, "investment_allocation", *MARCH[:4], "--by", "team")
    assert {r["period_start"] for r in monthly} == {"2026-03-01"}
    window = metric(org, "investment_allocation", "--since", "2026-03-01", "--until", "2026-03-31",
                    "--grain", "window", "--by", "team")  # fmt: skip
    assert [(r["group"], r["category"], r["fte"], r["cost"]) for r in window] == [
        (r["group"], r["category"], r["fte"], r["cost"]) for r in monthly
    ]
    weekly = run_quarterdeck("metrics", "show", "investment_allocation", *org["base"], *MARCH[:4], "--grain", "week")
    assert weekly.returncode != 0
    assert "is reported per month or quarter or window, not per week" in weekly.stderr


def test_unit_keeps_the_teams_of_that_unit(org):
    rows = metric(org, "investment_allocation", *MARCH, "--by", "team", "--unit", "beta")
    assert {r["group"] for r in rows} == {"beta"}
    assert by_category(rows, "beta", "fte")["no_recorded_work"] == (1.0,)
    units = metric(org, "investment_allocation", *MARCH, "--by", "unit", "--unit", "alpha")
    assert {r["group"] for r in units} == {"alpha"}
