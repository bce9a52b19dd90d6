"""The organization fixture's reorg (halfway through the months): the largest team is split,
two small teams of one division merge (the merged-away team's manager leads the new half),
and a team moves to another division; services follow their teams."""

from __future__ import annotations

from quarterdeck.simulation.fixtures_org_build import OrgBuild
from quarterdeck.simulation.fixtures_org_model import MonthStats, Person, Team
from quarterdeck.simulation.fixtures_org_vocab import SPLIT_SUFFIXES
from quarterdeck.simulation.rng import pick

Members = dict[int, list[Person]]  # id(team) -> its people staying this month


class OrgReorg(OrgBuild):
    def do_reorg(self, st: MonthStats) -> None:
        members: Members = {}
        for p in self.active:
            if p.team is not None and not p.leaving:
                members.setdefault(id(p.team), []).append(p)
        candidates = [
            t for t in self.teams
            if t.active and t.kind == "team" and t.special == "" and t.em is not None and t.em is t.manager
            and not t.em.leaving
        ]  # fmt: skip
        split = sorted(candidates, key=lambda t: (-len(members.get(id(t), [])), t.tid))[0]
        keep, gone = self._merge_pair(candidates, split, members)
        new, moved = self._split(split, gone, members, st)
        self._merge(keep, gone, members, st)
        mover, old_div, dest = self._move_team([t for t in candidates if t not in (split, keep, gone)], st)
        for s in self.services:  # services follow the teams
            if s.owner is gone:
                s.owner = keep
        split_services = [s for s in self.services if s.owner is split]
        for s in split_services[1::2]:
            s.owner = new
        self.reorg = {
            "split": split.tid, "split_new": new.tid, "merged_into": keep.tid, "merged_away": gone.tid,
            "moved": mover.tid, "moved_from": old_div.tid, "moved_to": dest.tid,
            "moved_em": new.em.pid, "moved_count": str(len(moved)),
        }  # fmt: skip

    def _merge_pair(self, candidates: list[Team], split: Team, members: Members) -> tuple[Team, Team]:
        """Two small teams of the same division (not the split one): (kept, merged away)."""

        def size(t: Team) -> int:
            return len(members.get(id(t), []))

        smallest = sorted(candidates, key=lambda t: (size(t), t.tid))[:40]
        pairs = [
            (a, b) for a in smallest for b in smallest
            if a is not b and a is not split and b is not split and a.division is b.division
        ]  # fmt: skip
        pairs.sort(key=lambda ab: (size(ab[0]) + size(ab[1]), ab[0].tid, ab[1].tid))
        return pairs[self.rng.randrange(min(3, len(pairs)))]

    def _split(self, split: Team, gone: Team, members: Members, st: MonthStats) -> tuple[Team, list[Person]]:
        """The new team of the split, led by the merged team's manager; (it, who moved)."""
        rng = self.rng
        suffix, sname = pick(rng, SPLIT_SUFFIXES)
        new = self.new_team(f"{split.tid}-{suffix}", f"{split.name} {sname}", "team", split.ttype, split.parent)
        new.boss = split.boss
        new.home = split.home
        ics = sorted((p for p in members.get(id(split), []) if p is not split.em), key=lambda p: p.pid)
        moved = sorted(rng.sample(ics, len(ics) // 2), key=lambda p: p.pid)
        em = gone.em
        em.team = new
        self.set_manager(em, new.boss, st)
        new.em = new.manager = em
        for p in moved:
            p.team = new
            self.set_manager(p, em, st)
        new.weight = max(6, split.weight * (len(moved) + 1) // max(1, len(ics) + 1))
        split.weight = max(6, split.weight - new.weight // 2)
        return new, moved

    def _merge(self, keep: Team, gone: Team, members: Members, st: MonthStats) -> None:
        for p in members.get(id(gone), []):
            if p is not gone.em:  # its manager now leads the new half of the split team
                p.team = keep
                self.set_manager(p, keep.manager, st)
        keep.weight = len(members.get(id(keep), [])) + len(members.get(id(gone), [])) - 1
        gone.active = False

    def _move_team(self, movers: list[Team], st: MonthStats) -> tuple[Team, Team, Team]:
        """A team moves to another division, under one of its group managers; (the team,
        the old division, the new one)."""
        rng = self.rng
        mover = pick(rng, movers)
        old_div = mover.division
        dest = pick(rng, [d for d in self.divisions if d is not old_div])
        groups = [p for p in self.active if p.kind == "group" and p.team is dest and not p.leaving]
        boss = pick(rng, groups) if groups else dest.em
        mover.parent = mover.division = dest
        mover.boss = boss
        self.set_manager(mover.em, boss, st)
        return mover, old_div, dest
