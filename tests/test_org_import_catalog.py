"""Org YAML files and Backstage catalogs into teams, team_periods, team_aliases, services and
service_periods; a reorg between two org files; the reorg of tests/data/org."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.orgdata import LAST, REORG, all_snapshots, import_each, import_files, people_csv, rows, write

ORG_JANUARY = """\
teams:
  - id: eng
    name: Engineering
    manager: P1
    children: [web, mobile]       # children listed by the parent
  - id: web
    name: Web
    type: stream-aligned
    manager: P2
    aliases: [web-team]
  - id: mobile
    name: Mobile Apps
    type: Complicated-Subsystem   # any case
    manager: P3@Example.com       # by e-mail
    members: [P4, p5@example.com] # by id and by e-mail, for people whose row has no team
  - id: infra
    name: Infrastructure
    parent: eng                   # the parent named by the child
    type: platform
services:
  - id: shop
    name: Shop
    owner: web-team               # an alias
    repositories: [shop, shop-infra]
  - id: app
    owner: Mobile Apps            # a display name
  - id: old-thing                 # no owner
"""
#: Mid-year reorg: checkout is split off web, mobile is renamed, infra is dissolved.
ORG_JUNE = """\
teams:
  - {id: eng, name: Engineering, manager: P1}
  - {id: web, name: Web, parent: eng, type: stream-aligned, manager: P2, aliases: [web-team]}
  - {id: mobile, name: Apps, parent: eng, type: complicated-subsystem, manager: P3, members: [P4, p5@example.com]}
  - {id: checkout, name: Checkout, parent: eng, type: stream-aligned, manager: P6}
services:
  - {id: shop, name: Shop, owner: checkout, repositories: [shop, shop-infra]}
  - {id: app, owner: mobile}
  - {id: old-thing}
"""


def people(*teams: str) -> list[str]:
    """P1..P6 with the given teams (P4 and P5 without one: the members: lists place them)."""
    managers = ["", "P1", "P1", "P3", "P3", "P1"]
    return [
        f"P{i},Person {i},p{i}@example.com,,,,,{managers[i - 1]},{team},,,2020-01-06,,,,"
        for i, team in enumerate(teams, start=1)
    ]


CATALOG = """\
# a Backstage catalog: several documents, full and short entity references
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: eng
spec:
  type: organization
  profile:
    displayName: Engineering (catalog)
  children: [web, group:default/data]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: web
spec:
  type: team
  profile:
    displayName: Web (catalog)
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: data
  title: Data Team
spec:
  type: team
  parent: group:default/eng
  members: [user:default/zoe, p6]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: zoe
spec:
  profile:
    displayName: Zoe Zimmer
    email: Zoe@Example.com
  memberOf: [group:default/data]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop-web
  title: Shop web front
spec:
  type: website
  owner: group:default/web
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: commerce
spec:
  owner: eng
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: payments-api
spec:
  owner: user:default/zoe
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: elsewhere
spec:
  targets: [./other.yaml]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-backstage
