"""The dashboard's org tree (``/org``) and data-quality (``/data-quality``) pages, on a real
server, against the command line.

The warehouse is the demo's small simulated organization, plus one incidents file holding
what the data-quality checks look for: 60 incidents without a service (more than the 50
rows a page shows), one whose id is markup and whose deployment is unknown, one rejected
row and one duplicate. The expected values are what ``quarterdeck org tree``, ``org check``
and ``data-quality`` print as JSON for the same dates (the same code, run by another
process, before the server takes the warehouse). Both the server and the command line are
told today is 2024-08-31, so the page's default date can be compared with the CLI's.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from quarterdeck.metrics.data_quality import check_names
from quarterdeck.web.pages import CSP
from tests.conftest import run_quarterdeck
from tests.dashboard_server import DashboardServer, demo_warehouse

TODAY = "2024-08-31"  # the demo's organization: 2024-01-31 to 2024-12-31
EARLY = "2024-01-31"  # its first import: other headcounts than on TODAY
MARKUP_ID = "<script>alert(1)</script>"
WITHOUT_SERVICE = 60


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("org-pages")
    db = demo_warehouse(folder / "demo")
    extra = folder / "extra-incidents.ndjson"
    extra.write_text("".join(json.dumps(r) + "\n" for r in _awkward_incidents()), encoding="utf-8")
    loaded = run_quarterdeck("ingest", "incidents", str(extra), "--db", str(db))
    assert loaded.returncode == 3, loaded.stderr  # 3: loaded, with rows rejected
    cli = {
        "tree": cli_json(db, "org", "tree"),
        "tree_early": cli_json(db, "org", "tree", "--at", EARLY),
        "tree_logistics": cli_json(db, "org", "tree", "--at", EARLY, "--unit", "logistics"),
        "check": cli_json(db, "org", "check"),
        "check_early": cli_json(db, "org", "check", "--at", EARLY),
        "data_quality": cli_json(db, "data-quality"),
    }
    server = DashboardServer(db, folder, env={"QUARTERDECK_TODAY": TODAY})
    yield server, cli
    server.stop()


def _awkward_incidents() -> list[dict[str, Any]]:
    base = {"severity": "SEV4", "resolved_at": "2024-06-10T10:00:00Z"}
    records = [
        {**base, "id": f"NOSVC-{i:03d}", "created_at": f"2024-06-0{1 + i % 9}T10:00:{i:02d}Z"}
        for i in range(WITHOUT_SERVICE)
    ]
    served = {**base, "service": "marketplace-api", "resolved_at": "2024-07-03T10:00:00Z"}
    return [
        *records,
        {**served, "id": MARKUP_ID, "created_at": "2024-07-01T10:00:00Z", "deployment_id": "no-such-deploy"},
        {**served, "id": "BAD-1"},  # no created_at: rejected
        {**served, "id": "DUP-1", "created_at": "2024-07-02T10:00:00Z"},
        {**served, "id": "DUP-1", "created_at": "2024-07-02T11:00:00Z"},
    ]


def cli_json(db: Path, *args: str) -> Any:
    done = run_quarterdeck(*args, "--db", str(db), "--format", "json", env={"QUARTERDECK_TODAY": TODAY})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    cells: list[str] = field(default_factory=list)  # of a table row: its cells' text


VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


class Page(HTMLParser):
    """A page's elements in document order, each with its text (entities decoded)."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        closed = None
        while self._open and closed is None:
            element = self._open.pop()
            closed = element if element.tag == tag else None
        if closed is not None and tag in ("td", "th"):
            row = next((e for e in reversed(self._open) if e.tag == "tr"), None)
            if row is not None:
                row.cells.append(closed.text.strip())

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def having(self, attr: str) -> list[Element]:
        return [e for e in self.elements if attr in e.attrs]

    def one(self, attr: str) -> Element:
        found = self.having(attr)
        assert len(found) == 1, f"{len(found)} elements with {attr}"
        return found[0]


def page(server: DashboardServer, path: str) -> Page:
    answer = server.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-security-policy"] == CSP
    assert answer.headers["x-content-type-options"] == "nosniff"
    return Page(answer.text)


