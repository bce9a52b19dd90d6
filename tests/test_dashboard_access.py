"""Signing in to the dashboard, and what each role sees, on a real server with an access file.

The demo's small organization is served with three people in ``access.yaml``: an admin, the
leader of a division and a member of a team. Which teams are in the division comes from
``quarterdeck org tree`` (another command, same date); tokens are made here and only their
SHA-256 is written to the file.
"""

from __future__ import annotations

import base64
import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.config import Settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.store import open_warehouse
from quarterdeck.web.app import create_app
from quarterdeck.web.board import warm_up
from quarterdeck.web.view import Filters
from tests.browser import chromium_fixture, page_fixture  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import DashboardServer, demo_warehouse
from tests.test_dashboard_api import expected_until


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dashboard-access")
    db = demo_warehouse(folder / "demo")
    division, inside, outside, above = org_parts(db, expected_until(db))
    tokens = write_access_file(folder / "access.yaml", division, outside[0])
    shutil.copy(db, folder / "copy.duckdb")  # for the computations ahead, while the server holds db
    server = DashboardServer(db, folder, extra=["--access", str(folder / "access.yaml")])
    yield server, tokens, division, inside, outside, above
    server.stop()


def write_access_file(path: Path, division: str, team: str) -> dict[str, str]:
    """An access file of an admin, a leader of ``division`` and a member of ``team``; their
    tokens by role."""
    tokens = {role: new_token() for role in ("admin", "leader", "member")}
    path.write_text(
        "people:\n"
        f"  - {{name: Dana Reyes, role: admin, token_sha256: {tokens['admin'][1]}}}\n"
        f"  - {{name: Lee Park, role: leader, unit: {division}, token_sha256: {tokens['leader'][1]}}}\n"
        f"  - {{name: Sam Ito, role: member, team: {team}, token_sha256: {tokens['member'][1]}}}\n",
        encoding="utf-8",
    )
    return {role: token for role, (token, _) in tokens.items()}


