"""Which groups of a survey may be shown: none under the minimum size, nor any that a
difference would give back (docs/surveys.md, docs/decisions/0071).

The groups form a tree (the organization, its units, their teams); a group's respondents
are its own (people of the unit itself) and those of every group under it. A group with
fewer respondents than the minimum is hidden. Then, for every shown group, what a reader
can work out by difference is its **unexplained mass**: its respondents minus those of the
shown groups directly under it and, under a hidden group, of the shown groups further
down; the mass of people counted in no shown group below. That mass is itself a group of
people whose answers a difference gives back, so it must be 0 or at least the minimum: when
it is between, the smallest of those shown groups is hidden too (see :func:`complement`),
until it is not.
The masses of different shown groups are made of different people, so every sum or
difference of shown values is about 0 or at least the minimum people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Tree:
    """Groups by id: each one's parent (None for the root) and its own respondents."""

    parents: Mapping[str, str | None]
    _children: dict[str | None, list[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _depths: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for group in sorted(self.parents):
            self._children.setdefault(self.parents[group], []).append(group)
        for group in self.parents:
            depth, parent = 0, self.parents[group]
            while parent is not None:
                depth, parent = depth + 1, self.parents[parent]
            self._depths[group] = depth

    def children(self, group: str) -> list[str]:
        return self._children.get(group, [])

    def depth(self, group: str) -> int:
        return self._depths[group]

    def totals(self, own: Mapping[str, int]) -> dict[str, int]:
        """Each group's respondents: its own and those of every group under it."""
        total = {g: own.get(g, 0) for g in self.parents}
        for group in sorted(self.parents, key=self.depth, reverse=True):
            parent = self.parents[group]
            if parent is not None:
                total[parent] += total[group]
        return total


def hidden_groups(tree: Tree, own: Mapping[str, int], minimum: int, hidden: frozenset[str] = frozenset()) -> set[str]:
    """The groups not to show: under ``minimum`` respondents (``own`` counts each group's
    own respondents), ``hidden`` already, or hidden so no difference gives back a group
    under the minimum."""
    total = tree.totals(own)
    out = set(hidden) | {g for g, n in total.items() if n < minimum}
    changed = True
    while changed:
        changed = False
        for group in sorted(tree.parents, key=tree.depth, reverse=True):
            if group in out:
                continue
            while 0 < unexplained(tree, own, out, group) < minimum:
                out.add(complement(tree, own, out, group, total))
                changed = True
    return out


def complement(tree: Tree, own: Mapping[str, int], out: set[str], group: str, total: Mapping[str, int]) -> str:
    """The group to hide so ``group``'s unexplained mass grows: of the shown groups whose
    values it is explained by (directly under it, or under hidden groups below it), the
    smallest whose hiding adds respondents; when none does (each is the sum of shown groups
    under it), the smallest, which opens the groups under it to the choice."""
    frontier = [g for g in _frontier(tree, out, group) if total[g] > 0]
    adding = [g for g in frontier if unexplained(tree, own, out, g) > 0]
    return min(adding or frontier, key=lambda g: (total[g], g))


def _frontier(tree: Tree, out: set[str], group: str) -> list[str]:
    found = []
    for child in tree.children(group):
        found += _frontier(tree, out, child) if child in out else [child]
    return found


def unexplained(tree: Tree, own: Mapping[str, int], out: set[str], group: str) -> int:
    """The respondents of ``group`` counted in no shown group under it."""
    mass = own.get(group, 0)
    for child in tree.children(group):
        if child in out:
            mass += unexplained(tree, own, out, child)
    return mass
