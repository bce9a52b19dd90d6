"""``quarterdeck org tree``: the org tree on a date, through the real command line.

Expected trees on the small organization of tests/org_small.py are written out by hand;
on the generated organization of tests/data/org, headcounts are compared with a plain
reading of the people CSVs.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.org_small import FIRST, SECOND, build_small_org
from tests.orgdata import LAST, ORG_DATA, iso, read_people_csv

FOOTER = (
    "headcount: the unit and every unit below it (direct: people whose own team it is); "
    "span: the manager's direct reports."
)


@pytest.fixture(scope="module")
def small_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_org(tmp_path_factory.mktemp("small-org"))


def tree(quarterdeck, db: Path, *args: str) -> str:
    result = quarterdeck("--db", str(db), "org", "tree", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_tree_as_a_table(quarterdeck, small_org):
    # Employed on 2025-06-30: P01-P21 (P22 left on 2025-05-15) = 21 people.
    # platform: P05, P16, P17 = 3; infra: P03 + 3 = 4; checkout: P04 + P06..P15 = 11; design: 0;
    # mobile: P21 = 1; search: P18, P19 = 2; product: P02 + 11 + 0 + 1 + 2 = 15; eng: P01 + 4 + 15 = 20;
    # P20 has no team: 20 + 1 = 21.
    # spans: P01 -> P02, P03, P20 = 3; P02 -> P04, P18, P19 = 3 (P22 not employed); P03 -> P05 = 1;
    # P04 -> P06..P15 = 10; P05 -> P16 = 1 (P17 reports to P16).
    assert tree(quarterdeck, small_org, "--at", FIRST) == (
        "Organization on 2025-06-30\n"
        "├── eng · Engineering · manager Ada Root (span 3) · headcount 20 (1 direct)\n"
        "│   ├── infra · Infrastructure · manager Cy Infra (span 1) · headcount 4 (1 direct)\n"
        "│   │   └── platform · Platform · platform · manager Eve Platform (span 1) · headcount 3 (3 direct)\n"
        "│   └── product · Product Engineering · manager Ben Product (span 3) · headcount 15 (1 direct)\n"
        "│       ├── checkout · Checkout · stream-aligned · manager Dee Checkout (span 10) · headcount 11 (11 direct)\n"
        "│       ├── design · Design System · enabling · manager Ben Product (span 3) · headcount 0 (0 direct)\n"
        "│       ├── mobile · Mobile · stream-aligned · manager Vic Quinn (not employed) · headcount 1 (1 direct)\n"
        "│       └── search · Search · stream-aligned · no manager · headcount 2 (2 direct)\n"
        "└── (no team) · people without a team · headcount 1 (1 direct)\n"
        f"21 people employed on 2025-06-30. {FOOTER}\n"
    )


def test_tree_on_a_later_date(quarterdeck, small_org):
    # 2025-07-31: P19 moved from search to checkout, P23 joined search, P21 now reports to P02.
    # checkout: 11 + P19 = 12; search: P18, P23 = 2; product: 1 + 12 + 0 + 1 + 2 = 16; eng: 1 + 4 + 16 = 21;
    # spans: P02 -> P04, P18, P21, P23 = 4; P04 -> P06..P15, P19 = 11.
    lines = tree(quarterdeck, small_org, "--at", SECOND, "--depth", "2").splitlines()
    assert lines[1] == "├── eng · Engineering · manager Ada Root (span 3) · headcount 21 (1 direct)"
    assert lines[4] == "│   └── product · Product Engineering · manager Ben Product (span 4) · headcount 16 (1 direct)"
    assert lines[5] == (
        "│       ├── checkout · Checkout · stream-aligned · manager Dee Checkout (span 11) · headcount 12 (12 direct)"
    )
    assert lines[8] == "│       └── search · Search · stream-aligned · no manager · headcount 2 (2 direct)"
    assert lines[-1] == f"22 people employed on 2025-07-31. {FOOTER}"


def test_depth_cuts_the_tree_not_the_headcounts(quarterdeck, small_org):
    assert tree(quarterdeck, small_org, "--at", FIRST, "--depth", "1") == (
        "Organization on 2025-06-30\n"
        "├── eng · Engineering · manager Ada Root (span 3) · headcount 20 (1 direct)\n"
        "│   ├── infra · Infrastructure · manager Cy Infra (span 1) · headcount 4 (1 direct)\n"
        "│   └── product · Product Engineering · manager Ben Product (span 3) · headcount 15 (1 direct)\n"
        "└── (no team) · people without a team · headcount 1 (1 direct)\n"
        f"21 people employed on 2025-06-30. {FOOTER}\n"
    )
    only_top = tree(quarterdeck, small_org, "--at", FIRST, "--depth", "0", "--format", "csv")
    assert [r["unit"] for r in csv.DictReader(io.StringIO(only_top))] == ["eng", "(no team)"]


def test_one_unit_with_its_people(quarterdeck, small_org):
    # --unit by alias; people by name under their own team, with their title.
    assert tree(quarterdeck, small_org, "--at", FIRST, "--unit", "Infrastructure", "--people") == (
        "Organization under infra on 2025-06-30\n"
        "└── infra · Infrastructure · manager Cy Infra (span 1) · headcount 4 (1 direct)\n"
        "    ├── Cy Infra · Director of Engineering\n"
        "    └── platform · Platform · platform · manager Eve Platform (span 1) · headcount 3 (3 direct)\n"
        "        ├── Eve Platform · Engineering Manager\n"
        "        ├── Pia King · Staff Engineer\n"
        "        └── Quin Lee · Software Engineer\n"
        f"4 people employed under infra on 2025-06-30. {FOOTER}\n"
    )
    # personal fields (level, location, cost) only when asked for
    personal = tree(quarterdeck, small_org, "--at", FIRST, "--unit", "platform", "--include-personal")
    assert personal.splitlines()[2:5] == [
        "    ├── Eve Platform · Engineering Manager · M2 · Berlin · 155,000.00",
        "    ├── Pia King · Staff Engineer · IC4 · Lisbon · 98,000.00",
        "    └── Quin Lee · Software Engineer · IC2 · Lisbon · 98,000.00",
    ]
    by_alias = tree(quarterdeck, small_org, "--at", FIRST, "--unit", "PLATFORM-TEAM", "--format", "csv")
    assert [r["path"] for r in csv.DictReader(io.StringIO(by_alias))] == ["eng/infra/platform"]


def test_tree_as_json_is_nested(quarterdeck, small_org):
    out = json.loads(tree(quarterdeck, small_org, "--at", FIRST, "--unit", "infra", "--people", "--format", "json"))

    def person(pid: str, name: str, title: str, level: str) -> dict[str, str]:
        return {"person_id": pid, "person": name, "title": title}  # the level only with --include-personal

    platform = {
        "unit": "platform",
        "name": "Platform",
        "type": "platform",
        "manager_id": "P05",
        "manager": "Eve Platform",
        "manager_employed": True,
        "span": 1,
        "members": 3,
        "headcount": 3,
        "people": [
            person("P05", "Eve Platform", "Engineering Manager", "M2"),
            person("P16", "Pia King", "Staff Engineer", "IC4"),
            person("P17", "Quin Lee", "Software Engineer", "IC2"),
        ],
        "children": [],
    }
    assert out == {
        "date": "2025-06-30",
        "unit": "infra",
        "depth": None,
        "people": True,
        "include_personal": False,
        "headcount": 4,
        "first_import": "2025-06-30",
        "latest_import": "2025-07-31",
        "data_ends": None,  # --at given
        "rows": [
            {
                "unit": "infra",
                "name": "Infrastructure",
                "type": None,
                "manager_id": "P03",
                "manager": "Cy Infra",
                "manager_employed": True,
                "span": 1,
                "members": 1,
                "headcount": 4,
                "people": [person("P03", "Cy Infra", "Director of Engineering", "M4")],
                "children": [platform],
            }
        ],
    }


def test_tree_as_csv_has_one_row_per_unit_with_its_path(quarterdeck, small_org):
    out = tree(quarterdeck, small_org, "--at", FIRST, "--format", "csv")
    assert out.splitlines() == [
        "kind,path,depth,unit,name,type,manager_id,manager,manager_employed,span,members,headcount",
        "unit,eng,0,eng,Engineering,,P01,Ada Root,True,3,1,20",
        "unit,eng/infra,1,infra,Infrastructure,,P03,Cy Infra,True,1,1,4",
        "unit,eng/infra/platform,2,platform,Platform,platform,P05,Eve Platform,True,1,3,3",
        "unit,eng/product,1,product,Product Engineering,,P02,Ben Product,True,3,1,15",
        "unit,eng/product/checkout,2,checkout,Checkout,stream-aligned,P04,Dee Checkout,True,10,11,11",
        "unit,eng/product/design,2,design,Design System,enabling,P02,Ben Product,True,3,0,0",
        "unit,eng/product/mobile,2,mobile,Mobile,stream-aligned,P22,Vic Quinn,False,,1,1",
        "unit,eng/product/search,2,search,Search,stream-aligned,,,,,2,2",
        "unit,(no team),0,(no team),people without a team,,,,,,1,1",
    ]
    with_people = tree(quarterdeck, small_org, "--at", FIRST, "--unit", "search", "--people", "--format", "csv")
    assert with_people.splitlines() == [
        "kind,path,depth,unit,name,type,manager_id,manager,manager_employed,span,members,headcount,"
        "person_id,person,title",
        "unit,eng/product/search,0,search,Search,stream-aligned,,,,,2,2,,,",
        "person,eng/product/search,0,search,,,,,,,,,P18,Rae Moss,Senior Software Engineer",
        "person,eng/product/search,0,search,,,,,,,,,P19,Sam Nash,Software Engineer",
    ]
    personal = tree(quarterdeck, small_org, "--at", FIRST, "--unit", "search", "--include-personal", "--format", "csv")
    assert personal.splitlines()[2:] == [
        "person,eng/product/search,0,search,,,,,,,,,P18,Rae Moss,Senior Software Engineer,IC3,Lisbon,98000.0",
        "person,eng/product/search,0,search,,,,,,,,,P19,Sam Nash,Software Engineer,IC2,Lisbon,98000.0",
    ]


def test_personal_fields_only_with_include_personal(quarterdeck, small_org):
    costs = ["250000", "210000", "160000", "98000", "98,000", "250,000"]
    levels = ("IC1", "IC2", "IC3", "IC4", "M2", "M4", "M5")
    for output_format in ("table", "json", "csv"):
        plain = tree(quarterdeck, small_org, "--at", FIRST, "--format", output_format)
        assert "level" not in plain and "title" not in plain
        people = tree(quarterdeck, small_org, "--at", FIRST, "--people", "--format", output_format)
        assert "Staff Engineer" in people
        for text in (plain, people):
            assert not any(level in text for level in levels), output_format
            assert not any(cost in text for cost in costs), output_format
            assert "Lisbon" not in text, output_format
        personal = tree(quarterdeck, small_org, "--at", FIRST, "--include-personal", "--format", output_format)
        assert "IC3" in personal and "M5" in personal and "Lisbon" in personal, output_format
        assert any(cost in personal for cost in costs), output_format


def test_unknown_unit_lists_units(quarterdeck, small_org):
    result = quarterdeck("--db", str(small_org), "org", "tree", "--at", FIRST, "--unit", "billing")
    assert result.returncode == 2
    assert result.stderr == (
        "error: unknown unit 'billing': no unit has that id, name or alias; units on 2025-06-30: checkout, design, "
        "eng, infra, mobile, platform, product, search\n"
    )


def test_date_before_the_first_import(quarterdeck, small_org):
    result = quarterdeck("--db", str(small_org), "org", "tree", "--at", "2025-06-29")
    assert result.returncode == 2
    assert result.stderr == (
        "error: no organization data on 2025-06-29: the first organization import is of 2025-06-30 "
        "(the latest of 2025-07-31); choose --at 2025-06-30 or later\n"
    )


def test_no_organization_imported(quarterdeck, tmp_path, make_repo):
    missing = tmp_path / "missing.duckdb"
    result = quarterdeck("--db", str(missing), "org", "tree")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {missing}: no organization imported yet: run quarterdeck ingest org ")
    assert not missing.exists()
    repo = make_repo()
    repo.write("a.txt", "a\n")
    repo.commit("a", "2025-01-01T10:00:00+00:00")
    git_only = tmp_path / "git.duckdb"
    assert quarterdeck("--db", str(git_only), "ingest", "git", str(repo.path)).returncode == 0
    for command in ("tree", "check"):
        result = quarterdeck("--db", str(git_only), "org", command)
        assert result.returncode == 1
        assert result.stderr.startswith("error: no organization imported yet: run quarterdeck ingest org ")


# -- the generated organization of tests/data/org ---------------------------------------------


def active_rows(day: date) -> list[dict[str, str]]:
    """People employed on ``day`` by the snapshot of that day: started, and not past their
    last day (``end_date`` is the last day worked)."""
    rows = read_people_csv(ORG_DATA / "hr" / f"people-{day}.csv")
    return [r for r in rows if iso(r["start_date"]) <= day and (not r["end_date"] or iso(r["end_date"]) >= day)]


@pytest.mark.parametrize("day", [date(2024, 1, 31), LAST])
def test_generated_org_headcounts_match_the_people_files(quarterdeck, org_warehouse, day):
    rows = active_rows(day)
    # E00091 has no team in the people files; the org files list them under identity-and-access.
    expected = Counter(r["team"] or ("identity-and-access" if r["id"] == "E00091" else "(no team)") for r in rows)
    out = json.loads(tree(quarterdeck, org_warehouse, "--at", str(day), "--format", "json"))
    assert out["headcount"] == len(rows)

    members: dict[str, int] = {}

    def visit(node: dict) -> int:
        members[node["unit"]] = node["members"]
        below = node["members"] + sum(visit(child) for child in node["children"])
        assert node["headcount"] == below, node["unit"]
        return below

    for root in out["rows"]:
        visit(root)
    assert [r["unit"] for r in out["rows"]] == ["engineering", "(no team)"]
    assert {unit: n for unit, n in members.items() if n} == dict(expected)


def test_a_unit_that_does_not_exist_on_the_date(quarterdeck, org_warehouse):
    # ios is merged into accessibility by the reorg of 2025-01-31; android-experience is new then.
    result = quarterdeck("--db", str(org_warehouse), "org", "tree", "--at", str(LAST), "--unit", "iOS")
    assert result.returncode == 2
    assert result.stderr == "error: unit 'iOS' (ios) does not exist on 2025-12-31; it exists until 2025-01-30\n"
    result = quarterdeck(
        "--db", str(org_warehouse), "org", "tree", "--at", "2024-12-31", "--unit", "android-experience"
    )
    assert result.stderr == (
        "error: unit 'android-experience' (android-experience) does not exist on 2024-12-31; "
        "it exists from 2025-01-31\n"
    )
    ios = tree(quarterdeck, org_warehouse, "--at", "2025-01-30", "--unit", "ios", "--format", "csv")
    assert [r["path"] for r in csv.DictReader(io.StringIO(ios))] == ["engineering/apps/ios"]