def org_parts(db, day: date) -> tuple[str, list[str], list[str], str]:
    """A unit for the leader (the deepest that leaves a team outside it), the teams in its
    subtree, the teams outside it and the unit above it, as ``org tree`` prints them."""
    done = run_quarterdeck("org", "tree", "--at", day.isoformat(), "--db", str(db), "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = [r for r in csv.DictReader(io.StringIO(done.stdout)) if r["kind"] == "unit"]
    teams = [r for r in rows if r["type"]]  # teams have a Team Topologies type

    def below(unit: dict) -> list[str]:
        return sorted(t["unit"] for t in teams if t["path"] == unit["path"] or t["path"].startswith(unit["path"] + "/"))

    candidates = [r for r in rows if below(r) and len(below(r)) < len(teams)]
    unit = min(candidates, key=lambda r: (-int(r["depth"]) if len(below(r)) > 1 else 0, r["path"]))
    inside = below(unit)
    outside = sorted(t["unit"] for t in teams if t["unit"] not in inside)
    assert inside and outside
    return unit["unit"], inside, outside, unit["path"].split("/")[-2]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_without_a_token_nothing_is_shown_and_the_browser_is_asked_to_sign_in(site):
    server, tokens, *_ = site
    page = server.get("/")
    assert page.status_code == 401 and page.headers["www-authenticate"].startswith('Basic realm="Quarterdeck"')
    api = server.get("/api/v1/scorecard", headers=bearer("qd_not-a-token"))
    assert api.status_code == 401 and api.json()["error"].startswith("sign in with your Quarterdeck token")
    assert server.get("/static/quarterdeck.css").status_code == 200
    basic = base64.b64encode(f"anyone:{tokens['admin']}".encode()).decode()
    assert server.get("/", headers={"Authorization": f"Basic {basic}"}).status_code == 200


def test_an_admin_sees_everything(site):
    server, tokens, _, _, outside, _ = site
    for path in ("/", "/api/v1/scorecard", f"/?team={outside[0]}", "/data-quality", "/org"):
        assert server.get(path, headers=bearer(tokens["admin"])).status_code == 200, path


def test_a_leader_sees_the_teams_of_their_unit_only(site):
    server, tokens, division, inside, outside, _ = site
    key = bearer(tokens["leader"])
    refused = server.get("/api/v1/scorecard", headers=key)
    assert (refused.status_code, refused.json()) == (
        403, {"error": f"your access covers the unit {division}, not the whole organization"}
    )  # fmt: skip
    assert server.get(f"/api/v1/scorecard?team={outside[0]}", headers=key).status_code == 403
    assert server.get(f"/?team={inside[0]}", headers=key).status_code == 200
    view = server.get(f"/api/v1/metrics/headcount?team={inside[0]}", headers=key)
    assert view.status_code == 200
    deploys = server.get(f"/api/v1/metrics/deployment_frequency?team={inside[0]}", headers=key).json()
    assert {part["team"] for part in deploys["breakdown"]} <= set(inside)
    admin = server.get(f"/api/v1/metrics/deployment_frequency?team={inside[0]}", headers=bearer(tokens["admin"]))
    assert {part["team"] for part in admin.json()["breakdown"]} & set(outside)  # there was something to hide
    picker = server.get(f"/?team={inside[0]}", headers=key).text
    assert all(f'value="team:{team}"' in picker for team in inside)
    assert f'value="{scope_kind(inside, division)}:{division}"' in picker
    assert not any(f'value="team:{team}"' in picker for team in outside)
    assert server.get("/data-quality", headers=key).status_code == 403
    tree = server.get("/org", headers=key).text
    assert all(f'data-team="{team}"' in tree for team in inside)
    assert not any(f'data-team="{team}"' in tree for team in outside)


def test_a_leader_sees_their_units_total_and_is_taken_there_from_the_overview(site):
    server, tokens, division, inside, _, above = site
    key = bearer(tokens["leader"])
    own = server.get(f"/api/v1/scorecard?unit={division}", headers=key)
    assert own.status_code == 200 and own.json()["scope"] == f"unit:{division}"
    kind = scope_kind(inside, division)  # the leader's own scope: a unit, or a team without units below
    for path in ("/", "/metrics/lead_time_for_changes?months=6"):
        moved = server.get(path, headers=key, follow_redirects=False)
        assert moved.status_code == 303, path
        assert moved.headers["location"].endswith(f"{kind}={division}"), moved.headers["location"]
    page = server.get("/", headers=key, follow_redirects=True)
    assert page.status_code == 200 and f"<h1>{kind.capitalize()} " in page.text
    refused = server.get(f"/api/v1/scorecard?unit={above}", headers=key)
    assert (refused.status_code, refused.json()) == (
        403, {"error": f"your access covers the unit {division}, not unit {above}"}
    )  # fmt: skip
    # the drill-down stays inside: the units below the division, none above
    view = server.get(f"/api/v1/metrics/deployment_frequency?unit={division}", headers=key).json()
    assert {part["unit"] for part in view["units"]} <= set(inside)


def scope_kind(inside: list[str], unit: str) -> str:
    return "team" if inside == [unit] else "unit"


def test_a_member_sees_their_team_only(site):
    server, tokens, _, inside, outside, _ = site
    key, mine = bearer(tokens["member"]), outside[0]
    assert server.get(f"/api/v1/scorecard?team={mine}", headers=key).status_code == 200
    for other in (*inside, *outside[1:]):
        assert server.get(f"/api/v1/scorecard?team={other}", headers=key).status_code == 403, other
    assert server.get("/api/v1/scorecard", headers=key).status_code == 403
    view = server.get(f"/api/v1/metrics/lead_time_for_changes?team={mine}", headers=key).json()
    assert {part["team"] for part in view["breakdown"]} <= {mine} and view["services"] == []
    assert view["rows"] and {row[0] for row in view["rows"]} == {mine}


def test_a_member_signs_in_from_the_browser(site, chromium):
    server, tokens, _, _, outside, _ = site
    context = chromium.new_context(http_credentials={"username": "sam", "password": tokens["member"]})
    try:
        page = context.new_page()
        page.goto(f"{server.base_url}/?team={outside[0]}")
        assert page.locator("h1").inner_text().startswith("Team ")
        assert page.locator("select[name=scope] option").count() == 2  # the organization, and their team
    finally:
        context.close()


def test_the_overviews_people_land_on_are_computed_ahead(site):
    server, _, division, inside, outside, _ = site
    folder = server.log.parent
    copy = folder / "copy.duckdb"
    app = create_app(copy, Settings(db=copy), load_records=None, access=load_access(folder / "access.yaml"))
    with open_warehouse(copy) as warehouse:
        warm_up(app, lambda work: work(warehouse))
    results = app.state.results
    assert ("board", Filters()) in results
    assert ("metric", "lead_time_for_changes", Filters()) in results  # the default overview's pages
    top = results.get(("board", Filters()), lambda: None)
    assert top.below and all(("board", Filters(**{kind: ident})) in results for kind, ident, _ in top.below)
    assert ("board", Filters(**{scope_kind(inside, division): division})) in results  # the leader's
    assert ("board", Filters(team=outside[0])) in results  # the member's
