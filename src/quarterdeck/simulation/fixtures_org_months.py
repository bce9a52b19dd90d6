"""The organization fixture month by month: raises every April, vacancies filled, contracts
extended or ended, leavers, promotions, transfers and hires, and the reorg halfway
(``fixtures_org_reorg``). Every step draws from the one ``random.Random`` in a fixed order."""

from __future__ import annotations

import heapq
from datetime import date, timedelta

from quarterdeck.simulation.fixtures_org_model import (
    MonthStats,
    Person,
    Team,
    day_in_month,
    month_end,
    month_start,
    months_between,
    round10,
)  # fmt: skip
from quarterdeck.simulation.fixtures_org_reorg import OrgReorg
from quarterdeck.simulation.fixtures_org_vocab import (
    BASE_COST,
    IC_LEVELS,
    LEAVE_RATE,
    LOC_MULT,
    MANAGER_TITLES,
    PROMOTION_RATE,
    RAISE_MONTH,
    TRANSFER_RATE,
)  # fmt: skip
from quarterdeck.simulation.rng import per_mille, pick


class OrgMonths(OrgReorg):
    """Plays one month of the organization (``simulate``)."""

    def simulate(self, m: int) -> MonthStats:
        ms = self.month_date(m)
        st = MonthStats(month_end(ms))
        self.stats.append(st)
        if m == self.reorg_month:
            self.do_reorg(st)
        if ms.month == RAISE_MONTH:
            self._raises(ms, st)
        for t in self.teams:
            if t.active and t.pending == m:
                self.fill_vacancy(t, m, st)
        self._contracts(m, st)
        self._leavers(m, ms, st)
        self._promotions(m, ms, st)
        self._transfers(ms, st)
        self.hire(m, st)
        return st

    def _raises(self, ms: date, st: MonthStats) -> None:
        rng = self.rng
        for p in self.active:
            if p.employment != "contractor" and p.start < ms - timedelta(days=90) and per_mille(rng, 950):
                p.cost = round10(p.cost * (1000 + rng.randint(20, 50)) // 1000)
                st.raises += 1

    def _contracts(self, m: int, st: MonthStats) -> None:
        """Contracts reaching their planned end: extended or ended."""
        for p in self.active:
            if p.employment == "contractor" and p.end is not None and not p.leaving and p.end <= st.snapshot:
                if per_mille(self.rng, 600) or p.pinned:
                    p.end = month_end(month_start(p.end, 6))
                else:
                    self.depart(p, m, st, p.end)

    def _leavers(self, m: int, ms: date, st: MonthStats) -> None:
        rng = self.rng
        eligible = [p for p in self.active if not p.pinned and not p.leaving and p.start < ms]
        n_leave = max(1, (len(self.active) * LEAVE_RATE + rng.randrange(1000)) // 1000 + rng.randint(-1, 1))
        for p in rng.sample(eligible, min(n_leave, len(eligible))):
            if not p.leaving:
                self.depart(p, m, st, day_in_month(rng, ms))

    def _promotions(self, m: int, ms: date, st: MonthStats) -> None:
        rng = self.rng
        eligible = [
            p for p in self.active
            if p.kind == "ic" and not p.pinned and not p.leaving and p.employment != "contractor"
            and p.level != "IC6" and months_between(p.start, ms) >= 12 and m - p.last_promotion >= 12
        ]  # fmt: skip
        n_promo = max(1, (len(eligible) * PROMOTION_RATE + rng.randrange(1000)) // 1000)
        for p in rng.sample(eligible, min(n_promo, len(eligible))):
            if p.level == "IC5" and not per_mille(rng, 300) and n_promo > 1:
                continue
            self.promote(p, m)
            st.promotions += 1

    def _transfers(self, ms: date, st: MonthStats) -> None:
        """Transfers between teams, most within the division."""
        rng = self.rng
        movable = [t for t in self.teams if t.active and t.kind == "team" and t.special in ("", "big")]
        eligible = [
            p for p in self.active
            if p.kind == "ic" and not p.pinned and not p.leaving and p.start < ms and p.team is not None
            and p.team.active and p.team.kind == "team" and p.team.special in ("", "big")
        ]  # fmt: skip
        n_move = max(1, (len(eligible) * TRANSFER_RATE + rng.randrange(1000)) // 1000)
        for p in rng.sample(eligible, min(n_move, len(eligible))):
            same = [t for t in movable if t.division is p.team.division and t is not p.team]
            pool = same if same and per_mille(rng, 700) else [t for t in movable if t is not p.team]
            dest = pick(rng, pool)
            p.team = dest
            self.set_manager(p, dest.manager or dest.division.em, st)
            st.transfers += 1

    def depart(self, p: Person, m: int, st: MonthStats, end: date) -> None:
        rng = self.rng
        p.leaving = True
        p.end = end
        if p.employment != "contractor" and per_mille(rng, 500):
            p.regretted = "yes" if per_mille(rng, 400) else "no"
            if p.regretted == "yes":
                st.regretted_yes += 1
            else:
                st.regretted_no += 1
        st.leavers += 1
        if p.kind == "ic":
            return  # individual contributors manage nobody
        managed = [t for t in self.teams if t.active and t.manager is p]
        reports = [q for q in self.active if q.manager is p and not q.leaving]
        if not managed and not reports:
            return
        own = p.team if p.team is not None and p.team.em is p else None
        # the reports go to the leaver's own manager until the position is filled
        interim = p.manager
        for q in reports:
            self.set_manager(q, interim, st)
        for t in managed:
            t.manager = interim
        if own is not None:
            own.em = None
            own.pending = m + rng.randint(1, 2)

    def fill_vacancy(self, t: Team, m: int, st: MonthStats) -> None:
        rng = self.rng
        ms = self.month_date(m)
        members = [p for p in self.active if p.team is t and not p.leaving]
        candidates = [
            p for p in members
            if p.kind == "ic" and p.employment == "full-time" and p.level in ("IC3", "IC4", "IC5")
            and p.role == "engineer"
        ]  # fmt: skip
        if candidates and per_mille(rng, 500):
            em = min(candidates, key=lambda p: (-IC_LEVELS.index(p.level), p.start, p.pid))
            em.kind = "em"
            em.role = "engineering manager"
            em.level = "M1"
            em.title = MANAGER_TITLES["M1"]
            em.cost = max(round10(em.cost * (1000 + rng.randint(60, 100)) // 1000),
                          round10(BASE_COST["M1"] * LOC_MULT[em.location] // 1000))  # fmt: skip
            em.last_promotion = m
            st.promotions += 1
        else:
            em = self.new_person("em", "engineering manager", "M1", t, None, day_in_month(rng, ms))
            self.assign_id(em)
            self.active.append(em)
            st.hires += 1
        self.set_manager(em, t.boss, st)
        t.em = t.manager = em
        t.pending = -1
        for p in members:
            if p is not em:
                self.set_manager(p, em, st)

    def promote(self, p: Person, m: int) -> None:
        rng = self.rng
        p.level = IC_LEVELS[IC_LEVELS.index(p.level) + 1]
        p.title = self.title_for(p)
        p.cost = round10(p.cost * (1000 + rng.randint(80, 120)) // 1000)
        p.last_promotion = m

    def hire(self, m: int, st: MonthStats) -> None:
        rng = self.rng
        ms = self.month_date(m)
        target = (8 * self.n + 5) // 10 + (self.n - (8 * self.n + 5) // 10) * (m + 1) // self.months
        staying = sum(1 for p in self.active if not p.leaving)
        n_hire = max(0, target - staying)
        if n_hire == 0:
            return
        size: dict[int, int] = {}
        for p in self.active:
            if not p.leaving and p.team is not None:
                size[id(p.team)] = size.get(id(p.team), 0) + 1
        normal = [t for t in self.teams if t.active and t.kind == "team" and t.special == ""]
        big = [t for t in self.teams if t.active and t.kind == "team" and t.special == "big"]
        wsum = sum(t.weight for t in normal)
        total = sum(size.get(id(t), 0) for t in normal) + n_hire
        heap = []
        for i, t in enumerate(normal):
            heap.append((-(t.weight * total - size.get(id(t), 0) * wsum), rng.randrange(1 << 20), i, t))
        for j, t in enumerate(big):
            heap.append((-(t.target - size.get(id(t), 0)) * wsum, rng.randrange(1 << 20), len(normal) + j, t))
        heapq.heapify(heap)
        for _ in range(n_hire):
            neg, _tie, i, t = heapq.heappop(heap)
            p = self.ic(t, t.manager or t.division.em, start=day_in_month(rng, ms), hire=True)
            self.assign_id(p)
            self.active.append(p)
            st.hires += 1
            heapq.heappush(heap, (neg + wsum, rng.randrange(1 << 20), i, t))

    def end_month(self) -> None:
        left = [p for p in self.active if p.leaving]
        self.departed.extend(left)
        self.active = [p for p in self.active if not p.leaving]

    def snapshot(self) -> list[Person]:
        return sorted(self.active, key=lambda p: p.pid)
