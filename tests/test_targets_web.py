"""The Targets page and ``/api/v1/targets`` over real HTTP and in a real headless Chromium,
on the demo's warehouse with its history recorded by ``quarterdeck targets record``: the same
targets and numbers as ``targets status --format json``, only the scopes one's access covers,
a status colour, a trend sparkline and the periods missed, and a link in the navigation."""

from __future__ import annotations

import json
import shutil

import pytest

from quarterdeck.cli.serve import read_targets
from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, only_local_requests, page_fixture, save_artifact  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import demo_warehouse, served_in_thread
from tests.money_site import Site

TARGETS = """\
targets:
  - {metric: deployment_frequency, scope: org, target: 5, owner: Dana Reyes}
  - {metric: change_failure_rate, scope: team:marketplace, target: 0.1, owner: Sam Okafor}
  - {metric: deployment_frequency, scope: team:web-storefront, target: 4, owner: Kim Lee, review: quarterly}
  - {metric: lead_time_for_changes, scope: org, target: 24, owner: Dana Reyes}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("targets-web")
    db = folder / "org.duckdb"
    shutil.copy(demo_warehouse(folder / "demo"), db)
    targets = folder / "targets.yaml"
    targets.write_text(TARGETS, encoding="utf-8")
    done = run_quarterdeck("targets", "record", "--db", str(db))
    assert done.returncode == 0, done.stderr
    done = run_quarterdeck("targets", "status", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    (folder / "access.yaml").write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Sam Okafor, role: leader, unit: marketplace, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Kim Lee, role: member, team: web-storefront, token_sha256: {tokens['member'][1]}}}\n"
    )
    app = create_app(db, load_settings(cli={"db": db}, env={}), load_records=lambda *a: None,
                     targets=read_targets(targets, db), access=load_access(folder / "access.yaml"))  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, db), json.loads(done.stdout)


def test_the_json_is_the_status_commands_for_what_each_person_may_see(site) -> None:
    served, status = site
    admin = served.get("/api/v1/targets", "admin")
    assert admin.status_code == 200, admin.text
    assert admin.json() == status  # every target, the same numbers, the same data end
    assert len(status["targets"]) == 4 and status["targets"][0]["period"] is not None
    leader = served.get("/api/v1/targets", "leader").json()
    assert [(t["metric"], t["scope"]) for t in leader["targets"]] == [("change_failure_rate", "team:marketplace")]
    member = served.get("/api/v1/targets", "member").json()
    assert [(t["metric"], t["scope"]) for t in member["targets"]] == [("deployment_frequency", "team:web-storefront")]
    assert member["targets"][0]["review"] == "quarterly" and member["targets"][0]["period"][4] == "Q"
    assert served.get("/api/v1/targets").status_code == 401


def test_the_page_shows_owner_colour_trend_and_misses_in_a_browser(site, page) -> None:
    served, status = site
    requests = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {served.tokens['admin']}"})
    response = page.goto(served.base_url + "/")
    assert response is not None and response.status == 200
    page.locator("nav.pages a.targets-link").click()
    assert page.locator("h1").inner_text() == "Targets"
    rows = page.locator("table.targets tbody tr")
    assert rows.count() == 4
    for i, expected in enumerate(status["targets"]):
        row = rows.nth(i)
        assert (row.get_attribute("data-metric"), row.get_attribute("data-scope")) == (
            expected["metric"],
            expected["scope"],
        )
        assert row.get_attribute("data-status") == expected["status"]
        assert row.locator("td.owner").inner_text() == expected["owner"]
        assert row.locator(f"td.status span.dot.{expected['status']}").count() == 1
        assert row.locator("td.trend svg").count() == 1
        assert row.locator("td.missed-in-a-row").inner_text() == str(expected["missed_in_a_row"])
        assert row.locator("td.missed-of-12").inner_text() == str(expected["missed_of_last_12"])
        assert row.locator("td.value").inner_text().startswith(f"{expected['value']:.4g}")
    colours = page.locator("table.targets td.status span.dot").evaluate_all(
        "dots => dots.map(d => getComputedStyle(d).backgroundColor)"
    )
    palette = {
        "green": "rgb(30, 138, 76)",
        "amber": "rgb(201, 130, 0)",
        "red": "rgb(198, 47, 47)",
        "grey": "rgb(138, 147, 159)",
    }
    assert colours == [palette[t["status"]] for t in status["targets"]]
    assert status["data_end"] in page.locator("p.window").inner_text()
    assert page.locator("script").count() == 0
    save_artifact(page, "targets-page")
    assert requests.blocked == []
