"""A proposed org applied to the people of a date: the organization it gives (``apply_reorg``).

The proposal (``planning.reorg_file``) is applied to ``load_org``'s organization of the
date, and the result is an ``OrgAt`` like the one ``load_org`` reads, so the org checks
and the figures of ``planning.reorg_compare`` read both sides the same way. Who reports to
whom after the proposal:

- someone a move names with ``manager`` reports to that manager;
- someone moved (by ``moves`` or because their team is dissolved) without one reports to
  their new team's manager, or, when they are that manager or the team has none, to the
  nearest manager of a unit above it; with none at all, they keep their manager;
- when a team gets a new manager, its own people who reported to the old one (or, when it
  had none, to the nearest manager above it) report to the new one;
- the manager of a team the proposal adds, re-parents or gives a new manager, when they
  sit in that team (or below it), reports to the nearest manager of a unit above the team.

Direct reports and layers are then counted as the ``org_reports`` and ``org_layers``
fragments count them (``count_reports``, ``count_layers``): on the unchanged organization
they equal ``load_org``'s own figures (tests/test_org_what_if.py checks it). A proposal
that makes a manager chain or a team's parents run in a circle is refused, naming the line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from quarterdeck.metrics.org_design import OrgAt, PersonAt, UnitAt
from quarterdeck.planning.reorg_file import UNSET, ProposedOrg

MAX_LAYER = 64  # org_layers stops a chain there


@dataclass(frozen=True)
class PersonMove:
    """Someone whose team or manager the proposal changes."""

    person_id: str
    name: str
    from_team: str | None
    to_team: str | None
    from_manager: str | None
    to_manager: str | None
    line: int  # the line of the file that decided it


def count_reports(managers: Mapping[str, str | None]) -> dict[str, int]:
    """Each person's direct reports: the people (keys) whose manager they are (org_reports)."""
    counts = dict.fromkeys(managers, 0)
    for manager in managers.values():
        if manager in counts:
            counts[manager] += 1
    return counts


def count_layers(positions: Mapping[str, str | None]) -> dict[str, int | None]:
    """Each position's layer as org_layers gives it: 1 for a top (no manager, or a manager
    who is no position), else one more than their manager's, at most 64; None in or below
    a manager cycle, or below layer 64."""
    layer: dict[str, int | None] = {}
    for start in positions:
        path: list[str] = []
        seen: set[str] = set()
        node = start
        while True:
            if node in layer:
                base = layer[node]
                break
            if node in seen:
                base = None
                break
            seen.add(node)
            path.append(node)
            above = positions[node]
            if above is None or above not in positions:
                layer[path.pop()] = base = 1
                break
            node = above
        for name in reversed(path):
            base = None if base is None or base >= MAX_LAYER else base + 1
            layer[name] = base
    return layer


def rebuild(org: OrgAt, people: Mapping[str, PersonAt], units: Mapping[str, UnitAt]) -> OrgAt:
    """The organization of ``org``'s date with these people (teams, managers) and units; direct
    reports, layers and vacancies counted again."""
    managers = {pid: p.manager_id for pid, p in people.items()}
    named = {m for m in managers.values() if m is not None and m not in people}
    vacancies = {v: org.vacancies.get(v) for v in sorted(named)}
    reports = count_reports(managers)
    layers = count_layers({**managers, **vacancies})
    counted = {pid: replace(p, direct_reports=reports[pid], layer=layers[pid]) for pid, p in people.items()}
    return OrgAt(org.date, org.first_import, org.latest_import, counted, dict(units), org.names, vacancies,
                 teams_defined=org.teams_defined)  # fmt: skip


