"""The dashboard's survey page over real HTTP and in a real headless Chromium: the survey of
tests/test_survey_results.py (checkout's 4 respondents suppressed, payments' 5 as its
complement), the same numbers as ``quarterdeck survey --format json``, each reader seeing the
teams they may see, suppressed groups shown as suppressed."""

from __future__ import annotations

import json

import pytest

from quarterdeck.config import load_settings
from quarterdeck.config.access import load_access, new_token
from quarterdeck.web.app import create_app
from tests.browser import chromium_fixture, only_local_requests, page_fixture, save_artifact  # noqa: F401
from tests.conftest import run_quarterdeck
from tests.dashboard_server import served_in_thread
from tests.money_files import write
from tests.money_site import Site
from tests.survey_files import MAPPING, export, ingest, organization
from tests.test_survey_results import ROWS

READERS = {"admin": "", "leader": "unit: product", "member": "team: checkout", "searcher": "team: search"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("surveys-web")
    db = organization(folder)
    done = ingest(db, write(folder, "export.csv", export(ROWS)), write(folder, "mapping.yaml", MAPPING))
    assert done.returncode == 0, done.stderr
    command = run_quarterdeck("survey", "--db", str(db), "--format", "json")
    tokens = {who: new_token() for who in READERS}
    roles = {"admin": "admin", "leader": "leader", "member": "member", "searcher": "member"}
    (folder / "access.yaml").write_text("people:\n" + "".join(
        f"  - {{name: {who}, role: {roles[who]}, {READERS[who] + ', ' if READERS[who] else ''}"
        f"token_sha256: {tokens[who][1]}}}\n" for who in READERS
    ))  # fmt: skip
    app = create_app(db, load_settings(cli={"db": db}, env={}), load_records=lambda *a: None,
                     access=load_access(folder / "access.yaml"), dashboard=True)  # fmt: skip
    with served_in_thread(app) as http:
        yield Site(http, str(http.base_url), {r: t for r, (t, _) in tokens.items()}, db), json.loads(command.stdout)


def test_an_admin_gets_the_numbers_of_the_command_line(site) -> None:
    served, command = site
    answer = served.get("/api/v1/people/surveys", "admin")
    assert answer.status_code == 200, answer.text
    document = answer.json()
    for key in ("survey", "groups", "scores", "comments", "questions", "min_group_size"):
        assert document[key] == command[key], key
    assert document["surveys"] == ["devex-2026-Q2"]
    # no pull request nor incident in this warehouse: each theme is listed with no team measured
    beside = {b["theme"]: b for b in document["beside_metrics"]}
    assert sorted(beside) == ["build speed", "review"]  # the themes of its Likert items with a metric
    assert beside["build speed"]["metric"] == "pr_ci_wait" and beside["build speed"]["n_teams"] == 0
    assert "too few for an association" in beside["review"]["statement"]


def test_each_reader_sees_the_teams_they_may_see_and_suppressed_stays_suppressed(site) -> None:
    served, _ = site
    groups = {}
    for who in ("leader", "member", "searcher"):
        answer = served.get("/api/v1/people/surveys", who)
        assert answer.status_code == 200, answer.text
        groups[who] = {g["group"]: g["responses"] for g in answer.json()["groups"]}
    assert groups["leader"] == {"checkout": "suppressed", "search": 6, "payments": "suppressed"}
    assert groups["member"] == {"checkout": "suppressed"}  # a team of 4 never sees its own numbers
    assert groups["searcher"] == {"search": 6}
    units = served.get("/api/v1/people/surveys", "leader", params={"by": "unit"}).json()
    assert [g["group"] for g in units["groups"]] == ["product"]
    assert [c["group"] for c in units["comments"]] == ["product"]
    assert served.get("/api/v1/people/surveys", "admin", params={"by": "x"}).status_code == 400
    missing = served.get("/api/v1/people/surveys", "admin", params={"survey": "nope"})
    assert missing.status_code == 404 and "unknown survey 'nope'" in missing.json()["error"]


def test_the_page_shows_each_group_and_suppressed_ones_as_suppressed(site, page) -> None:
    served, _ = site
    requests = only_local_requests(page)
    page.set_extra_http_headers({"Authorization": f"Bearer {served.tokens['admin']}"})
    response = page.goto(served.base_url + "/people/surveys")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Survey devex-2026-Q2"
    checkout = page.locator("table.survey-groups tr[data-group=checkout]")
    assert checkout.get_attribute("class") == "suppressed"
    assert checkout.locator("td.responses").inner_text() == "suppressed"
    assert {checkout.locator("td.score").nth(i).inner_text() for i in range(3)} == {"suppressed"}
    search = page.locator("table.survey-groups tr[data-group=search]")
    assert search.locator("td.rate").inner_text() == "60 %"
    assert search.locator("td.score[data-question=enps]").inner_text() == "eNPS +17"
    assert search.locator("td.score[data-question=ci_feedback]").inner_text() == "50 % (3.17)"
    assert page.locator("section.survey-comments").count() == 1  # the organization's only, by team
    assert page.locator("table.survey-beside tr[data-theme='build speed'] td.n").inner_text() == "0"
    page.locator("a", has_text="unit").first.click()
    assert page.locator("table.survey-groups tr[data-group=product] td.responses").inner_text() == "15"
    save_artifact(page, "surveys")
    assert requests.blocked == []
