"""The reorg what-if page (``/plans/org/{file}``) in a real headless Chromium, and its JSON:
an admin sees the proposal before and after; a member is refused; a leader sees a proposal
inside their unit (without the organization's totals) and is refused one that reaches
outside it. Served on the small organization of tests/org_small.py; the figures are those
worked out by hand in tests/test_org_what_if.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, only_local_requests, page_fixture, save_artifact  # noqa: F401
from tests.dashboard_server import served_in_thread
from tests.org_small import build_small_org
from tests.orgdata import write
from tests.test_org_what_if import SPLIT

OUTSIDE = "moves:\n  - person: Quin Lee\n    team: search\n"  # from platform (infra) into search (product)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("what-if-web")
    db = build_small_org(folder, codeowners=False)
    write(folder, "plans/split.yaml", SPLIT)
    write(folder, "plans/outside.yaml", OUTSIDE)
    write(folder, "plans/bad.yaml", "moves:\n  - person: P18\n    team: billing\n")
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    write(folder, "access.yaml", "people:\n"
          f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
          f"  - {{name: Ben Product, role: leader, unit: product, token_sha256: {tokens['leader'][1]}}}\n"
          f"  - {{name: Fay Adams, role: member, team: checkout, token_sha256: {tokens['member'][1]}}}\n")  # fmt: skip
    settings = replace(load_settings(cli={"db": db}), plans_folder=folder / "plans",
                       loaded_cost_multipliers=(("Berlin", 1.3), ("*", 1.2)))  # fmt: skip
    app = create_app(db, settings, load_records=None, access=load_access(folder / "access.yaml"))
    with served_in_thread(app) as http:
        yield http, {role: token for role, (token, _) in tokens.items()}


def get(site, path: str, role: str):
    http, tokens = site
    return http.get(path, headers={"Authorization": f"Bearer {tokens[role]}"})


def signed_in(page, site, role: str):
    page.set_extra_http_headers({"Authorization": f"Bearer {site[1][role]}"})
    return page


def test_an_admin_sees_the_proposal_before_and_after(site, page) -> None:
    requests = only_local_requests(signed_in(page, site, "admin"))
    response = page.goto(str(site[0].base_url) + "/plans/org/split.yaml?at=2025-06-30")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Reorg what-if: Split checkout"
    above = page.locator('tr[data-measure="managers above 8 reports"]')
    assert (above.locator(".before").inner_text(), above.locator(".after").inner_text()) == ("1", "0")
    checkout = page.locator("tr[data-unit=checkout]")
    assert checkout.locator(".people-before").inner_text() == "11"
    assert checkout.locator(".people-after").inner_text() == "6"
    assert checkout.locator(".cost-before").inner_text() == "1,384,000"
    assert checkout.locator(".cost-after").inner_text() == "796,000"
    assert page.locator("tr[data-unit=payments] .levels").inner_text() == "IC1 1, IC2 2, IC3 1, IC4 1"
    assert page.locator("tr[data-person=P13] .to-manager").inner_text() == "P02"
    resolved = page.locator(".resolved-findings li").evaluate_all("items => items.map(i => i.dataset.subject)")
    assert resolved == ["P02", "P04", "checkout"]
    save_artifact(page, "org-what-if")
    assert requests.blocked == []
    data = get(site, "/api/v1/plans/org/split.yaml?at=2025-06-30", "admin").json()
    assert ["managers above 8 reports", 1, 0] in data["summary"]
    assert [m["person_id"] for m in data["moves"]] == ["P11", "P12", "P13", "P14", "P15"]


def test_a_member_gets_a_403(site, page) -> None:
    signed_in(page, site, "member")
    response = page.goto(str(site[0].base_url) + "/plans/org/split.yaml?at=2025-06-30")
    assert response is not None and response.status == 403
    assert "money figures are for admins and leaders" in page.locator(".problem").inner_text()
    assert get(site, "/api/v1/plans/org/split.yaml", "member").status_code == 403


def test_a_leader_sees_a_proposal_inside_their_unit_only(site, page) -> None:
    signed_in(page, site, "leader")
    response = page.goto(str(site[0].base_url) + "/plans/org/split.yaml?at=2025-06-30")
    assert response is not None and response.status == 200
    assert page.locator("table.what-if-summary").count() == 0  # no totals of the whole organization
    units = page.locator("table.what-if-units tbody tr").evaluate_all("rows => rows.map(r => r.dataset.unit)")
    assert units == ["checkout", "payments", "product"]  # eng changes too, but is outside product
    response = page.goto(str(site[0].base_url) + "/plans/org/outside.yaml?at=2025-06-30")
    assert response is not None and response.status == 403
    assert "this proposal touches platform" in page.locator(".problem").inner_text()
    assert get(site, "/api/v1/plans/org/outside.yaml?at=2025-06-30", "admin").status_code == 200


def test_file_names_stay_in_the_plans_folder_and_bad_files_say_why(site) -> None:
    for name in ("..%2Forg.duckdb", ".hidden", "%2E%2E%2Faccess.yaml"):  # refused, or no route at all
        assert get(site, f"/api/v1/plans/org/{name}", "admin").status_code in (400, 404), name
    folded = get(site, "/api/v1/plans/org/..", "admin")  # the client folds the ".." away: the folder's listing
    assert folded.status_code == 200 and set(folded.json()) == {"folder", "files"}
    assert get(site, "/api/v1/plans/org/.hidden", "admin").status_code == 400
    missing = get(site, "/api/v1/plans/org/missing.yaml", "admin")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no proposed-org file missing.yaml in the plans folder"}
    bad = get(site, "/api/v1/plans/org/bad.yaml?at=2025-06-30", "admin")
    assert bad.status_code == 422
    assert bad.json()["error"].startswith("bad.yaml:2: moves: team: no team 'billing' exists on 2025-06-30")
