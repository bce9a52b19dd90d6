"""The rows behind every metric, as a leader or a member may see them, and the headers of every
answer, on a real server with an access file and real tokens.

The demo's small organization (two teams under one division) is served with two more real
git repositories ingested beside the demo's: one that no team owns, and one that no service
lists but whose CODEOWNERS gives most of its lines to the member's team and a few to the
leader's (so it is the member's only: a repository's owning team owns most of its lines).
Which team owns the demo's repositories and services is read here from the org inputs as
stored (``service_periods``: the services of the demo's org file and the repositories they
list); who is on which team from ``quarterdeck org tree --people``, another command.
"""

from __future__ import annotations

import base64
import csv
import io
import shutil
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlencode

import duckdb
import pytest
from starlette.routing import Route

from quarterdeck.config import Settings
from quarterdeck.config.access import load_access
from quarterdeck.web.app import create_app
from quarterdeck.web.headers import CSP
from tests.browser import chromium_fixture, page_fixture  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import DashboardServer, demo_warehouse, served_in_thread
from tests.gitrepo import Person, Repo
from tests.orgdata import people_csv, write
from tests.test_dashboard_access import bearer, org_parts, scope_kind, write_access_file
from tests.test_dashboard_api import expected_until

UNOWNED = "tools-unowned"
CODEOWNED = "tools-codeowned"
REPOSITORY_METRICS = ("bus_factor", "code_age", "hotspots", "churn", "commits")
SLO_METRICS = ("error_budget_remaining", "error_budget_burn_rate")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("dashboard-sight")
    db = demo_warehouse(folder / "demo")
    until = expected_until(db)
    division, inside, outside, _ = org_parts(db, until)
    day = until - timedelta(days=6)
    add_repository(db, folder / UNOWNED, day, {"tool.py": 40})
    codeowners = f"* @acme/{outside[0]}\n/small/ @acme/{inside[0]}\n"
    add_repository(db, folder / CODEOWNED, day, {"main.py": 200, "small/x.py": 10, "CODEOWNERS": codeowners})
    tokens = write_access_file(folder / "access.yaml", division, outside[0])
    owners = ownership(db)
    owners.setdefault(outside[0], {"repositories": set(), "services": set()})["repositories"].add(CODEOWNED)
    viewers = {
        "leader": (scope_kind(inside, division), division, inside),
        "member": ("team", outside[0], [outside[0]]),
    }
    shutil.copy(db, folder / "copy.duckdb")
    server = DashboardServer(db, folder, extra=["--access", str(folder / "access.yaml")])
    yield {
        "server": server,
        "tokens": tokens,
        "viewers": viewers,
        "owners": owners,
        "folder": folder,
    }
    server.stop()


def add_repository(db: Path, path: Path, day, files: dict) -> None:
    """A repository named by no service, with its files (a number: that many lines) in two
    commits in the window's last month by someone outside the organization, ingested with
    ``quarterdeck ingest git`` (which reads its CODEOWNERS, if it has one)."""
    repo = Repo.create(path)
    outsider = Person("Ola Outsider", "ola@elsewhere.example")
    for hour, words in ((10, "hello"), (11, "hello, world")):
        for name, content in files.items():
            repo.write(name, f"print('{words}')\n" * content if isinstance(content, int) else content)
        repo.commit(f"{words} at {hour}", f"{day.isoformat()}T{hour}:00:00+00:00", author=outsider)
    done = run_quarterdeck("--db", str(db), "ingest", "git", str(path))
    assert done.returncode == 0, done.stderr


