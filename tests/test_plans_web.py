"""The dashboard's Plans area over real HTTP and in a real headless Chromium, on the
hand-written organization of tests/plan_history_org.py (data to 2026-12-31) with a plans
folder: the list of files by kind, a plan's page and its JSON (the same numbers as
``quarterdeck plan run``), scenarios, groups, access for admins, leaders and members."""

from __future__ import annotations

import json
import shutil

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, only_local_requests, page_fixture, save_artifact  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import served_in_thread
from tests.money_site import Site
from tests.plan_history_org import CONFIG, build
from tests.test_plan_build import PLAN

TODAY = "2027-01-15"
NEEDS = """needs:
  skills:
    - {team: payments, skill: Rust, level: 3, count: 2, by: 2027Q3}
"""
INITIATIVES = """title: 2027 initiatives
horizon: 2
discount_rate: 10%
initiatives:
  - name: New checkout
    epics: [PAY-1]
    remaining_cost: {low: 20000, mode: 40000, high: 80000}
    benefits: {savings: {low: 10000, mode: 30000, high: 60000}}
"""
DECISION = """title: Feature flags
years: 3
discount_rate: 10%
options:
  build: {engineers: 2, months: 4}
  buy: {licence_per_seat: 300, seats: 50}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    patch = pytest.MonkeyPatch()
    patch.setenv("QUARTERDECK_TODAY", TODAY)
    folder = tmp_path_factory.mktemp("plans-web")
    db = build(folder)
    config = folder / "quarterdeck.toml"
    config.write_text(CONFIG + '\n[plans]\nfolder = "plans"\n')
    plans = folder / "plans"
    plans.mkdir()
    (plans / "plan.yaml").write_text("name: Growth\n" + PLAN + NEEDS)
    (plans / "build-vs-buy.yaml").write_text(DECISION)
    (plans / "initiatives.yaml").write_text(INITIATIVES)
    (plans / "notes.yaml").write_text("agenda: [hiring]\n")
    (plans / "broken.yaml").write_text("horizon: [\n")
    copy = folder / "copy.duckdb"
    shutil.copy(db, copy)
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    (folder / "access.yaml").write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Lee Park, role: leader, unit: search, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Sam Ito, role: member, team: payments, token_sha256: {tokens['member'][1]}}}\n"
    )
    app = create_app(db, load_settings(cli={"db": db}, config_path=config, env={}), load_records=lambda *a: None,
                     access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, copy), folder
    patch.undo()


def cli(folder, *args: str):
    return run_quarterdeck("--db", str(folder / "copy.duckdb"), "--config", str(folder / "quarterdeck.toml"), *args,
                           env={"QUARTERDECK_TODAY": TODAY})  # fmt: skip


def test_the_folder_lists_each_file_by_kind_and_says_what_is_wrong_with_the_others(site) -> None:
    served, _ = site
    answer = served.get("/api/v1/plans", "admin")
    assert answer.status_code == 200, answer.text
    files = {f["file"]: f for f in answer.json()["files"]}
    assert sorted(files) == ["broken.yaml", "build-vs-buy.yaml", "initiatives.yaml", "notes.yaml", "plan.yaml"]
    assert (files["initiatives.yaml"]["kind"], files["initiatives.yaml"]["page"]) == (
        "initiatives", "/plans/roi/initiatives.yaml")  # fmt: skip
    assert (files["plan.yaml"]["kind"], files["plan.yaml"]["title"], files["plan.yaml"]["page"]) == (
        "plan", "Growth", "/plans/plan/plan.yaml")  # fmt: skip
    assert files["plan.yaml"]["command"] == "quarterdeck plan run plan.yaml"
    assert files["build-vs-buy.yaml"]["kind"] == "build-vs-buy"
    assert files["notes.yaml"]["kind"] is None and "not a file of a known kind" in files["notes.yaml"]["problem"]
    assert files["broken.yaml"]["problem"].startswith("broken.yaml:")
    assert served.get("/api/v1/plans", "member").status_code == 403


def test_a_plans_json_has_the_numbers_of_the_command_line(site) -> None:
    served, folder = site
    answer = served.get("/api/v1/plans/plan/plan.yaml", "admin")
    assert answer.status_code == 200, answer.text
    page = answer.json()
    done = cli(folder, "plan", "run", str(folder / "plans" / "plan.yaml"), "--by", "unit", "--format", "json")
    assert done.returncode == 0, done.stderr
    command = json.loads(done.stdout)
    assert page["draws"] == command["draws"] == 10_000 and page["seed"] == command["seed"] == 0
    for key in ("plan", "start", "quarters", "currency", "assumptions", "targets", "budgets"):
        assert page[key] == command[key], key
    shown = {g["group"]: g for g in page["groups"]}
    for group in command["groups"]:
        assert shown[group["group"]] == group
    assert page["focus"] == "org" and page["groups"][0]["group"] == "org"
    assert [s["scenario"] for s in page["scenarios"]] == [None, "Freeze"]
    gap = page["gaps"][0]
    assert (gap["kind"], gap["group"], gap["need"]) == ("skill", "payments", "2 with Rust at level 3 or above")
    assert gap["where"] == "plan.yaml:35"  # the plans folder's path is not shown


def test_a_scenario_is_the_command_lines_scenario(site) -> None:
    served, folder = site
    answer = served.get("/api/v1/plans/plan/plan.yaml", "admin", params={"scenario": "Freeze"})
    assert answer.status_code == 200, answer.text
    done = cli(folder, "plan", "run", str(folder / "plans" / "plan.yaml"), "--scenario", "Freeze", "--format", "json")
    command = json.loads(done.stdout)
    assert answer.json()["groups"][0] == command["groups"][0]
    unknown = served.get("/api/v1/plans/plan/plan.yaml", "admin", params={"scenario": "Nope"})
    assert unknown.status_code == 404 and "its scenarios are 'Freeze'" in unknown.json()["error"]


def test_a_leader_sees_their_unit_only_and_no_talent_gaps_a_member_nothing(site) -> None:
    served, _ = site
    answer = served.get("/api/v1/plans/plan/plan.yaml", "leader")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert [g["group"] for g in document["groups"]] == ["search"]
    assert document["focus"] == "search" and document["gaps"] is None
    assert served.get("/api/v1/plans/plan/plan.yaml", "leader", params={"group": "org"}).status_code == 403
    assert served.get("/api/v1/plans/plan/plan.yaml", "leader", params={"group": "payments"}).status_code == 403
    assert served.get("/api/v1/plans/plan/plan.yaml", "member").status_code == 403


def test_names_that_leave_the_folder_and_missing_files_are_refused(site) -> None:
    served, _ = site
    for name in (".hidden.yaml", "a..b", "..%5Cplan.duckdb"):
        assert served.get(f"/api/v1/plans/plan/{name}", "admin").status_code == 400, name
    assert served.get("/api/v1/plans/plan/none.yaml", "admin").json() == {
        "error": "no plan file none.yaml in the plans folder"
    }
    broken = served.get("/api/v1/plans/plan/broken.yaml", "admin")
    assert broken.status_code == 422 and broken.json()["error"].startswith("broken.yaml:")


def test_the_plan_page_draws_three_fan_charts_and_links_the_scenarios(site, page) -> None:
    served, _ = site
    requests = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {served.tokens['admin']}"})
    response = page.goto(served.base_url + "/plans")
    assert response is not None and response.status == 200
    assert page.locator("table.plan-files tr[data-kind=plan] a").get_attribute("href") == "/plans/plan/plan.yaml"
    page.locator("table.plan-files tr[data-kind=plan] a").click()
    assert page.locator("h1").inner_text() == "Growth"
    assert page.locator("figure.fan svg").count() == 3
    assert page.locator("figure.fan[data-measure=headcount] svg desc").count() == 1
    first = page.locator("table.plan-quarters tr[data-quarter='2027Q1'] td.headcount")
    document = served.get("/api/v1/plans/plan/plan.yaml", "admin").json()
    org = document["groups"][0]["quarters"][0]["headcount"]
    assert first.get_attribute("data-p50") == str(org["p50"])
    assert first.inner_text() == f"{org['p10']:,.0f} / {org['p50']:,.0f} / {org['p90']:,.0f}"
    page.locator("nav.scenarios a[data-scenario=Freeze]").click()
    assert page.locator("h1").inner_text() == "Growth: Freeze"
    assert page.locator(".gap").count() >= 1
    assert page.locator("script").count() == 0
    save_artifact(page, "plan-page")
    assert requests.blocked == []


def test_initiative_roi_is_the_command_lines_and_for_admins_only(site) -> None:
    served, folder = site
    answer = served.get("/api/v1/plans/roi/initiatives.yaml", "admin")
    assert answer.status_code == 200, answer.text
    done = cli(folder, "decide", "roi", str(folder / "plans" / "initiatives.yaml"), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert answer.json() == json.loads(done.stdout)
    assert answer.json()["initiatives"][0]["spent_so_far"]["cost"] == 0  # no tracker data: nothing spent yet
    page = served.get("/plans/roi/initiatives.yaml", "admin")
    assert page.status_code == 200 and 'data-initiative="New checkout"' in page.text
    assert served.get("/api/v1/plans/roi/initiatives.yaml", "leader").status_code == 403
    assert served.get("/api/v1/plans/roi/initiatives.yaml", "member").status_code == 403