class _Apply:
    def __init__(self, org: OrgAt, proposal: ProposedOrg) -> None:
        self.org, self.p = org, proposal
        self.units = dict(org.units)
        self.team = {pid: p.team_id for pid, p in org.people.items()}
        self.manager = {pid: p.manager_id for pid, p in org.people.items()}
        self.decided: dict[str, int] = {}  # person -> line that set their manager
        self.team_line: dict[str, int] = {}  # person -> line that moved them

    def structure(self) -> None:
        for new in self.p.add:
            self.units[new.id] = UnitAt(new.id, new.name, new.parent, new.type, new.manager)
        for c in self.p.change:
            unit = self.units[c.team]
            fields = {"parent_id": c.parent, "manager_id": c.manager, "name": c.name, "type": c.type}
            self.units[c.team] = replace(unit, **{k: v for k, v in fields.items() if v is not UNSET})
        for d in self.p.dissolve:
            del self.units[d.team]
        lines = {c.team: c.line for c in self.p.change} | {n.id: n.line for n in self.p.add}
        for unit_id in self.units:
            seen, node = [], unit_id
            while node in self.units and node not in seen:
                seen.append(node)
                node = self.units[node].parent_id
            if node in seen:
                circle = seen[seen.index(node) :]
                line = min(lines.get(u, 10**9) for u in circle)
                raise self.p.error(line, f"teams: the parents of {' > '.join([*circle, node])} run in a circle")

    def above(self, team: str | None, person: str | None, units: Mapping[str, UnitAt] | None = None) -> str | None:
        """The manager of ``team``, else of the nearest unit above it, who is employed and not ``person``."""
        units = self.units if units is None else units
        seen: set[str] = set()
        while team in units and team not in seen:
            seen.add(team)
            manager = units[team].manager_id
            if manager is not None and manager != person and manager in self.org.people:
                return manager
            team = units[team].parent_id
        return None

    def set_manager(self, person: str, manager: str | None, line: int) -> None:
        if manager is not None:
            self.manager[person] = manager
            self.decided[person] = line

    def people(self) -> None:
        explicit = {m.person: m for m in self.p.moves}
        for d in self.p.dissolve:
            for member in self.org.members(d.team):
                if member.person_id not in explicit:
                    self.team[member.person_id] = d.people_to
                    self.team_line[member.person_id] = d.line
                    self.set_manager(member.person_id, d.manager or self.above(d.people_to, member.person_id), d.line)
        for m in self.p.moves:
            self.team[m.person] = m.team
            self.team_line[m.person] = m.line
            self.set_manager(m.person, m.manager or self.above(m.team, m.person), m.line)
        for c in self.p.change:
            if c.manager is UNSET or c.manager == self.org.units[c.team].manager_id:
                continue
            old = self.above(c.team, None, self.org.units)  # a team without a manager: the one above it
            for pid, team in self.team.items():
                if team == c.team and self.manager[pid] == old and pid != c.manager and pid not in self.decided:
                    self.set_manager(pid, c.manager, c.line)
        heads = [(n.id, n.line) for n in self.p.add]
        heads += [(c.team, c.line) for c in self.p.change if c.parent is not UNSET or c.manager is not UNSET]
        for team, line in heads:
            head = self.units[team].manager_id
            if head in self.org.people and head not in explicit and self._inside(self.team.get(head), team):
                self.set_manager(head, self.above(self.units[team].parent_id, head), line)

    def _inside(self, team: str | None, unit: str) -> bool:
        seen: set[str] = set()
        while team in self.units and team not in seen:
            if team == unit:
                return True
            seen.add(team)
            team = self.units[team].parent_id
        return False

    def check_cycles(self, after: OrgAt) -> None:
        circling = sorted(pid for pid, p in after.people.items() if p.layer is None and pid in self.decided)
        for pid in circling:
            chain, node = [pid], self.manager[pid]
            while node is not None and node not in chain and node in self.manager:
                chain.append(node)
                node = self.manager[node]
            if node in chain:
                loop = [*chain[chain.index(node) :], node]
                line = min(self.decided.get(x, 10**9) for x in loop[:-1])
                raise self.p.error(line, f"a manager cycle: {' > '.join(loop)} (each reports to the next)")


def apply_reorg(org: OrgAt, proposal: ProposedOrg) -> tuple[OrgAt, list[PersonMove]]:
    """The organization after the (resolved) proposal, and who moves."""
    work = _Apply(org, proposal)
    work.structure()
    work.people()
    people = {pid: replace(p, team_id=work.team[pid], manager_id=work.manager[pid]) for pid, p in org.people.items()}
    after = rebuild(org, people, work.units)
    work.check_cycles(after)
    moves = [
        PersonMove(pid, p.name, p.team_id, work.team[pid], p.manager_id, work.manager[pid],
                   work.team_line.get(pid, work.decided.get(pid, 0)))
        for pid, p in sorted(org.people.items(), key=lambda kv: (kv[1].name, kv[0]))
        if work.team[pid] != p.team_id or work.manager[pid] != p.manager_id
    ]  # fmt: skip
    return after, moves