def ownership(db: Path) -> dict[str, dict[str, set[str]]]:
    """Each team's repositories and services, as the org inputs give them."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT owner_team_id, service_id, repositories FROM service_periods").fetchall()
        repositories = {r[0] for r in con.execute("SELECT name FROM repositories").fetchall()}
    owners: dict[str, dict[str, set[str]]] = {}
    for team, service, names in rows:
        mine = owners.setdefault(team, {"repositories": set(), "services": set()})
        mine["repositories"] |= set(names)
        mine["services"].add(service)
    assert {UNOWNED, CODEOWNED} <= repositories
    assert not any({UNOWNED, CODEOWNED} & o["repositories"] for o in owners.values())
    return owners


def owned(site: dict, teams: list[str], what: str) -> set[str]:
    return set().union(*(site["owners"].get(team, {}).get(what, set()) for team in teams))


def all_of(site: dict, what: str) -> set[str]:
    return owned(site, list(site["owners"]), what)


def column(body: dict, name: str) -> set[str]:
    at = body["columns"].index(name)
    return {row[at] for row in body["rows"]}


@pytest.mark.parametrize("role", ["leader", "member"])
@pytest.mark.parametrize("metric", REPOSITORY_METRICS)
def test_repository_metric_rows_are_those_of_the_repositories_the_viewers_teams_own(site, role, metric):
    server, key = site["server"], bearer(site["tokens"][role])
    kind, ident, teams = site["viewers"][role]
    mine = owned(site, teams, "repositories")
    others = (all_of(site, "repositories") | {UNOWNED}) - mine
    assert mine and others
    query = urlencode({kind: ident})
    body = server.get(f"/api/v1/metrics/{metric}?{query}", headers=key).json()
    table = list(csv.reader(io.StringIO(server.get(f"/api/v1/metrics/{metric}/rows.csv?{query}", headers=key).text)))
    assert table[0] == body["columns"]
    assert column(body, "repository") <= mine
    assert {row[table[0].index("repository")] for row in table[1:]} <= mine
    if metric != "hotspots":  # a row (or one per week, per age band) for every repository
        assert column(body, "repository") == mine
    page = server.get(f"/metrics/{metric}?{query}", headers=key)
    assert page.status_code == 200
    assert not [name for name in others if name in page.text]


def test_an_unowned_repository_is_for_admins_only(site):
    server, tokens = site["server"], site["tokens"]
    for metric in ("bus_factor", "code_age"):
        body = server.get(f"/api/v1/metrics/{metric}", headers=bearer(tokens["admin"])).json()
        assert column(body, "repository") == all_of(site, "repositories") | {UNOWNED}
    for role in ("leader", "member"):
        refused = server.get(f"/api/v1/metrics/bus_factor?repository={UNOWNED}", headers=bearer(tokens[role]))
        assert refused.status_code == 403
        kind, ident, _ = site["viewers"][role]
        page = server.get(f"/metrics/bus_factor?{kind}={ident}", headers=bearer(tokens[role]))
        assert page.status_code == 200 and UNOWNED not in page.text


@pytest.mark.parametrize("role", ["leader", "member"])
@pytest.mark.parametrize("metric", SLO_METRICS)
def test_slo_rows_are_those_of_the_viewers_services(site, role, metric):
    server, key = site["server"], bearer(site["tokens"][role])
    kind, ident, teams = site["viewers"][role]
    mine = owned(site, teams, "services")
    body = server.get(f"/api/v1/metrics/{metric}?{urlencode({kind: ident})}", headers=key).json()
    assert column(body, "service") == mine
    download = server.get(f"/api/v1/metrics/{metric}/rows.csv?{urlencode({kind: ident})}", headers=key)
    table = list(csv.reader(io.StringIO(download.text)))
    assert {row[table[0].index("service")] for row in table[1:]} == mine
    admin = server.get(f"/api/v1/metrics/{metric}", headers=bearer(site["tokens"]["admin"])).json()
    assert column(admin, "service") == all_of(site, "services") > mine


@pytest.mark.parametrize("role", ["leader", "member"])
def test_a_metric_read_once_for_the_window_keeps_the_scopes_own_group(site, role):
    # dora_performance has no monthly series: its page read the organization's row, and showed none
    server, key = site["server"], bearer(site["tokens"][role])
    kind, ident, _ = site["viewers"][role]
    body = server.get(f"/api/v1/metrics/dora_performance?{urlencode({kind: ident})}", headers=key).json()
    assert body["rows"] and column(body, "group") == {ident}
    table = list(
        csv.DictReader(
            io.StringIO(
                server.get(f"/api/v1/metrics/dora_performance/rows.csv?{urlencode({kind: ident})}", headers=key).text
            )
        )
    )
    assert {row["group"] for row in table} == {ident}


def people_by_unit(site: dict) -> dict[str, dict[str, str]]:
    """unit -> {person id: name}, as ``quarterdeck org tree --people`` prints the org of today
    (the date /org shows by default)."""
    done = run_quarterdeck("org", "tree", "--people", "--db", str(site["folder"] / "copy.duckdb"), "--format", "csv")
    assert done.returncode == 0, done.stderr
    found: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(io.StringIO(done.stdout)):
        if row["kind"] == "person":
            found.setdefault(row["unit"], {})[row["person_id"]] = row["person"]
    return found


@pytest.mark.parametrize("role", ["leader", "member"])
def test_the_org_page_shows_a_leader_or_member_their_subtree_and_its_findings_only(site, role):
    server, key = site["server"], bearer(site["tokens"][role])
    _, _, teams = site["viewers"][role]
    units = people_by_unit(site)
    inside = {pid: name for unit in teams for pid, name in units.get(unit, {}).items()}
    outside = {pid: name for unit, people in units.items() if unit not in teams for pid, name in people.items()}
    assert inside and outside
    page = server.get("/org", headers=key)
    assert page.status_code == 200
    named = [name for name in outside.values() if name not in inside.values() and name in page.text]
    assert named == []
    subjects = [part.split('"')[1] for part in page.text.split("data-subject=")[1:]]
    assert set(subjects) <= set(teams) | set(inside)
    admin = server.get("/org", headers=bearer(site["tokens"]["admin"])).text
    assert any(name in admin for name in outside.values())  # there was someone to leave out


def headers_of(answer) -> dict[str, str]:
    return {name: answer.headers.get(name, "") for name in ("content-security-policy", "x-content-type-options",
                                                           "referrer-policy", "cache-control")}  # fmt: skip


def test_every_answer_carries_the_security_headers(site):
    server, tokens = site["server"], site["tokens"]
    admin, leader = bearer(tokens["admin"]), bearer(tokens["leader"])
    basic = {"Authorization": "Basic " + base64.b64encode(f"me:{tokens['admin']}".encode()).decode()}
    service = sorted(all_of(site, "services"))[0]
    asked = [
        ("/", admin, 200), ("/", basic, 200), ("/api/v1/scorecard", admin, 200), ("/api/v1/scorecard.csv", admin, 200),
        ("/metrics/bus_factor", admin, 200), ("/org", admin, 200), ("/api/v1/openapi.json", admin, 200),
        ("/", {}, 401), ("/api/v1/scorecard", {}, 401),
        ("/api/v1/scorecard", leader, 403), ("/data-quality", leader, 403),
        ("/no-such-page", admin, 404), ("/api/v1/metrics/no_such_metric", admin, 404), ("/metrics/nope", admin, 404),
        (f"/metrics/headcount?service={service}", admin, 422),
        (f"/api/v1/metrics/headcount?service={service}", admin, 422),
        ("/?months=99", admin, 400), ("/api/v1/scorecard?months=99", admin, 400), ("/static/quarterdeck.css", {}, 200),
    ]  # fmt: skip
    for path, key, status in asked:
        answer = server.get(path, headers=key)
        assert answer.status_code == status, path
        shown = headers_of(answer)
        assert shown["content-security-policy"] == CSP, (path, status)
        assert shown["x-content-type-options"] == "nosniff", (path, status)
        assert shown["referrer-policy"] == "no-referrer", (path, status)
        if key:
            assert "no-store" in shown["cache-control"], (path, status)


def test_an_unexpected_failure_carries_the_security_headers_too(site):
    folder = site["folder"]
    copy = folder / "copy.duckdb"
    app = create_app(copy, Settings(db=copy), load_records=None, access=load_access(folder / "access.yaml"))

    async def broken(request):
        raise RuntimeError("a bug")

    app.router.routes += [Route("/broken", broken), Route("/api/v1/broken", broken)]
    with served_in_thread(app) as client:
        for path in ("/broken", "/api/v1/broken"):
            # uvicorn closes the connection after an app's exception: one connection a request
            answer = client.get(path, headers={**bearer(site["tokens"]["admin"]), "Connection": "close"})
            assert answer.status_code == 500
            assert "a bug" not in answer.text
            shown = headers_of(answer)
            assert (shown["content-security-policy"], shown["x-content-type-options"]) == (CSP, "nosniff"), path
            assert shown["referrer-policy"] == "no-referrer" and "no-store" in shown["cache-control"], path


# -- a team whose id is more than ASCII -----------------------------------------------------------

TEAM = "équipe-ü"


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory):
    """An organization of one team, ``équipe-ü``, served without an access file."""
    folder = tmp_path_factory.mktemp("equipe")
    org = write(folder, "org.yaml", f"teams:\n  - id: {TEAM}\n    name: Équipe Ü\n    type: stream-aligned\n")
    people = people_csv(
        folder,
        "people.csv",
        *(f"P{i},Person {i},p{i}@example.com,,Engineer,IC2,engineer,,{TEAM},Lyon,full-time,2024-01-0{i},,,,"
          for i in range(1, 7)),
    )  # fmt: skip
    db = folder / "org.duckdb"
    done = run_quarterdeck("--db", str(db), "ingest", "org", str(people), str(org), "--as-of", "2026-10-31")
    assert done.returncode == 0, done.stderr
    server = DashboardServer(db, folder)
    yield server
    server.stop()


def download_name(disposition: str) -> str:
    """The file name a client reads from Content-Disposition: ``filename*`` when given
    (RFC 6266 section 4.3), its value ``CHARSET'LANGUAGE'PERCENT-ENCODED`` (RFC 5987)."""
    params = dict(part.strip().split("=", 1) for part in disposition.split(";")[1:])
    if "filename*" not in params:
        return params["filename"].strip('"')
    charset, _, encoded = params["filename*"].split("'", 2)
    return unquote(encoded, encoding=charset, errors="strict")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/scorecard.csv", f"scorecard-team-{TEAM}.csv"),
        ("/api/v1/metrics/headcount/rows.csv", f"headcount-team-{TEAM}-rows.csv"),
        ("/api/v1/metrics/headcount/series.csv", f"headcount-team-{TEAM}-series.csv"),
    ],
)
def test_a_csv_of_a_team_with_letters_beyond_ascii_keeps_its_name(french, path, name):
    answer = french.get(f"{path}?{urlencode({'team': TEAM})}")
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert disposition.isascii()
    assert download_name(disposition) == name
    assert 'filename="' in disposition and "filename*=UTF-8''" in disposition  # a plain name for old clients


def test_the_browser_saves_the_csv_under_the_teams_name(french, page):
    page.goto(f"{french.base_url}/?{urlencode({'team': TEAM})}")
    with page.expect_download() as download:
        page.click("p.downloads a.download")
    assert download.value.suggested_filename == f"scorecard-team-{TEAM}.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("area,metric,title")
