"""The decision page (``/plans/decision/{file}``) in a real headless Chromium and its JSON
over real HTTP, on the warehouse of tests/decide_site.py with a decision file in the plans
folder: an admin sees the answer, the NPV bands and the tornado as SVG (the same numbers as
the command line); a member gets 403; a leader's engineering time is their unit's; names
leaving the plans folder are refused."""

from __future__ import annotations

import json
import shutil

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, only_local_requests, page_fixture, save_artifact  # noqa: F401
from tests.dashboard_server import served_in_thread
from tests.decide_site import CONFIG, cli, decide_warehouse
from tests.money_files import write
from tests.money_site import Site, write_access

DECISION = """title: Feature flags
years: 3
discount_rate: 10%
options:
  build:
    engineers: {low: 2, mode: 3, high: 4}
    months: {low: 4, mode: 6, high: 10}
    maintenance_fte: 0.5
  buy:
    licence_per_seat: 300
    seats: {low: 100, mode: 200, high: 300}
    integration: 2
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("decide-web")
    db, config = decide_warehouse(folder)
    config.write_text(CONFIG + '\n[plans]\nfolder = "plans"\n')
    (folder / "plans").mkdir()
    write(folder / "plans", "build-vs-buy.yaml", DECISION)
    write(folder / "plans", "broken.yaml", DECISION.replace("months: {low: 4", "months: {low: 7"))
    copy = folder / "copy.duckdb"
    shutil.copy(db, copy)
    tokens = write_access(folder / "access.yaml")
    app = create_app(db, load_settings(cli={"db": db}, config_path=config), load_records=lambda *a: None,
                     access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), tokens, copy), config


def test_the_json_gives_the_same_numbers_as_the_command_line(site) -> None:
    served, config = site
    answer = served.get("/api/v1/plans/decision/build-vs-buy.yaml", "admin")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    plans = config.parent / "plans" / "build-vs-buy.yaml"
    done = cli(served.db, config, "decide", "build-vs-buy", str(plans), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert document == json.loads(done.stdout)
    cost = next(row for row in document["assumptions"] if row["input"] == "engineer_month_cost")
    assert cost["origin"].startswith("the organization's: metric engineer_month_cost")


def test_a_member_is_refused_and_a_leader_prices_with_their_unit(site) -> None:
    served, _ = site
    assert served.get("/api/v1/plans/decision/build-vs-buy.yaml", "member").status_code == 403
    assert served.get("/plans/decision/build-vs-buy.yaml", "member").status_code == 403
    leader = served.get("/api/v1/plans/decision/build-vs-buy.yaml", "leader")
    assert leader.status_code == 200, leader.text
    cost = next(row for row in leader.json()["assumptions"] if row["input"] == "engineer_month_cost")
    assert cost["origin"].startswith("unit eng's: metric engineer_month_cost") and cost["value"] == "8,200"


@pytest.mark.parametrize("name", ["..copy.duckdb", ".hidden.yaml", "a..b", "..%5Ccopy.duckdb"])
def test_names_that_leave_the_plans_folder_are_refused(site, name: str) -> None:
    served, _ = site
    answer = served.get(f"/api/v1/plans/decision/{name}", "admin")
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("not a file name of the plans folder: ")


@pytest.mark.parametrize("name", ["..", "..%2Fcopy.duckdb", "%2E%2E%2Fcopy.duckdb"])
def test_a_path_out_of_the_folder_never_reaches_a_file(site, name: str) -> None:
    served, _ = site
    answer = served.get(f"/api/v1/plans/decision/{name}", "admin")
    # refused, or (a bare "..", which the client folds into the URL) the plans folder's listing
    assert answer.status_code in (400, 404) or set(answer.json()) == {"folder", "files"}
    assert "DUCK" not in answer.text


def test_a_missing_or_broken_file_is_a_clear_error(site) -> None:
    served, _ = site
    missing = served.get("/api/v1/plans/decision/none.yaml", "admin")
    assert missing.status_code == 404 and missing.json() == {"error": "no decision file none.yaml in the plans folder"}
    broken = served.get("/api/v1/plans/decision/broken.yaml", "admin")
    assert broken.status_code == 422
    assert broken.json() == {"error": "broken.yaml:7: build.months: low (7) is above mode (6)"}


def test_an_admin_sees_the_answer_the_bands_and_the_tornado(site, page) -> None:
    served, _ = site
    requests = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {served.tokens['admin']}"})
    response = page.goto(served.base_url + "/plans/decision/build-vs-buy.yaml")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Feature flags"
    assert "is cheaper than" in page.locator(".answer").inner_text()
    assert page.locator("#chart-npv svg .npv-band").count() == 2
    assert page.locator("#chart-tornado svg .tornado-bar").count() == 2 * 3  # each uncertain input: low, high
    inputs = page.locator("ol.tornado li").evaluate_all("items => items.map(i => i.dataset.input)")
    assert set(inputs) == {"build.engineers", "build.months", "buy.seats"}
    assert page.locator("script").count() == 0
    assert page.locator("footer").inner_text().endswith("Data as of 2026-06-30.")  # the people export's day
    save_artifact(page, "decision-page")
    assert requests.blocked == []
    page.set_extra_http_headers({"Authorization": f"Bearer {served.tokens['member']}"})
    refused = page.goto(served.base_url + "/plans/decision/build-vs-buy.yaml")
    assert refused is not None and refused.status == 403
