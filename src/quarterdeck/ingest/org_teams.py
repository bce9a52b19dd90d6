"""Team definitions by date: checking them, and resolving the names people files use.

Definitions come from org YAML files and Backstage catalogs, each dated. The definitions
in force on a date are those of the latest snapshot on or before it (for each kind; the
org file wins over the catalog on a team both define); before the first snapshot of
any kind, each kind's first. A people file may name a team by its id, its name or any
alias, in any case.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from quarterdeck.sources.org.records import OrgFile, Problem, TeamRecord

KIND_PRECEDENCE = ("backstage", "org")  # later kinds win
T = TypeVar("T")


@dataclass(frozen=True)
class TeamDefinition:
    team_id: str
    name: str
    parent_id: str | None
    type: str | None
    manager: str | None  # a person id or e-mail, as written
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {k.lower() for k in (self.team_id, self.name, *self.aliases) if k}


@dataclass
class TeamBook:
    """Every team snapshot, by kind and date."""

    snapshots: dict[tuple[date, str], dict[str, TeamDefinition]] = field(default_factory=dict)

    @property
    def defined(self) -> bool:
        return bool(self.snapshots)

    def dates(self) -> list[date]:
        return sorted({when for when, _ in self.snapshots})

    def at(self, when: date) -> dict[str, TeamDefinition]:
        """The teams in force on ``when``, by team id."""
        return in_force(self.snapshots, when)

    def resolver(self, when: date) -> dict[str, str]:
        """Lower-case id, name or alias -> team id, for the teams in force on ``when``."""
        keys: dict[str, str] = {}
        for team in self.at(when).values():
            for key in team.names():
                keys.setdefault(key, team.team_id)
        return keys


def in_force(snapshots: Mapping[tuple[date, str], dict[str, T]], when: date) -> dict[str, T]:
    """What dated snapshots of several kinds say on ``when``: for each kind, its latest snapshot
    on or before ``when``, later kinds of ``KIND_PRECEDENCE`` winning on an id both give. Each
    kind's first snapshot reaches back only before the first snapshot of any kind, so a catalog
    first imported after a reorg does not make its teams exist before the org files that came
    earlier."""
    merged: dict[str, T] = {}
    before_all = bool(snapshots) and when < min(d for d, _ in snapshots)
    for kind in KIND_PRECEDENCE:
        dates = sorted(d for d, k in snapshots if k == kind)
        index = bisect_right(dates, when) - 1
        if not dates or (index < 0 and not before_all):
            continue
        merged.update(snapshots[(dates[max(index, 0)], kind)])
    return merged


def definitions_from(files: list[OrgFile]) -> dict[str, TeamDefinition]:
    """The teams of files that form one snapshot (children lists turned into parents, across
    the files: a catalog may be spread over several)."""
    parents = {child: team.team_id for file in files for team in file.teams for child in team.children}
    return {
        team.team_id: TeamDefinition(
            team.team_id,
            team.name,
            team.parent or parents.get(team.team_id),
            team.type,
            team.manager,
            tuple(team.aliases),
            tuple(team.members),
        )
        for file in files
        for team in file.teams
    }


def check_team_files(files: list[OrgFile], teams: dict[str, TeamDefinition]) -> list[Problem]:
    """Duplicate ids in a file, parents or children that none of the files define, and
    cycles of parents, for files that form one snapshot (``teams``: their definitions)."""
    problems: list[Problem] = []
    records: dict[str, TeamRecord] = {}
    for file in files:
        seen: dict[str, TeamRecord] = {}
        for team in file.teams:
            if team.team_id in seen:
                first = seen[team.team_id].line
                why = f"team {team.team_id!r} is defined twice (first on line {first})"
                problems.append(Problem(file.path, team.line, "id", why))
            seen.setdefault(team.team_id, team)
            records[team.team_id] = team
        for team in file.teams:
            if team.parent and team.parent not in teams:
                problems.append(Problem(file.path, team.line, "parent", f"no team {team.parent!r} is defined"))
            for child in team.children:
                if child not in teams:
                    problems.append(Problem(file.path, team.line, "children", f"no team {child!r} is defined"))
    problems.extend(_parent_cycles(teams, records))
    return problems


def _parent_cycles(teams: dict[str, TeamDefinition], records: dict[str, TeamRecord]) -> Iterable[Problem]:
    reported: set[str] = set()
    for start in teams:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in teams and current not in path:
            path.append(current)
            current = teams[current].parent_id
        if current is not None and current in path:
            loop = path[path.index(current) :]
            if not reported.intersection(loop):
                reported.update(loop)
                chain = " -> ".join([*loop, current])
                record = records[current]
                yield Problem(record.file, record.line, "parent", f"the chain of parents loops: {chain}")
