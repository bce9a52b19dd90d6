"""The simulator's skills inventory (people/skills.csv): who is assessed when, what each holds
by role and team type, levels by seniority that never fall, and the file going through the
real `quarterdeck ingest skills` after the organization's exports."""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from quarterdeck.simulation.model import World
from quarterdeck.simulation.org import build_world
from quarterdeck.simulation.org_files import write_org_files
from quarterdeck.simulation.org_params import OrgParams
from tests.conftest import run_quarterdeck
from tests.warehouse_rows import query

#: Written here, independently of the simulator's tables: a team type's skills, and the
#: level each career level starts at (plus or minus one).
TYPE_SKILLS = {
    "stream-aligned": {"Product discovery", "Frontend", "API design"},
    "platform": {"Kubernetes", "Terraform", "Observability"},
    "enabling": {"Testing", "CI/CD", "Coaching"},
    "complicated-subsystem": {"Machine learning", "Data engineering", "Performance"},
}
START_LEVEL = {"IC1": 1, "IC2": 2, "IC3": 3, "IC4": 3, "IC5": 4, "IC6": 5, "M1": 3, "M2": 3}


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(OrgParams(engineers=30, years=2), 3)


@pytest.fixture(scope="module")
def files(world: World, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("skills-sim")
    write_org_files(world, out)
    return out


def rows(files: Path) -> list[dict[str, str]]:
    with (files / "people" / "skills.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_everyone_employed_at_each_year_end_is_assessed_with_skills_of_their_role_and_team(
    world: World, files: Path
) -> None:
    found = rows(files)
    days = sorted({r["date"] for r in found})
    assert days == [f"{world.start.year}-12-31", f"{world.start.year + 1}-12-31"]
    by_email = {p.email: p for p in world.people}
    languages = {"Python", "Go", "TypeScript", "Java"}
    assessed, first_seen = defaultdict(set), set()
    for row in found:
        person = by_email[row["person"]]
        stint = person.stint_on(date.fromisoformat(row["date"]))
        assert stint is not None, row
        assessed[row["date"]].add(person.person_id)
        if (row["person"], row["skill"]) in first_seen:
            continue  # a skill learned earlier is kept, whatever the team or role now
        first_seen.add((row["person"], row["skill"]))
        if stint.role in ("manager", "director"):
            assert row["skill"] in {"People management", "Hiring", "Budgeting"}, row
        else:
            team_type = next(t.type for t in world.teams if t.team_id == stint.team_id)
            assert row["skill"] in TYPE_SKILLS.get(team_type, set()) | languages | {"Incident response"}, row
    for day in days:
        employed = {p.person_id for p in world.people if p.stint_on(date.fromisoformat(day))}
        managers = {
            p.person_id for p in world.people
            if (s := p.stint_on(date.fromisoformat(day))) and s.role in ("manager", "director")
        }  # fmt: skip
        assert managers <= assessed[day] <= employed
        assert len(assessed[day]) > 0.8 * len(employed)


def test_levels_start_near_seniority_and_never_fall(world: World, files: Path) -> None:
    by_email = {p.email: p for p in world.people}
    history = defaultdict(list)
    for row in rows(files):
        history[(row["person"], row["skill"])].append((row["date"], int(row["level"])))
    for (email, _), seen in history.items():
        first_day, first_level = seen[0]
        stint = by_email[email].stint_on(date.fromisoformat(first_day))
        assert abs(first_level - START_LEVEL.get(stint.level, 4)) <= 1 and 1 <= first_level <= 5
        assert all(0 <= b[1] - a[1] <= 1 for a, b in itertools.pairwise(seen))


def test_the_inventory_is_ingested_after_the_organization(files: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    org = [*sorted((files / "hr").glob("*.csv")), *sorted((files / "org").glob("*.yaml"))]
    done = run_quarterdeck("--db", str(db), "ingest", "org", *map(str, org))
    assert done.returncode == 0, done.stderr
    done = run_quarterdeck("--db", str(db), "ingest", "skills", str(files / "people" / "skills.csv"))
    assert done.returncode == 0, done.stderr
    stored = query(db, "SELECT p.email, s.skill, s.level, strftime(s.as_of, '%Y-%m-%d') FROM skills s "
                       "JOIN people p USING (person_id) ORDER BY s.line")  # fmt: skip
    assert stored == [(r["person"], r["skill"], int(r["level"]), r["date"]) for r in rows(files)]
