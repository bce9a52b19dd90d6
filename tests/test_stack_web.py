"""The dashboard's /stack page and its JSON over real HTTP and in a real headless Chromium, on
the repositories and organization of tests/stack_org.py: the same numbers as
``quarterdeck stack --format json``; each reader sees the repositories they may see."""

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
from tests.stack_org import build_stack_org

READERS = {"admin": "", "leader": "unit: eng", "member": "team: frontend"}


def cli_rows(db, *args):
    done = run_quarterdeck("--db", str(db), "stack", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["rows"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("stack-web")
    db = build_stack_org(folder)
    served = folder / "served"
    served.mkdir()
    shutil.copy(db, served / db.name)
    shutil.copy(folder / "standards.yaml", served / "standards.yaml")
    tokens = {who: new_token() for who in READERS}
    roles = {"admin": "admin", "leader": "leader", "member": "member"}
    (folder / "access.yaml").write_text("people:\n" + "".join(
        f"  - {{name: {who}, role: {roles[who]}, {READERS[who] + ', ' if READERS[who] else ''}"
        f"token_sha256: {tokens[who][1]}}}\n" for who in READERS
    ))  # fmt: skip
    app = create_app(served / db.name, load_settings(cli={"db": served / db.name}, env={}),
                     load_records=lambda *a: None, access=load_access(folder / "access.yaml"))  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, db)


def test_an_admin_gets_the_numbers_of_the_command_line(site) -> None:
    document = site.get("/api/v1/stack", "admin").json()
    assert document["languages"] == cli_rows(site.db, "languages")
    assert document["frameworks"] == cli_rows(site.db, "frameworks")
    assert document["sprawl"] == cli_rows(site.db, "sprawl")
    assert document["licences"] == cli_rows(site.db, "licences", "--by", "team")
    assert document["standards"]["findings"] == cli_rows(site.db, "standards")
    assert len(document["standards"]["repositories_off"]) == 7
    assert [u["path"] for u in document["unreadable"]] == ["package.json", "pom.xml", "services/api/setup.cfg"]
    summary = document["summary"]
    counted = (summary["repositories"], summary["dependencies"], summary["sprawling"], summary["copyleft"])
    assert counted == (8, 26, 2, 2)
    assert summary["unknown_licences"] == 22 and summary["unreadable"] == 3
    by_repo = site.get("/api/v1/stack", "admin", params={"by": "repository"}).json()
    assert by_repo["licences"] == cli_rows(site.db, "licences", "--by", "repo")


def test_each_reader_sees_the_repositories_they_may_see(site) -> None:
    member = site.get("/api/v1/stack", "member").json()  # frontend owns web and py-api
    assert {r["group"] for r in member["languages"]} == {"backend", "frontend"}  # py-api is backend's too
    assert [r for r in member["languages"] if r["group"] == "backend"] == [
        {"group": "backend", "language": "Python", "repositories": 1, "files": 2, "lines": 5, "share_of_lines": 0.5},
        {"group": "backend", "language": "Shell", "repositories": 1, "files": 1, "lines": 3, "share_of_lines": 0.3},
        {"group": "backend", "language": "Dockerfile", "repositories": 1, "files": 1, "lines": 2,
         "share_of_lines": 0.2},
    ]  # fmt: skip
    assert [r["dependency"] for r in member["sprawl"]] == ["react"]  # requests' other version is in broken
    assert member["standards"]["repositories_off"] == ["py-api", "web"]
    assert member["unreadable"] == [] and member["summary"]["repositories"] == 2
    leader = site.get("/api/v1/stack", "leader").json()  # eng: backend's and frontend's repositories
    assert leader["summary"]["repositories"] == 4
    assert {r["group"] for r in leader["languages"]} == {"backend", "frontend"}
    assert site.get("/api/v1/stack", "admin", params={"by": "x"}).status_code == 400
    assert site.get("/api/v1/stack").status_code == 401


def test_the_page_shows_the_stack_in_a_browser(site, page) -> None:
    requests = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {site.tokens['admin']}"})
    response = page.goto(site.base_url + "/stack")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Tech stack"
    kotlin = page.locator("table.stack-languages tr[data-group=backend][data-language=Kotlin]")
    assert kotlin.locator("td.lines").inner_text() == "9"
    assert kotlin.locator("td.share").inner_text() == "33.3 %"
    gpl = page.locator("table.stack-licences tr[data-group=backend][data-licence='GPL-2.0']")
    assert gpl.locator("td.copyleft").inner_text() == "strong"
    assert page.locator("table.stack-sprawl tr[data-dependency=requests] td.versions").inner_text() == "2"
    assert page.locator("table.stack-standards tr").count() == 12  # a header and 11 findings
    page.locator("p.groupings a", has_text="repository").click()
    ruby = page.locator("table.stack-languages tr[data-group=svc-ruby][data-language=Ruby] td.lines")
    assert ruby.inner_text() == "10"
    save_artifact(page, "stack")
    assert requests.blocked == []
