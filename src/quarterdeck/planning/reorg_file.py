"""The proposed-org file: changes to the organization of a date, for ``quarterdeck org what-if``.

```yaml
name: Split checkout            # optional title
at: 2025-06-30                  # optional: the date whose people the proposal applies to
teams:
  add:                          # teams that do not exist yet
    - id: payments
      name: Payments            # default: the id
      parent: product           # required: an existing or added team (id, name or alias)
      type: stream-aligned      # optional Team Topologies type
      manager: P07              # optional: someone employed on the date (id or name)
  change:                       # existing teams: any of parent, manager, name, type
    - team: search
      parent: infra
      manager: Rae Moss
  dissolve:                     # teams that go away
    - team: mobile
      people_to: checkout       # where its people go (required when it has people)
      manager: P04              # optional: their new manager
moves:                          # people who change team (and maybe manager)
  - person: P19                 # id or name, employed on the date
    team: payments
    manager: P07                # optional
```

``read_reorg`` checks the file's shape; ``resolve_reorg`` checks it against the
organization of the date (teams and people that exist then, a person moved twice, a team
left without a parent, a dissolved team still named as a parent) and gives ids. Every
mistake is a ``ConfigError("FILE:LINE: ...")``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import LineList, LineLoader, LineMapping, read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.metrics.org_design import OrgAt

WHAT = "proposed-org file"
UNSET: Any = "(unset)"  # a field the file does not give (None: the file gives null)


@dataclass(frozen=True)
class NewTeam:
    id: str
    name: str
    parent: str
    type: str | None
    manager: str | None
    line: int


@dataclass(frozen=True)
class TeamChange:
    team: str
    line: int
    parent: Any = UNSET
    manager: Any = UNSET
    name: Any = UNSET
    type: Any = UNSET


@dataclass(frozen=True)
class Dissolution:
    team: str
    people_to: str | None
    manager: str | None
    line: int


@dataclass(frozen=True)
class Move:
    person: str
    team: str
    manager: str | None
    line: int


@dataclass(frozen=True)
class ProposedOrg:
    path: Path
    name: str | None
    at: date | None
    add: tuple[NewTeam, ...] = ()
    change: tuple[TeamChange, ...] = ()
    dissolve: tuple[Dissolution, ...] = ()
    moves: tuple[Move, ...] = ()

    def error(self, line: int, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}:{line}: {problem}")

    def changed_teams(self) -> list[str]:
        """Ids of the teams the proposal adds, changes, dissolves or moves people into."""
        found = [t.id for t in self.add] + [c.team for c in self.change]
        found += [d.team for d in self.dissolve] + [d.people_to for d in self.dissolve if d.people_to]
        found += [m.team for m in self.moves]
        return list(dict.fromkeys(found))


def looks_like(data: Mapping[str, Any]) -> bool:
    """A proposed org: ``moves``, or ``teams`` as a mapping (an org file's ``teams`` is a
    list), and no ``hiring`` (a plan)."""
    if not isinstance(data, Mapping) or "hiring" in data:
        return False
    return "moves" in data or isinstance(data.get("teams"), Mapping)


_TOP = {"name", "at", "teams", "moves"}
_TEAMS = {"add", "change", "dissolve"}
_ADD = {"id", "name", "parent", "type", "manager"}
_CHANGE = {"team", "parent", "manager", "name", "type"}
_DISSOLVE = {"team", "people_to", "manager"}
_MOVE = {"person", "team", "manager"}


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, line: int, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}:{line}: {problem}")

    def mapping(self, value: Any, line: int, what: str, keys: set[str]) -> LineMapping:
        if not isinstance(value, LineMapping):
            raise self.fail(line, f"{what}: expected a mapping with {', '.join(sorted(keys))}")
        for key in value:
            if key not in keys:
                raise self.fail(value.key_lines.get(key, value.line), f"{what}: unknown key {key!r}; expected one "
                                f"of {', '.join(sorted(keys))}")  # fmt: skip
        if value.repeated:
            raise self.fail(value.line, f"{what}: {value.repeated[0]!r} given twice")
        return value

    def items(self, parent: LineMapping, key: str, what: str, keys: set[str]) -> list[tuple[LineMapping, int]]:
        value = parent.get(key)
        line = parent.key_lines.get(key, parent.line)
        if value is None:
            return []
        if not isinstance(value, LineList):
            raise self.fail(line, f"{what}: expected a list")
        return [(self.mapping(item, n, what, keys), n) for item, n in zip(value, value.lines, strict=True)]

    def text(self, item: LineMapping, key: str, what: str, *, required: bool = False, null: bool = False) -> Any:
        if key not in item:
            if required:
                raise self.fail(item.line, f"{what}: {key!r} is required")
            return UNSET
        value = item[key]
        line = item.key_lines.get(key, item.line)
        if value is None and null:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            raise self.fail(line, f"{what}: {key} must be a name or id, not {value!r}")
        return str(value).strip()


def _given(value: Any) -> Any:
    return None if value is UNSET else value


def read_reorg(path: Path) -> ProposedOrg:
    """The proposal in ``path``, its shape checked (not yet against an organization)."""
    r = _Reader(path)
    data = read_yaml(path, WHAT, LineLoader)
    top = r.mapping(data, 1, WHAT, _TOP)
    if "teams" not in top and "moves" not in top:
        raise r.fail(top.line, f"{WHAT}: nothing proposed; expected 'teams' (add, change, dissolve) or 'moves'")
    at = top.get("at")
    if at is not None and not isinstance(at, date):
        raise r.fail(top.key_lines["at"], f"at: expected a date YYYY-MM-DD, not {at!r}")
    teams = r.mapping(top["teams"], top.key_lines["teams"], "teams", _TEAMS) if top.get("teams") is not None else None
    add, change, dissolve = [], [], []
    if teams is not None:
        for item, line in r.items(teams, "add", "teams: add", _ADD):
            tid = r.text(item, "id", "teams: add", required=True)
            name, parent = r.text(item, "name", "teams: add"), r.text(item, "parent", "teams: add", required=True)
            kind, manager = r.text(item, "type", "teams: add"), r.text(item, "manager", "teams: add")
            add.append(NewTeam(tid, tid if name is UNSET else name, parent, _given(kind), _given(manager), line))
        for item, line in r.items(teams, "change", "teams: change", _CHANGE):
            fields = {
                k: r.text(item, k, "teams: change", null=k != "name") for k in ("parent", "manager", "name", "type")
            }
            if all(v is UNSET for v in fields.values()):
                raise r.fail(line, "teams: change: give at least one of parent, manager, name, type")
            change.append(TeamChange(r.text(item, "team", "teams: change", required=True), line, **fields))
        for item, line in r.items(teams, "dissolve", "teams: dissolve", _DISSOLVE):
            team = r.text(item, "team", "teams: dissolve", required=True)
            to, manager = r.text(item, "people_to", "teams: dissolve"), r.text(item, "manager", "teams: dissolve")
            dissolve.append(Dissolution(team, _given(to), _given(manager), line))
    moves = []
    for item, line in r.items(top, "moves", "moves", _MOVE):
        person, team = r.text(item, "person", "moves", required=True), r.text(item, "team", "moves", required=True)
        moves.append(Move(person, team, _given(r.text(item, "manager", "moves")), line))
    name = top.get("name")
    return ProposedOrg(path, str(name) if name is not None else None, at, tuple(add), tuple(change),
                       tuple(dissolve), tuple(moves))  # fmt: skip


class _Resolver:
    """Names in the file to ids of the org of the date (and of the teams it adds)."""

    def __init__(self, proposal: ProposedOrg, org: OrgAt, aliases: Mapping[str, str]) -> None:
        self.p, self.org = proposal, org
        self.teams: dict[str, str] = {}
        for alias, team in aliases.items():
            if team in org.units:
                self.teams.setdefault(alias.lower(), team)
        for unit in org.units.values():
            self.teams[unit.name.lower()] = unit.unit_id
        for unit in org.units.values():
            self.teams[unit.unit_id.lower()] = unit.unit_id
        self.people: dict[str, list[str]] = {}
        for person in org.people.values():
            self.people.setdefault(person.name.lower(), []).append(person.person_id)
        for pid in org.people:
            self.people[pid.lower()] = [pid]

    def team(self, ref: str, line: int, what: str) -> str:
        found = self.teams.get(ref.lower())
        if found is None:
            raise self.p.error(line, f"{what}: no team {ref!r} exists on {self.org.date} (nor is it added by "
                               "teams: add); give a team id, name or alias")  # fmt: skip
        return found

    def person(self, ref: str, line: int, what: str) -> str:
        found = self.people.get(ref.lower(), [])
        if not found:
            raise self.p.error(line, f"{what}: nobody named {ref!r} is employed on {self.org.date}; give a person "
                               "id or name")  # fmt: skip
        if len(found) > 1:
            raise self.p.error(line, f"{what}: {ref!r} names {len(found)} people ({', '.join(sorted(found))}); "
                               "give the person id")  # fmt: skip
        return found[0]

    def maybe_person(self, ref: Any, line: int, what: str) -> Any:
        return ref if ref is None or ref is UNSET else self.person(ref, line, what)


def resolve_reorg(proposal: ProposedOrg, org: OrgAt, aliases: Mapping[str, str] | None = None) -> ProposedOrg:
    """The proposal with ids for every team and person, checked against ``org``'s date."""
    res = _Resolver(proposal, org, aliases or {})
    p = proposal
    for new in p.add:
        if new.id.lower() in res.teams:
            raise p.error(new.line, f"teams: add: team {new.id!r} already exists on {org.date}; change it under "
                          "teams: change")  # fmt: skip
        res.teams[new.id.lower()] = new.id
        res.teams.setdefault(new.name.lower(), new.id)
    dissolved: dict[str, int] = {}
    dissolve = []
    for d in p.dissolve:
        team = res.team(d.team, d.line, "teams: dissolve")
        if team not in org.units:
            raise p.error(d.line, f"teams: dissolve: {team} is added by this file; leave it out instead")
        if team in dissolved:
            raise p.error(d.line, f"teams: dissolve: {team} is dissolved twice (also at line {dissolved[team]})")
        dissolved[team] = d.line
        to = res.team(d.people_to, d.line, "teams: dissolve: people_to") if d.people_to else None
        dissolve.append(
            replace(d, team=team, people_to=to, manager=res.maybe_person(d.manager, d.line, "teams: dissolve"))
        )

    def parent_of(ref: str, line: int, what: str) -> str:
        parent = res.team(ref, line, what)
        if parent in dissolved:
            raise p.error(line, f"{what}: {parent} is dissolved (line {dissolved[parent]}) but still named as a parent")
        return parent

    add = [
        replace(n, parent=parent_of(n.parent, n.line, f"teams: add: {n.id}: parent"),
                manager=res.maybe_person(n.manager, n.line, f"teams: add: {n.id}: manager"))
        for n in p.add
    ]  # fmt: skip
    change, changed = [], {}
    for c in p.change:
        team = res.team(c.team, c.line, "teams: change")
        if team not in org.units:
            raise p.error(c.line, f"teams: change: {team} is added by this file; give its fields under teams: add")
        if team in dissolved:
            raise p.error(c.line, f"teams: change: {team} is dissolved (line {dissolved[team]})")
        if team in changed:
            raise p.error(c.line, f"teams: change: {team} is changed twice (also at line {changed[team]})")
        changed[team] = c.line
        parent = c.parent
        if parent is None and org.units[team].parent_id in org.units:
            raise p.error(c.line, f"teams: change: parent: null leaves {team} without a parent; name its new parent")
        if parent not in (None, UNSET):
            parent = parent_of(parent, c.line, f"teams: change: {team}: parent")
        manager = res.maybe_person(c.manager, c.line, f"teams: change: {team}: manager")
        change.append(replace(c, team=team, parent=parent, manager=manager))
    reparented = {c.team for c in change if c.parent is not UNSET}
    for d in dissolve:
        left = [u for u in org.children(d.team) if u not in reparented and u not in dissolved]
        if left:
            raise p.error(d.line, f"teams: dissolve: dissolving {d.team} leaves {', '.join(left)} without a parent; "
                          "give each a new parent under teams: change")  # fmt: skip
    moves, moved = [], {}
    for m in p.moves:
        person = res.person(m.person, m.line, "moves")
        if person in moved:
            raise p.error(
                m.line, f"moves: {person} ({org.name_of(person)}) is moved twice (also at line {moved[person]})"
            )
        moved[person] = m.line
        team = res.team(m.team, m.line, "moves: team")
        if team in dissolved:
            raise p.error(m.line, f"moves: team {team} is dissolved (line {dissolved[team]})")
        moves.append(replace(m, person=person, team=team, manager=res.maybe_person(m.manager, m.line, "moves")))
    for d in dissolve:
        staying = [x.person_id for x in org.members(d.team) if x.person_id not in moved]
        if staying and d.people_to is None:
            raise p.error(d.line, f"teams: dissolve: {d.team} has {len(staying)} people not moved elsewhere: say where "
                          "they go with people_to")  # fmt: skip
        if d.people_to in dissolved:
            raise p.error(d.line, f"teams: dissolve: people_to {d.people_to} is dissolved too (line "
                          f"{dissolved[d.people_to]})")  # fmt: skip
    return replace(p, add=tuple(add), change=tuple(change), dissolve=tuple(dissolve), moves=tuple(moves))
