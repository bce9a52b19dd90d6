"""The dashboard's career ladder and promotion readiness pages over real HTTP and in a real
headless Chromium, on the warehouse of tests/test_ladder_readiness.py (two HR snapshots,
the test ladder, assessments): per-person readiness for admins and the leaders of the
person's unit only; members 403."""

from __future__ import annotations

import shutil

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, only_local_requests, page_fixture  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import served_in_thread
from tests.ladder_files import LADDER
from tests.money_files import warehouse_with_org, write
from tests.money_site import Site
from tests.test_ladder_readiness import ASSESSMENTS, PEOPLE_2025, PEOPLE_2026


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    patch = pytest.MonkeyPatch()
    patch.setenv("QUARTERDECK_TODAY", "2026-09-30")
    folder = tmp_path_factory.mktemp("people-web")
    db = warehouse_with_org(folder)
    for day, people in (("2025-06-30", PEOPLE_2025), ("2026-06-30", PEOPLE_2026)):
        done = run_quarterdeck("--db", str(db), "ingest", "org", str(write(folder, f"people-{day}.csv", people)))
        assert done.returncode == 0, done.stderr
    for command, file, text in (("ladder", "ladder.yaml", LADDER), ("assessments", "a.csv", ASSESSMENTS)):
        done = run_quarterdeck("ingest", command, str(write(folder, file, text)), "--db", str(db))
        assert done.returncode == 0, done.stderr
    copy = folder / "copy.duckdb"
    shutil.copy(db, copy)
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    (folder / "access.yaml").write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Lee Park, role: leader, unit: payments, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Sam Ito, role: member, team: platform, token_sha256: {tokens['member'][1]}}}\n"
    )
    app = create_app(db, load_settings(cli={"db": db}, env={}), load_records=lambda *a: None,
                     access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, copy)
    patch.undo()


def test_the_ladder_json_is_what_ladder_show_gives_for_everyone_signed_in(site) -> None:
    for role in ("admin", "leader", "member"):
        answer = site.get("/api/v1/people/ladder", role)
        assert answer.status_code == 200, answer.text
        shown = answer.json()
        assert shown["ladder"] == "Test ladder" and shown["hr_levels"] == {"L3": "IC2", "L4": "IC3"}
        assert len(shown["rows"]) == 9
    assert site.get("/api/v1/people/ladder").status_code == 401


def test_readiness_is_everyone_for_an_admin_the_units_people_for_a_leader_and_refused_to_a_member(site) -> None:
    admin = site.get("/api/v1/people/readiness?at=2026-09-30", "admin").json()
    assert {r["person_id"] for r in admin["rows"]} == {"E1", "E2", "E3", "E4", "E6", "E7", "E8"}
    e1 = next(r for r in admin["rows"] if r["person_id"] == "E1")
    # the same values as tests/test_ladder_readiness.py computes by hand
    assert (e1["readiness"], e1["pipeline"], e1["months_to_ready"], e1["months_in_level"]) == (
        0.6667, "within 6 months", 5.9, 33.0)  # fmt: skip
    leader = site.get("/api/v1/people/readiness?at=2026-09-30", "leader").json()
    assert {r["person_id"] for r in leader["rows"]} == {"E7", "E8"}  # payments only
    member = site.get("/api/v1/people/readiness?at=2026-09-30", "member")
    assert member.status_code == 403 and "readiness is per person" in member.json()["error"]
    assert site.get("/people/readiness", "member").status_code == 403
    assert site.get("/api/v1/people/readiness?at=2026-99-01", "admin").status_code == 400


def test_the_pages_in_a_browser_show_the_ladder_and_the_pipeline_to_a_leader(site, page) -> None:
    asked = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {site.tokens['leader']}"})
    response = page.goto(site.base_url + "/people/ladder")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Test ladder"
    assert page.locator("table.ladder tbody tr").count() == 9
    assert page.locator("tr[data-level=IC3][data-competency=Mentoring] td.rating").inner_text() == "2 (growing)"
    page.locator("a[href='/people/readiness']").first.click()
    assert page.locator("h1").inner_text().startswith("Promotion readiness on")
    page.goto(site.base_url + "/people/readiness?at=2026-09-30")
    assert page.locator("table.readiness tbody tr").count() == 2
    assert page.locator("tr[data-person=E8] td.readiness-share").inner_text() == "33 %"
    assert page.locator("ul.pipeline li[data-bucket=unknown]").get_attribute("data-count") == "2"
    assert page.locator("tr[data-person=E1]").count() == 0  # platform: not the leader's unit
    assert asked.blocked == []


def test_a_member_sees_the_ladder_page_but_not_readiness_in_a_browser(site, page) -> None:
    page.set_extra_http_headers({"Authorization": f"Bearer {site.tokens['member']}"})
    assert page.goto(site.base_url + "/people/ladder").status == 200
    assert page.goto(site.base_url + "/people/readiness").status == 403