def units_of(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """Every unit of ``org tree --format json``, each before those below it."""

    def walk(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node, *(found for child in node["children"] for found in walk(child))]

    return [unit for root in tree["rows"] for unit in walk(root)]


def assert_tree_as_cli(shown: Page, tree: dict[str, Any]) -> None:
    expected = units_of(tree)
    units = shown.having("data-unit")
    assert [u.attrs["data-unit"] for u in units] == [e["unit"] for e in expected]
    for unit, cli in zip(units, expected, strict=True):
        assert unit.attrs["data-headcount"] == str(cli["headcount"]), cli["unit"]
        assert unit.attrs["data-members"] == str(cli["members"]), cli["unit"]
        assert unit.attrs["data-span"] == ("" if cli["span"] is None else str(cli["span"])), cli["unit"]
        assert cli["name"] in unit.text and f"headcount {cli['headcount']} ({cli['members']} direct)" in unit.text
        assert cli["manager"] is None or f"manager {cli['manager']}" in unit.text
    teams = [e["unit"] for e in expected if not e["children"]]
    links = shown.having("data-team")
    assert [(a.tag, a.attrs["data-team"], a.attrs["href"]) for a in links] == [
        ("a", team, f"/?team={team}") for team in teams
    ]
    assert shown.one("data-total-headcount").attrs["data-total-headcount"] == str(tree["headcount"])


def test_the_tree_on_the_default_date_is_the_command_lines(site):
    server, cli = site
    shown = page(server, "/org")
    assert shown.one("data-date").attrs["data-date"] == cli["tree"]["date"] == TODAY
    assert_tree_as_cli(shown, cli["tree"])
    assert len(shown.having("data-team")) == 2  # the demo's two teams, under two units


def test_the_tree_on_a_chosen_date_is_the_command_lines_on_that_date(site):
    server, cli = site
    shown = page(server, f"/org?at={EARLY}")
    assert shown.one("data-date").attrs["data-date"] == EARLY
    assert_tree_as_cli(shown, cli["tree_early"])
    early = {u["unit"]: u["headcount"] for u in units_of(cli["tree_early"])}
    assert early != {u["unit"]: u["headcount"] for u in units_of(cli["tree"])}  # the date matters


def test_a_team_parameter_shows_that_units_subtree_as_org_tree_unit_does(site):
    server, cli = site
    shown = page(server, f"/org?at={EARLY}&team=logistics")
    assert shown.having("data-unit")[0].attrs["data-unit"] == "logistics"
    assert_tree_as_cli(shown, cli["tree_logistics"])


def test_headcounts_below_the_minimum_group_size_are_shown_as_the_command_line_shows_them(site):
    server, cli = site
    small = [u for u in units_of(cli["tree"]) if u["members"] < 5]
    assert small and all(isinstance(u["members"], int) for u in small)  # the CLI never hides org structure
    shown = {u.attrs["data-unit"]: u for u in page(server, "/org").having("data-unit")}
    for unit in small:
        assert shown[unit["unit"]].attrs["data-members"] == str(unit["members"])
        assert f"({unit['members']} direct)" in shown[unit["unit"]].text


@pytest.mark.parametrize(("query", "key"), [("", "check"), (f"?at={EARLY}", "check_early")])
def test_the_findings_are_those_of_org_check(site, query, key):
    server, cli = site
    shown = page(server, f"/org{query}")
    expected = cli[key]
    findings = shown.having("data-finding")
    assert len(findings) == len(expected["rows"]) > 0
    assert [(f.attrs["data-severity"], f.attrs["data-finding"], f.attrs["data-subject"]) for f in findings] == [
        (r["severity"], r["code"], r["subject"]) for r in expected["rows"]
    ]
    assert [f.cells[-1] for f in findings] == [r["message"] for r in expected["rows"]]
    counts = shown.one("data-warnings").attrs
    assert (counts["data-warnings"], counts["data-infos"]) == (
        str(expected["counts"]["warning"]),
        str(expected["counts"]["info"]),
    )


def test_every_data_quality_check_counts_what_the_command_line_finds(site):
    server, cli = site
    shown = page(server, "/data-quality")
    found = Counter(row["check"] for row in cli["data_quality"])
    counts = {c.attrs["data-check"]: int(c.attrs["data-count"]) for c in shown.having("data-check")}
    assert list(counts) == list(check_names())
    assert counts == {name: found.get(name, 0) for name in check_names()}
    assert counts["incidents_without_service"] == WITHOUT_SERVICE
    assert counts["rejected_rows"] == counts["duplicates"] == counts["unknown_deployment_links"] == 1
    assert shown.one("data-total").attrs["data-total"] == str(len(cli["data_quality"]))


def test_each_check_shows_its_first_fifty_rows_as_the_command_line_lists_them(site):
    server, cli = site
    rows = page(server, "/data-quality").having("data-row")
    for name in check_names():
        mine = [r.cells for r in rows if r.attrs["data-row"] == name]
        theirs = [r for r in cli["data_quality"] if r["check"] == name][:50]
        expected = [["" if r[c] is None else str(r[c]) for c in ("kind", "source", "line", "record", "problem")]
                    for r in theirs]  # fmt: skip
        assert mine == expected, name
    assert len([r for r in rows if r.attrs["data-row"] == "incidents_without_service"]) == 50


def test_values_are_escaped(site):
    server, _ = site
    raw = server.get("/data-quality").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "<script" not in raw
    cells = [r.cells[3] for r in Page(raw).having("data-row") if r.attrs["data-row"] == "unknown_deployment_links"]
    assert cells == [MARKUP_ID]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/org?at=notadate", 400, "at: expected a day as YYYY-MM-DD, got 'notadate'"),
        (
            "/org?at=2023-12-31",
            400,
            "at: no organization data on 2023-12-31: the first organization import is of 2024-01-31 "
            "(the latest of 2024-12-31); choose a day from 2024-01-31",
        ),
        ("/org?team=no-such-unit", 404, f"team: no unit with the id 'no-such-unit' on {TODAY}"),
    ],
)
def test_a_date_or_unit_not_understood_is_answered_with_what_was_expected(site, path, status, message):
    answer = site[0].get(path)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    problems = [e.text for e in Page(answer.text).elements if e.attrs.get("class") == "problem"]
    assert problems == [message]


def test_a_warehouse_without_an_organization_says_what_to_import(tmp_path):
    server = DashboardServer(tmp_path / "empty.duckdb", tmp_path)
    try:
        answer = server.get("/org")
        assert answer.status_code == 422
        problems = [e.text for e in Page(answer.text).elements if e.attrs.get("class") == "problem"]
        assert len(problems) == 1 and problems[0].startswith("no organization imported yet: run quarterdeck ingest org")
        shown = page(server, "/data-quality")
        assert {c.attrs["data-check"]: c.attrs["data-count"] for c in shown.having("data-check")} == dict.fromkeys(
            check_names(), "0"
        )
        assert shown.having("data-row") == []
    finally:
        server.stop()
