"""``quarterdeck org check``: org-design and data-quality findings, through the real command line.

On the small organization of tests/org_small.py every finding is written out by hand; on
the generated organization of tests/data/org, the deliberate design problems its README
lists must be found at the first and the last snapshot, with values compared to a plain
reading of the people CSVs.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.gitrepo import ALICE, CAROL, DEPENDABOT, Person
from tests.org_small import FIRST, SECOND, build_small_org, first_people, ingest
from tests.orgdata import LAST, ORG_DATA, import_files, iso, people_csv, read_people_csv, write

FIRST_SNAPSHOT = date(2024, 1, 31)
THRESHOLDS = {
    "min_span": 4,
    "max_span": 8,
    "min_team_size": 3,
    "max_team_size": 9,
    "max_layers": 6,
    "recent_days": 90,
}


@pytest.fixture(scope="module")
def small_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small_org(tmp_path_factory.mktemp("small-org"))


def check(quarterdeck, db: Path, *args: str, status: int = 0) -> str:
    result = quarterdeck("--db", str(db), "org", "check", *args)
    assert result.returncode == status, result.stderr
    return result.stdout


def findings(quarterdeck, db: Path, *args: str) -> list[tuple]:
    out = json.loads(check(quarterdeck, db, *args, "--format", "json"))
    return [(r["severity"], r["code"], r["subject"], r["value"], r["threshold"], r["message"]) for r in out["rows"]]


# On 2025-06-30 (employed: P01-P21; P22 left on 2025-05-15):
#   direct reports: P01 -> P02, P03, P20 = 3; P02 -> P04, P18, P19 = 3; P03 -> P05 = 1; P04 -> P06..P15 = 10;
#   P05 -> P16 = 1; P16 -> P17 = 1.
#   teams: checkout P04 + P06..P15 = 11; search P18, P19 = 2; mobile P21 = 1; design nobody; platform 3.
SMALL_FIRST = [
    (
        "warning",
        "manager-few-reports",
        "P01",
        3,
        "4-8",
        "Ada Root has 3 direct reports: a tech lead more than a manager",
    ),
    (
        "warning",
        "manager-few-reports",
        "P02",
        3,
        "4-8",
        "Ben Product has 3 direct reports: a tech lead more than a manager",
    ),
    (
        "warning",
        "manager-few-reports",
        "P03",
        1,
        "4-8",
        "Cy Infra has 1 direct report: a tech lead more than a manager",
    ),
    (
        "warning",
        "manager-few-reports",
        "P05",
        1,
        "4-8",
        "Eve Platform has 1 direct report: a tech lead more than a manager",
    ),
    (
        "warning",
        "manager-few-reports",
        "P16",
        1,
        "4-8",
        "Pia King has 1 direct report: a tech lead more than a manager",
    ),
    (
        "warning",
        "manager-many-reports",
        "P04",
        10,
        "4-8",
        "Dee Checkout has 10 direct reports: over-stretched, with little time for each",
    ),
    (
        "warning",
        "team-too-small",
        "mobile",
        1,
        "3-9",
        "Mobile has 1 person: too few to review, pair and cover absences",
    ),
    (
        "warning",
        "team-too-small",
        "search",
        2,
        "3-9",
        "Search has 2 people: too few to review, pair and cover absences",
    ),
    ("warning", "team-too-large", "checkout", 11, "3-9", "Checkout has 11 people: consider splitting it"),
    ("warning", "team-no-manager", "search", None, "a manager", "Search has no manager: nobody is accountable for it"),
    (
        "warning",
        "team-manager-not-employed",
        "mobile",
        None,
        "manager employed",
        "Mobile's manager Vic Quinn (P22) is not employed on 2025-06-30",
    ),
    ("warning", "person-no-team", "P20", None, "a team", "Tia Owen is on no team: their work counts for no team"),
    (
        "warning",
        "manager-not-employed",
        "P21",
        None,
        "manager employed",
        "Uma Park's manager Vic Quinn (P22) is not employed on 2025-06-30",
    ),
    (
        "warning",
        "service-no-owner",
        "legacy-batch",
        None,
        "an owning team",
        "Legacy Batch has no owning team (no owner given)",
    ),
    (
        "warning",
        "codeowners-unknown-owner",
        "shop:CODEOWNERS:4",
        None,
        "known owners",
        "/billing/ names @acme/billing: no such team",
    ),
    (
        "warning",
        "codeowners-unknown-owner",
        "shop:CODEOWNERS:5",
        None,
        "known owners",
        "/docs/ names @nobody-here: no team, and no person's GitHub login",
    ),
    (
        "warning",
        "codeowners-owner-not-employed",
        "shop:CODEOWNERS:7",
        None,
        "known owners",
        "/mobile/ names @vic-gh (Vic Quinn, P22), not employed on 2025-06-30",
    ),
    ("info", "team-empty", "design", 0, ">= 1", "Design System has nobody on it"),
    (
        "info",
        "unit-single-child",
        "infra",
        1,
        ">= 2",
        "Infrastructure has one sub-unit (Platform): a layer that groups nothing",
    ),
    ("info", "codeowners-no-owners", "shop:CODEOWNERS:8", None, "an owner", "/vendor/ has no owners"),
]


def test_every_finding_on_the_small_org(quarterdeck, small_org):
    out = json.loads(check(quarterdeck, small_org, "--at", FIRST, "--format", "json"))
    assert {k: v for k, v in out.items() if k != "rows"} == {
        "date": "2025-06-30",
        "thresholds": THRESHOLDS,
        "counts": {"warning": 17, "info": 3},
        "latest_import": "2025-07-31",
        "data_ends": None,  # --at given
    }
    assert [
        (r["severity"], r["code"], r["subject"], r["value"], r["threshold"], r["message"]) for r in out["rows"]
    ] == (SMALL_FIRST)
    assert [r["name"] for r in out["rows"]][:3] == ["Ada Root", "Ben Product", "Cy Infra"]


def test_findings_follow_the_date(quarterdeck, small_org):
    # 2025-07-31: P22 is gone from the export and P21 reports to P02, so P02 has P04, P18, P21, P23 = 4
    # (no longer few) and nobody's manager is missing; P19 moved to checkout: 12 people, P04 has 11 reports;
    # search is P18 and P23 = 2. The CODEOWNERS rule naming @vic-gh now fails on 2025-07-31.
    expected = [f for f in SMALL_FIRST if f[2] != "P02" and f[1] != "manager-not-employed"]
    expected = [(*f[:5], f[5].replace("2025-06-30", "2025-07-31")) for f in expected]
    for i, f in enumerate(expected):
        if f[1] == "manager-many-reports":
            expected[i] = (
                *f[:3],
                11,
                f[4],
                "Dee Checkout has 11 direct reports: over-stretched, with little time for each",
            )
        if f[1] == "team-too-large":
            expected[i] = (*f[:3], 12, f[4], "Checkout has 12 people: consider splitting it")
    assert findings(quarterdeck, small_org, "--at", SECOND) == expected


def test_the_table_names_thresholds_and_what_each_check_means(quarterdeck, small_org):
    lines = check(quarterdeck, small_org, "--at", FIRST).splitlines()
    assert lines[0].strip() == "Org checks on 2025-06-30"
    rows = [line for line in lines if line.startswith("│")]
    assert [[cell.strip() for cell in row.strip("│").split("│")][:3] for row in rows] == [
        [f[0], f[1], f[2]] for f in SMALL_FIRST
    ]
    assert "│ Checkout has 11 people: consider splitting it" in rows[8]
    summary = lines.index(
        "17 warnings, 3 info. Thresholds: span 4-8 direct reports, team size 3-9 people, at most 6 layers, "
        "git identities with commits in the last 90 days."
    )
    legend = [line.split(":")[0] for line in lines[summary + 1 :]]
    assert legend == list(dict.fromkeys(f[1] for f in SMALL_FIRST))
    assert lines[summary + 1] == (
        "manager-few-reports: fewer direct reports than --min-span: a manager with so few is acting as a tech lead "
        "rather than managing (Larson, Grove: 6-8 is the norm)"
    )


def test_csv_has_the_same_findings(quarterdeck, small_org):
    out = check(quarterdeck, small_org, "--at", FIRST, "--format", "csv").splitlines()
    assert out[0] == "severity,code,subject,name,value,threshold,message"
    assert out[1] == (
        "warning,manager-few-reports,P01,Ada Root,3,4-8,Ada Root has 3 direct reports: a tech lead more than a manager"
    )
    assert out[9] == "warning,team-too-large,checkout,Checkout,11,3-9,Checkout has 11 people: consider splitting it"
    assert out[-1] == "info,codeowners-no-owners,shop:CODEOWNERS:8,/vendor/,,an owner,/vendor/ has no owners"
    assert len(out) == 1 + len(SMALL_FIRST)


def test_chains_deeper_than_the_limit(quarterdeck, small_org):
    # Layers on 2025-06-30: P01 1; P02, P03, P20 2; P04, P05, P18, P19 and the vacancy P22 (who left but
    # is still P21's manager; under P02 on their last day) 3; P06..P15, P16, P21 4; P17 5.
    assert [f for f in findings(quarterdeck, small_org, "--at", FIRST) if f[1] == "chain-too-deep"] == []
    deep = [f for f in findings(quarterdeck, small_org, "--at", FIRST, "--max-layers", "4") if f[1] == "chain-too-deep"]
    assert deep == [
        ("warning", "chain-too-deep", "P17", 5, "<= 4", "Quin Lee is in layer 5: P01 > P03 > P05 > P16 > P17")
    ]
    deeper = [
        f for f in findings(quarterdeck, small_org, "--at", FIRST, "--max-layers", "3") if f[1] == "chain-too-deep"
    ]
    checkout = [f"P{n:02d}" for n in range(6, 16)]
    assert [(f[2], f[3]) for f in deeper] == [*((p, 4) for p in checkout), ("P16", 4), ("P17", 5), ("P21", 4)]
    assert deeper[0][5] == "Fay Adams is in layer 4: P01 > P02 > P04 > P06"
    assert deeper[-1][5] == "Uma Park is in layer 4: P01 > P02 > P22 (vacant) > P21"


def test_thresholds_are_options_and_recorded(quarterdeck, small_org):
    out = json.loads(
        check(
            quarterdeck,
            small_org,
            "--at",
            FIRST,
            "--min-span",
            "2",
            "--max-span",
            "10",
            "--min-team-size",
            "1",
            "--max-team-size",
            "11",
            "--format",
            "json",
        )
    )
    assert out["thresholds"] == {**THRESHOLDS, "min_span": 2, "max_span": 10, "min_team_size": 1, "max_team_size": 11}
    # spans of 1 are still below 2; P04's 10 is no longer above; no team is outside 1-11.
    codes = Counter(r["code"] for r in out["rows"])
    assert codes["manager-few-reports"] == 3  # P03, P05, P16
    assert {"manager-many-reports", "team-too-small", "team-too-large"}.isdisjoint(codes)
    assert [r["threshold"] for r in out["rows"][:3]] == ["2-10"] * 3


def test_bad_thresholds(quarterdeck, small_org):
    result = quarterdeck("--db", str(small_org), "org", "check", "--min-team-size", "10")
    assert result.returncode == 2
    assert result.stderr == "error: --min-team-size 10 is above --max-team-size 9\n"
    result = quarterdeck("--db", str(small_org), "org", "check", "--max-layers", "0")
    assert result.returncode == 2
    assert result.stderr == "error: --max-layers must be at least 1, not 0\n"


def test_strict_exits_1_on_warnings_only(quarterdeck, small_org, tmp_path):
    check(quarterdeck, small_org, "--at", FIRST, "--strict", "--format", "csv", status=1)
    check(quarterdeck, small_org, "--at", FIRST, "--format", "csv", status=0)
    # A clean organization: a root with one team of three; only an info (a unit with one sub-unit).
    db = tmp_path / "clean.duckdb"
    org = write(
        tmp_path,
        "org.yaml",
        "teams:\n  - id: eng\n    manager: A1\n  - id: core\n    parent: eng\n    type: platform\n    manager: A2\n",
    )
    people = people_csv(
        tmp_path,
        "people-2025-03-31.csv",
        "A1,Ann One,a1@example.com,,VP,M5,director,,eng,Oslo,full-time,2020-01-01,,,,",
        "A2,Ann Two,a2@example.com,,Manager,M2,manager,A1,core,Oslo,full-time,2020-01-01,,,,",
        "A3,Ann Three,a3@example.com,,Engineer,IC2,engineer,A2,core,Oslo,full-time,2020-01-01,,,,",
        "A4,Ann Four,a4@example.com,,Engineer,IC2,engineer,A2,core,Oslo,full-time,2020-01-01,,,,",
    )
    ingest(db, str(people), str(org))
    args = ("--at", "2025-03-31", "--min-span", "1", "--strict", "--format", "csv")
    assert check(quarterdeck, db, *args, status=0).splitlines()[1:] == [
        "info,unit-single-child,eng,eng,1,>= 2,eng has one sub-unit (core): a layer that groups nothing"
    ]
    check(quarterdeck, db, "--at", "2025-03-31", "--strict", status=1)  # A1 and A2: 1 and 2 direct reports


def test_people_export_without_team_definitions(quarterdeck, tmp_path):
    # Without an org file or catalog the teams are the people file's, without managers: one info
    # instead of a missing manager for every team; everything about people is checked as before.
    db = tmp_path / "people-only.duckdb"
    ingest(db, str(people_csv(tmp_path, f"people-{FIRST}.csv", *first_people())))
    found = findings(quarterdeck, db, "--at", FIRST)
    assert [f for f in found if f[1] in ("team-no-manager", "teams-undefined", "unit-single-child")] == [
        (
            "info",
            "teams-undefined",
            "team definitions",
            None,
            "an org file",
            "no org file or catalog imported: teams come from the people export, without parents or managers",
        )
    ]
    # eng, infra and product are now teams of one (P01, P03, P02); mobile 1, search 2.
    assert [(f[2], f[3]) for f in found if f[1] == "team-too-small"] == [
        ("eng", 1),
        ("infra", 1),
        ("mobile", 1),
        ("product", 1),
        ("search", 2),
    ]


DEE = Person("Dee Checkout", "dee@example.com")


def test_repositories_and_identities(quarterdeck, tmp_path, make_repo):
    db = build_small_org(tmp_path / "org", codeowners=False)
    app = make_repo("app")
    for path in ("src/a.py", "src/b.py", "docs/readme.md"):
        app.write(path, "x\n")
    app.write("CODEOWNERS", "/src/ @acme/checkout\n")
    app.commit("start", "2025-04-01T12:00:00+00:00", author=ALICE)  # the day before the 90-day window
    app.write("src/a.py", "y\n")
    app.commit("in the window", "2025-04-02T00:30:00+00:00", author=ALICE)
    app.write("src/b.py", "y\n")
    app.commit("linked by e-mail", "2025-06-01T09:00:00+00:00", author=DEE)
    app.write("docs/readme.md", "y\n")
    app.commit("bump", "2025-06-10T09:00:00+00:00", author=DEPENDABOT)
    tools = make_repo("tools")
    tools.write("tool.sh", "echo\n")
    tools.commit("tool", "2025-06-15T09:00:00+00:00", author=CAROL)
    result = quarterdeck("--db", str(db), "ingest", "git", str(app.path), str(tools.path))
    assert result.returncode == 0, result.stderr
    found = [f for f in findings(quarterdeck, db, "--at", FIRST) if "repositor" in f[1] or "identit" in f[1]]
    # app: CODEOWNERS, docs/readme.md, src/a.py, src/b.py; /src/ owned by checkout -> 2 of 4 unowned.
    # Unlinked, not bots, commits from 2025-04-02 to 2025-06-30 (90 days): Alice 1 (the 04-01 one is before),
    # Carol 1; Dee is linked by e-mail; dependabot is a bot.
    assert found == [
        (
            "warning",
            "repository-no-owner",
            "tools",
            1,
            "an owning team",
            "none of its 1 file has an owning team (no CODEOWNERS, or no known owners)",
        ),
        ("info", "repository-files-unowned", "app", 2, "an owning team", "2 of its 4 files have no owning team"),
        (
            "info",
            "identities-unlinked",
            "git identities",
            2,
            "none",
            "2 git identities (2 commits since 2025-04-02) linked to no person: quarterdeck identities --unmatched",
        ),
    ]
    recent = findings(quarterdeck, db, "--at", FIRST, "--recent-days", "30")
    assert [f[5] for f in recent if f[1] == "identities-unlinked"] == [
        "1 git identity (1 commit since 2025-06-01) linked to no person: quarterdeck identities --unmatched"
    ]


# -- the generated organization of tests/data/org ---------------------------------------------

DIVISIONS = {"engineering", "platform", "commerce", "growth", "data", "apps", "core"}
README = {  # tests/data/org/README.md, "Deliberate design problems"
    FIRST_SNAPSHOT: {
        "few": {"E00014", "E00028", "E00042", "E00048", "E00058", "E00072", "E00075", "E00105", "E00112"},
        "many": {"E00025", "E00071", "E00108", "E00171"},
        "large": {"data-quality", "payments"},
    },
    LAST: {
        "few": {"E00014", "E00042", "E00072", "E00075", "E00105", "E00112"},
        "many": {"E00025", "E00066", "E00071", "E00108", "E00171"},
        "large": {"accessibility", "data-quality", "payments"},
    },
}
DEEPEST = "E00005 > E00007 > E00112 > E00105 > E00042 > E00075 > E00173"


def snapshot(day: date) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """All rows of the day's people file, and those employed on the day (``end_date`` is the last day)."""
    rows = read_people_csv(ORG_DATA / "hr" / f"people-{day}.csv")
    active = [r for r in rows if iso(r["start_date"]) <= day and (not r["end_date"] or iso(r["end_date"]) >= day)]
    return rows, active


