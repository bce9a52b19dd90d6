"""The succession page and its JSON over real HTTP and in a real headless Chromium, on the
organization of tests/succession_org.py with the succession file of
tests/test_succession_findings.py: the same numbers as `quarterdeck succession`; an admin
sees every unit, the leader of pay only pay's roles (people outside pay unnamed), a member
nothing."""

from __future__ import annotations

import json

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, only_local_requests, page_fixture  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import served_in_thread
from tests.money_site import Site
from tests.orgdata import write
from tests.succession_org import build_succession_org
from tests.test_succession_findings import SUCCESSION

AT = {"at": "2026-06-30"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("succession-web")
    db = build_succession_org(folder)
    done = run_quarterdeck("--db", str(db), "ingest", "succession", str(write(folder, "s.csv", SUCCESSION)))
    assert done.returncode == 0, done.stderr
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    (folder / "access.yaml").write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Lee Park, role: leader, unit: pay, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Sam Ito, role: member, team: checkout, token_sha256: {tokens['member'][1]}}}\n"
    )
    cli = run_quarterdeck("succession", "--db", str(db), "--at", AT["at"], "--format", "json")
    assert cli.returncode == 0, cli.stderr
    app = create_app(db, load_settings(cli={"db": db}, env={}), load_records=lambda *a: None,
                     access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, db), json.loads(cli.stdout)


def test_an_admin_gets_the_command_lines_document(site) -> None:
    served, cli = site
    answer = served.get("/api/v1/people/succession", "admin", params=AT)
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli
    assert answer.json()["no_ready_successor"] == ["M2", "V1", "infra-tools"]


def test_a_leader_sees_their_unit_only_and_people_outside_it_unnamed_a_member_nothing(site) -> None:
    served, _ = site
    answer = served.get("/api/v1/people/succession", "leader", params=AT)
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["unit"] == "pay"
    assert [r["role"] for r in document["roles"]] == ["D1", "M1", "M2", "checkout-api"]
    assert [b["unit"] for b in document["bench"]] == ["pay", "checkout", "ledger"]
    named = {s["person"] for r in document["roles"] for s in r["successors"]} | {r["holder"] for r in document["roles"]}
    assert named == {"D1", "M1", "M2", "E1", "E3", None}  # everyone in pay; Ola (E4, of infra) is not named
    (m2,) = [r for r in document["roles"] if r["role"] == "M2"]
    assert m2["successors"][1] == {"person": None, "name": "someone outside the unit", "readiness": "3+ years"}
    assert (
        served.get("/api/v1/people/succession", "leader", params={**AT, "unit": "checkout"}).json()["unit"]
        == "checkout"
    )
    assert served.get("/api/v1/people/succession", "leader", params={**AT, "unit": "infra"}).status_code == 403
    assert served.get("/api/v1/people/succession", "member", params=AT).status_code == 403
    assert served.get("/people/succession", "member", params=AT).status_code == 403


def test_a_bad_date_or_unit_is_a_clear_400(site) -> None:
    served, _ = site
    bad = served.get("/api/v1/people/succession", "admin", params={"at": "June"})
    assert bad.status_code == 400 and "expected a date as YYYY-MM-DD" in bad.text
    unknown = served.get("/api/v1/people/succession", "admin", params={**AT, "unit": "nowhere"})
    assert unknown.status_code == 400 and "unknown unit 'nowhere'" in unknown.text


def test_the_page_shows_the_findings_in_a_real_browser(site, page) -> None:
    served, _ = site
    requests = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {served.tokens['admin']}"})
    response = page.goto(served.base_url + "/people/succession?at=2026-06-30")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Succession"
    assert page.locator("ul.no-ready li").all_inner_texts() == ["M2", "V1", "infra-tools"]
    assert page.locator("table.key-roles tr[data-role=M3] td.ready-now").inner_text() == "2"
    assert page.locator("table.bench tr[data-unit=pay] td.share").inner_text() == "75 %"
    assert page.locator("table.bench tr[data-unit=infra] td.per-role").inner_text() == "1.00"
    assert (
        page.locator("ul.single-points li[data-person=M1]").inner_text()
        == "Mia Shop (manager of checkout): checkout-api"
    )
    assert page.locator("ul.over-committed li[data-person=E1]").count() == 1
    page.fill("input[name=unit]", "infra")
    page.locator("form.succession-filter button").click()
    assert page.locator("h1").inner_text() == "Succession: infra"
    assert page.locator("table.key-roles tbody tr").count() == 2
    assert page.locator("script").count() == 0
    assert requests.blocked == []
