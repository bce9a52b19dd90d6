"""The org tree on a date: root, divisions, teams, with their type, manager and headcounts.

Per unit: its Team Topologies type, its manager (and whether they are employed on the
date), the manager's span (people employed on the date whose manager they are, wherever
those people sit), ``members`` (people whose own team is the unit) and ``headcount`` (the
members of the unit and of every unit below it). Tree structure and headcounts describe
the organization, not people, so they are never hidden. People are listed, with their
title and level only, when asked for; costs never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quarterdeck.metrics.org_design import OrgAt, PersonAt

NO_TEAM = "(no team)"


@dataclass
class TreeNode:
    unit_id: str
    name: str
    type: str | None
    manager_id: str | None
    manager: str | None
    manager_employed: bool | None  # None when the unit has no manager
    span: int | None  # the manager's direct reports on the date
    members: int
    headcount: int
    depth: int
    path: str  # unit ids from the top, joined by "/"
    people: list[PersonAt] = field(default_factory=list)
    children: list[TreeNode] = field(default_factory=list)


@dataclass
class OrgTree:
    org: OrgAt
    roots: list[TreeNode]
    unit: str | None
    depth: int | None
    with_people: bool

    @property
    def headcount(self) -> int:
        return sum(node.headcount for node in self.roots)


def build_tree(org: OrgAt, unit: str | None = None, depth: int | None = None, with_people: bool = False) -> OrgTree:
    """The tree under ``unit`` (default: every top unit, then the people without a team),
    ``depth`` levels below the top at most (headcounts always count the whole subtree)."""
    tops = [unit] if unit else org.roots()
    roots = [_node(org, u, 0, org.path(u), depth, with_people) for u in tops]
    if unit is None and org.without_team():
        loose = org.without_team()
        roots.append(
            TreeNode(
                unit_id=NO_TEAM,
                name="people without a team",
                type=None,
                manager_id=None,
                manager=None,
                manager_employed=None,
                span=None,
                members=len(loose),
                headcount=len(loose),
                depth=0,
                path=NO_TEAM,
                people=loose if with_people else [],
            )
        )
    return OrgTree(org, roots, unit, depth, with_people)


def _node(org: OrgAt, unit_id: str, level: int, path: str, depth: int | None, with_people: bool) -> TreeNode:
    unit = org.units[unit_id]
    manager = org.people.get(unit.manager_id) if unit.manager_id else None
    node = TreeNode(
        unit_id=unit_id,
        name=unit.name,
        type=unit.type,
        manager_id=unit.manager_id,
        manager=org.name_of(unit.manager_id),
        manager_employed=None if unit.manager_id is None else manager is not None,
        span=manager.direct_reports if manager else None,
        members=len(org.members(unit_id)),
        headcount=org.headcount(unit_id),
        depth=level,
        path=path,
        people=org.members(unit_id) if with_people else [],
    )
    if depth is None or level < depth:
        node.children = [
            _node(org, child, level + 1, f"{path}/{child}", depth, with_people) for child in org.children(unit_id)
        ]
    return node


def walk(nodes: list[TreeNode]) -> list[TreeNode]:
    """Every node, each before the units below it (the order the tree is printed in)."""
    return [found for node in nodes for found in (node, *walk(node.children))]