"""
JAN, JUN, DEC = date(2024, 1, 31), date(2024, 6, 30), date(2024, 12, 31)


@pytest.fixture
def teams_db(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    january = [people_csv(tmp_path, "people-2024-01-31.csv", *people("eng", "web", "mobile", "", "", "infra"))]
    june = [people_csv(tmp_path, "people-2024-06-30.csv", *people("eng", "web", "mobile", "", "", "checkout"))]
    import_each(
        db,
        [
            [*january, write(tmp_path, "org-2024-01-31.yaml", ORG_JANUARY)],
            [*june, write(tmp_path, "org-2024-06-30.yaml", ORG_JUNE)],
        ],
    )
    return db


def test_teams_from_org_files(teams_db: Path) -> None:
    got = rows(
        teams_db,
        "SELECT team_id, valid_from, valid_to, name, parent_id, type, manager_id FROM team_periods "
        "ORDER BY team_id, valid_from NULLS FIRST",
    )
    assert got == [
        ("checkout", JUN, None, "Checkout", "eng", "stream-aligned", "P6"),  # new in June
        ("eng", None, None, "Engineering", None, None, "P1"),  # the first file's teams reach back
        ("infra", None, JUN, "Infrastructure", "eng", "platform", None),  # dissolved in June
        ("mobile", None, JUN, "Mobile Apps", "eng", "complicated-subsystem", "P3"),  # manager given by e-mail
        ("mobile", JUN, None, "Apps", "eng", "complicated-subsystem", "P3"),  # renamed
        ("web", None, None, "Web", "eng", "stream-aligned", "P2"),  # parent from eng's children:
    ]
    assert rows(teams_db, "SELECT team_id, name FROM teams ORDER BY 1") == [
        ("checkout", "Checkout"),
        ("eng", "Engineering"),
        ("infra", "Infrastructure"),
        ("mobile", "Apps"),
        ("web", "Web"),
    ]
    # every id, name and alias ever given, lower-case
    assert rows(teams_db, "SELECT team_id, alias FROM team_aliases ORDER BY 1, 2") == [
        ("checkout", "checkout"),
        ("eng", "eng"),
        ("eng", "engineering"),
        ("infra", "infra"),
        ("infra", "infrastructure"),
        ("mobile", "apps"),
        ("mobile", "mobile"),
        ("mobile", "mobile apps"),
        ("web", "web"),
        ("web", "web-team"),
    ]


def test_members_lists_place_people_without_a_team(teams_db: Path) -> None:
    got = rows(teams_db, "SELECT person_id, valid_from, valid_to, team_id FROM person_periods ORDER BY 1, 2")
    start = date(2020, 1, 6)
    assert got == [
        ("P1", start, None, "eng"),
        ("P2", start, None, "web"),
        ("P3", start, None, "mobile"),
        ("P4", start, None, "mobile"),  # members: [P4]
        ("P5", start, None, "mobile"),  # members: [p5@example.com]
        ("P6", start, JUN, "infra"),
        ("P6", JUN, None, "checkout"),
    ]


def test_services_from_org_files(teams_db: Path) -> None:
    got = rows(
        teams_db,
        "SELECT service_id, valid_from, valid_to, owner, owner_team_id, repositories FROM service_periods "
        "ORDER BY service_id, valid_from NULLS FIRST",
    )
    assert got == [
        ("app", None, JUN, "Mobile Apps", "mobile", []),
        ("app", JUN, None, "mobile", "mobile", []),
        ("old-thing", None, None, None, None, []),
        ("shop", None, JUN, "web-team", "web", ["shop", "shop-infra"]),
        ("shop", JUN, None, "checkout", "checkout", ["shop", "shop-infra"]),
    ]
    assert rows(teams_db, "SELECT service_id, name, service_kind FROM services ORDER BY 1") == [
        ("app", "app", "service"),
        ("old-thing", "old-thing", "service"),
        ("shop", "Shop", "service"),
    ]


def test_backstage_catalog_after_the_org_files(teams_db: Path, tmp_path: Path) -> None:
    """A catalog of December: its new team starts on its date (it does not reach back before
    the org files); on the teams both define the org file wins; Components, Systems and
    APIs become services, owned by the Group in spec.owner (a User owns no team)."""
    import_files(teams_db, [write(tmp_path, "catalog-info.yaml", CATALOG)], as_of=DEC)
    got = rows(
        teams_db,
        "SELECT team_id, valid_from, valid_to, name, parent_id, type, manager_id FROM team_periods "
        "WHERE valid_from = ? OR valid_to = ? ORDER BY 1",
        [DEC, DEC],
    )
    assert got == [("data", DEC, None, "Data Team", "eng", None, None)]  # type "team" is no Team Topologies type
    assert rows(teams_db, "SELECT team_id, name FROM teams WHERE team_id IN ('eng', 'web') ORDER BY 1") == [
        ("eng", "Engineering"),  # the org file wins over the catalog's "Engineering (catalog)"
        ("web", "Web"),
    ]
    got = rows(
        teams_db,
        "SELECT s.service_id, s.name, s.service_kind, p.valid_from, p.valid_to, p.owner, p.owner_team_id "
        "FROM services s JOIN service_periods p USING (service_id) WHERE p.valid_from = ? ORDER BY 1",
        [DEC],
    )
    assert got == [
        ("commerce", "commerce", "System", DEC, None, "eng", "eng"),
        ("payments-api", "payments-api", "API", DEC, None, "zoe", None),
        ("shop-web", "Shop web front", "Component", DEC, None, "web", "web"),
    ]
    # the org file's services go on (the catalog does not list them)
    assert rows(teams_db, "SELECT count(*) FROM service_periods WHERE valid_to IS NULL") == [(6,)]
    got = rows(teams_db, "SELECT as_of, user_id, name, email, member_of FROM catalog_users")
    assert got == [(DEC, "zoe", "Zoe Zimmer", "zoe@example.com", ["data"])]
    assert rows(teams_db, "SELECT alias FROM team_aliases WHERE team_id = 'data' ORDER BY 1") == [
        ("data",),
        ("data team",),
    ]


def test_a_catalog_alone_gives_the_people(tmp_path: Path) -> None:
    """Without any people export, the catalog's Users are the people, on their first team."""
    db = tmp_path / "w.duckdb"
    import_files(db, [write(tmp_path, "catalog-info.yaml", CATALOG)], as_of=DEC)
    assert rows(db, "SELECT person_id, name, email, first_seen FROM people") == [
        ("zoe", "Zoe Zimmer", "zoe@example.com", DEC)
    ]
    assert rows(db, "SELECT person_id, valid_from, valid_to, team_id FROM person_periods") == [
        ("zoe", DEC, None, "data")
    ]
    got = rows(db, "SELECT team_id, valid_from, parent_id FROM team_periods ORDER BY 1")
    assert got == [("data", None, "eng"), ("eng", None, None), ("web", None, "eng")]


