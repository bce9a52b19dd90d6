"""The dashboard's hiring page (/people/hiring) and its JSON over real HTTP and in a real
headless Chromium, on the hand-worked pipeline of tests/hiring_golden.py: the numbers of
``quarterdeck hiring``, a leader sees their unit's requisitions only, a member nothing."""

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
from tests.hiring_golden import hiring_warehouse
from tests.money_files import write
from tests.money_site import Site

WINDOW = {"since": "2026-01-01", "until": "2026-03-31"}
#: People, so that the organization has a date and a leader's unit its teams.
PEOPLE = (
    "id,name,email,title,level,role,manager_id,team,location,employment_type,start_date,end_date,annual_cost\n"
    "E1,Person 1,e1@example.com,Engineer,L4,engineer,,platform,Berlin,full-time,2024-01-01,,100000\n"
    "E2,Person 2,e2@example.com,Engineer,L5,engineer,,payments,Berlin,full-time,2024-01-01,,100000\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hiring-web")
    db = hiring_warehouse(folder)
    people = write(folder, "people-2026-03-31.csv", PEOPLE)
    assert run_quarterdeck("--db", str(db), "ingest", "org", str(people)).returncode == 0
    copy = folder / "copy.duckdb"
    shutil.copy(db, copy)
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    (folder / "access.yaml").write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Lee Park, role: leader, unit: payments, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Sam Ito, role: member, team: payments, token_sha256: {tokens['member'][1]}}}\n"
    )
    app = create_app(db, load_settings(cli={"db": db}, env={}), load_records=lambda *a: None,
                     access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, copy)


def test_the_json_has_the_numbers_of_the_command_line(site: Site) -> None:
    answer = site.get("/api/v1/people/hiring", "admin", params={**WINDOW, "by": "team"})
    assert answer.status_code == 200, answer.text
    page = answer.json()
    done = run_quarterdeck("hiring", "--since", WINDOW["since"], "--until", WINDOW["until"], "--by", "team",
                           "--format", "json", "--db", str(site.db))  # fmt: skip
    assert done.returncode == 0, done.stderr
    command = json.loads(done.stdout)
    for name in ("time_to_fill", "time_in_stage", "conversion", "offer_acceptance", "pipeline", "requisitions"):
        assert page[name] == command[name], name
    assert [r["requisition"] for r in page["requisitions"]] == ["REQ-D", "REQ-B"]
    assert page["teams"] is None


def test_a_leader_sees_their_units_requisitions_only_and_a_member_nothing(site: Site) -> None:
    answer = site.get("/api/v1/people/hiring", "leader", params=WINDOW)
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["teams"] == ["payments"]
    # REQ-B only: nothing filled; b1, b2, b3 applied (b2 undecided); b1 in interview, b2 applied on 03-31.
    assert page["time_to_fill"] == [] and page["offer_acceptance"] == []
    assert [(r["stage"], r["reached"], r["decided"], r["moved_on"]) for r in page["conversion"]] == [
        ("applied", 3, 2, 2), ("screen", 2, 2, 1), ("interview", 1, 0, 0)]  # fmt: skip
    assert [r["requisition"] for r in page["requisitions"]] == ["REQ-B"]
    assert page["pipeline"][0]["open_positions"] == 1 and page["pipeline"][0]["candidates"] == 2
    for path in ("/api/v1/people/hiring", "/people/hiring"):
        refused = site.get(path, "member")
        assert refused.status_code == 403, path
    assert site.get("/api/v1/people/hiring", "admin", params={"by": "mood"}).status_code == 400
    assert site.get("/api/v1/people/hiring", "admin", params={"until": "March"}).status_code == 400


def test_the_page_shows_each_table_and_groups_by_a_link(site: Site, page) -> None:
    requests = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {site.tokens['admin']}"})
    response = page.goto(site.base_url + "/people/hiring?since=2026-01-01&until=2026-03-31")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Hiring pipeline"
    assert page.locator("section[data-section]").count() == 6
    fill = page.locator("table[data-section=time_to_fill] td[data-column=median_days]")
    assert fill.inner_text() == "42.5"
    acceptance = page.locator("table[data-section=offer_acceptance] td[data-column=acceptance]")
    assert acceptance.inner_text() == "67%"  # 2 of 3 decided offers
    page.locator("nav.groupings a[data-by=team]").click()
    groups = page.locator("table[data-section=pipeline] td[data-column=group]").all_inner_texts()
    assert groups == ["(no position)", "payments"]
    assert page.locator("nav.groupings strong").inner_text() == "team"
    assert page.locator("script").count() == 0
    save_artifact(page, "hiring-page")
    assert requests.blocked == []


def test_a_leaders_page_names_only_their_requisitions(site: Site, page) -> None:
    page.set_extra_http_headers({"Authorization": f"Bearer {site.tokens['leader']}"})
    response = page.goto(site.base_url + "/people/hiring?since=2026-01-01&until=2026-03-31")
    assert response is not None and response.status == 200
    cells = page.locator("table[data-section=requisitions] td[data-column=requisition]").all_inner_texts()
    assert cells == ["REQ-B"]
    assert "REQ-D" not in page.content() and "REQ-A" not in page.content()


def test_without_a_window_the_page_and_the_command_line_end_with_the_data(site: Site) -> None:
    page = site.get("/api/v1/people/hiring", "admin").json()
    done = run_quarterdeck("hiring", "--format", "json", "--db", str(site.db))
    assert done.returncode == 0, done.stderr
    command = json.loads(done.stdout)
    # The people export of 2026-03-31 is the data's last day; the window is the 365 days before.
    assert (page["since"], page["until"]) == (command["since"], command["until"]) == ("2025-03-31", "2026-03-31")
    assert page["requisitions"] == command["requisitions"]