def layers(rows: list[dict[str, str]]) -> dict[str, int]:
    """Layer of everyone in the file (leavers too: a departed manager keeps their place)."""
    manager = {r["id"]: r["manager_id"] for r in rows}

    def layer(pid: str) -> int:
        return 1 if not manager.get(pid) else 1 + layer(manager[pid])

    return {pid: layer(pid) for pid in manager}


@pytest.mark.parametrize("day", [FIRST_SNAPSHOT, LAST])
def test_generated_org_problems_are_all_found(quarterdeck, org_warehouse, day):
    rows, active = snapshot(day)
    employed = {r["id"] for r in active}
    reports = Counter(r["manager_id"] for r in active if r["manager_id"] in employed)
    team = {r["id"]: r["team"] or ("identity-and-access" if r["id"] == "E00091" else "") for r in active}
    sizes = Counter(t for t in team.values() if t and t not in DIVISIONS)
    depth = layers(rows)

    out = json.loads(check(quarterdeck, org_warehouse, "--at", str(day), "--format", "json"))
    by_code: dict[str, dict[str, object]] = {}
    for r in out["rows"]:
        by_code.setdefault(r["code"], {})[r["subject"]] = r["value"]

    assert by_code["manager-few-reports"] == {m: n for m, n in reports.items() if n < 4}
    assert set(by_code["manager-few-reports"]) == README[day]["few"]
    assert by_code["manager-many-reports"] == {m: n for m, n in reports.items() if n > 8}
    assert set(by_code["manager-many-reports"]) == README[day]["many"]
    assert by_code["team-too-small"] == {t: n for t, n in sizes.items() if n < 3} == {"retention": 1, "streaming": 1}
    assert by_code["team-too-large"] == {t: n for t, n in sizes.items() if n > 9}
    assert set(by_code["team-too-large"]) == README[day]["large"]
    assert set(by_code["team-no-manager"]) == {"identity-and-access"}
    assert set(by_code["person-no-team"]) == {"E00077", "E00192"}  # E00091 is a member of identity-and-access
    assert by_code["chain-too-deep"] == {p: depth[p] for p in employed if depth[p] > 6}
    assert set(by_code["service-no-owner"]) == {"legacy-reporting", "status-page"}
    deepest = next(r for r in out["rows"] if r["code"] == "chain-too-deep" and r["subject"] == "E00173")
    assert deepest["message"] == f"{deepest['name']} is in layer 7: {DEEPEST}"


def test_generated_codeowners(quarterdeck, org_warehouse, tmp_path):
    db = tmp_path / "org.duckdb"
    shutil.copy(org_warehouse, db)
    import_files(db, [ORG_DATA / "CODEOWNERS"], repository="monorepo", as_of=LAST)
    found = [f for f in findings(quarterdeck, db, "--at", str(LAST)) if f[1].startswith("codeowners")]
    assert found == [
        (
            "warning",
            "codeowners-unknown-owner",
            "monorepo:CODEOWNERS:40",
            None,
            "known owners",
            "/legacy/billing/ names @example/billing-legacy: no such team",
        ),
        ("info", "codeowners-no-owners", "monorepo:CODEOWNERS:43", None, "an owner", "/vendor/ has no owners"),
    ]