def test_a_catalog_in_several_files_is_one_snapshot(tmp_path: Path) -> None:
    """Backstage catalogs are spread over repositories: the files of one import and date
    together are the catalog of that date (a child defined in the other file is no error)."""
    documents = CATALOG.split("---\n")
    first = write(tmp_path, "a/catalog-info.yaml", documents[0])  # eng, naming its children web and data
    second = write(tmp_path, "b/catalog-info.yaml", "---\n".join(documents[1:]))  # web, data, the rest
    db = tmp_path / "w.duckdb"
    import_files(db, [first, second], as_of=DEC)
    got = rows(db, "SELECT team_id, parent_id, source FROM team_snapshots ORDER BY 1")
    assert got == [
        ("data", "eng", f"backstage:{second}"),
        ("eng", None, f"backstage:{first}"),
        ("web", "eng", f"backstage:{second}"),  # the parent from eng's children, in the other file
    ]
    assert rows(db, "SELECT count(*) FROM service_snapshots") == [(3,)]
    import_files(db, [second, first], as_of=DEC)  # again: the snapshot of that date is replaced, not doubled
    assert rows(db, "SELECT count(*) FROM team_snapshots") == [(3,)]
    assert rows(db, "SELECT count(*) FROM service_snapshots") == [(3,)]


# -- the reorg of tests/data/org -------------------------------------------------------------------


def test_reorg_in_team_periods(org_warehouse: Path) -> None:
    """README: android is split (android-experience, led by E00076, the former manager of
    ios), ios is merged into accessibility, build-and-release moves from platform to data,
    all on 2025-01-31; the catalog of 2025-12-31 changes nothing the org files say."""
    got = rows(
        org_warehouse,
        "SELECT team_id, valid_from, valid_to, parent_id, manager_id FROM team_periods "
        "WHERE team_id IN ('android', 'android-experience', 'ios', 'build-and-release', 'accessibility') "
        "ORDER BY team_id, valid_from NULLS FIRST",
    )
    assert got == [
        ("accessibility", None, None, "apps", "E00066"),
        ("android", None, None, "apps", "E00016"),
        ("android-experience", REORG, None, "apps", "E00076"),
        ("build-and-release", None, REORG, "platform", "E00100"),
        ("build-and-release", REORG, None, "data", "E00100"),
        ("ios", None, REORG, "apps", "E00076"),
    ]
    # 46 teams in each org file (root, 6 divisions, 39 teams); 47 ever: ios went, android-experience came
    assert rows(org_warehouse, "SELECT count(*) FROM teams") == [(47,)]
    live = (
        "SELECT count(*) FROM team_periods "
        "WHERE coalesce(valid_from, DATE '0001-01-01') <= ? AND (valid_to IS NULL OR valid_to > ?)"
    )
    assert [rows(org_warehouse, live, [d, d])[0][0] for d in (date(2024, 12, 31), REORG, LAST)] == [46, 46, 46]
    changed_by_catalog = "SELECT count(*) FROM team_periods WHERE valid_from = ? OR valid_to = ?"
    assert rows(org_warehouse, changed_by_catalog, [LAST, LAST]) == [(0,)]


def test_reorg_moves_people(org_warehouse: Path) -> None:
    """Who moved from android to android-experience and from ios to accessibility on
    2025-01-31, read from the CSVs, is who the periods move on that date."""
    before, after = dict(all_snapshots())[date(2024, 12, 31)], dict(all_snapshots())[REORG]
    team_before = {r["id"]: r["team"] for r in before}
    stayed = [r for r in after if r["id"] in team_before and not (r["end_date"] and r["end_date"] < str(REORG))]
    moves = sorted((r["id"], team_before[r["id"]], r["team"]) for r in stayed if team_before[r["id"]] != r["team"])
    split = [m for m in moves if m[1:] == ("android", "android-experience")]
    merged = [m for m in moves if m[1:] == ("ios", "accessibility")]
    assert len(split) == 3 and len(merged) >= 1
    got = rows(
        org_warehouse,
        "SELECT a.person_id, a.team_id, b.team_id FROM person_periods a JOIN person_periods b "
        "ON a.person_id = b.person_id AND a.valid_to = b.valid_from "
        "WHERE b.valid_from = ? AND a.team_id IS DISTINCT FROM b.team_id ORDER BY 1",
        [REORG],
    )
    assert got == moves
