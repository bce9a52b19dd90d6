"""Team definitions by date: checking them, and resolving the names people files use.

Definitions come from org YAML files and Backstage catalogs, each dated. The definitions
in force on a date are those of the latest snapshot on or before it (for each kind; the
org file wins over the catalog on a team both define); before the first snapshot, the
first one's. A people file may name a team by its id, its name or any alias, in any case.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from quarterdeck.connectors.org.records import OrgFile, Problem, TeamRecord

KIND_PRECEDENCE = ("backstage", "org")  # later kinds win


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
        merged: dict[str, TeamDefinition] = {}
        for kind in KIND_PRECEDENCE:
            dates = sorted(d for d, k in self.snapshots if k == kind)
            if not dates:
                continue
            index = bisect_right(dates, when) - 1
            chosen = dates[max(index, 0)]
            merged.update(self.snapshots[(chosen, kind)])
        return merged

    def resolver(self, when: date) -> dict[str, str]:
        """Lower-case id, name or alias -> team id, for the teams in force on ``when``."""
        keys: dict[str, str] = {}
        for team in self.at(when).values():
            for key in team.names():
                keys.setdefault(key, team.team_id)
        return keys


def definitions_from(file: OrgFile) -> dict[str, TeamDefinition]:
    """A file's teams (children lists turned into parents)."""
    parents = {child: team.team_id for team in file.teams for child in team.children}
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
        for team in file.teams
    }


def check_team_file(file: OrgFile) -> list[Problem]:
    """Duplicate ids, unknown parents or children, and cycles of parents in one file."""
    problems: list[Problem] = []
    seen: dict[str, TeamRecord] = {}
    for team in file.teams:
        if team.team_id in seen:
            problems.append(
                Problem(
                    file.path,
                    team.line,
                    "id",
                    f"team {team.team_id!r} is defined twice (first on line {seen[team.team_id].line})",
                )
            )
        seen.setdefault(team.team_id, team)
    for team in file.teams:
        if team.parent and team.parent not in seen:
            problems.append(Problem(file.path, team.line, "parent", f"no team {team.parent!r} is defined"))
        for child in team.children:
            if child not in seen:
                problems.append(Problem(file.path, team.line, "children", f"no team {child!r} is defined"))
    problems.extend(_parent_cycles(file, definitions_from(file), seen))
    return problems


def _parent_cycles(
    file: OrgFile, teams: dict[str, TeamDefinition], records: dict[str, TeamRecord]
) -> Iterable[Problem]:
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
                yield Problem(file.path, records[current].line, "parent", f"the chain of parents loops: {chain}")
