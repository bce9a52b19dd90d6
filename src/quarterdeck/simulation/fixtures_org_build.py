"""The organization fixture's first month: the top, 4-6 divisions with their directors, the
teams with the deliberate design problems (one-person, micro, manager-less, deep and big
teams, people without a team), the normal teams, group managers, and the services.

Every step draws from the one ``random.Random`` in a fixed order: reordering a step
changes the committed data (tests/data/org)."""

from __future__ import annotations

from quarterdeck.simulation.fixtures_org_model import Person, Service, Team
from quarterdeck.simulation.fixtures_org_people import OrgPeople
from quarterdeck.simulation.fixtures_org_vocab import APP_SUFFIXES, DIVISIONS, MONOREPO, SERVICE_SUFFIXES
from quarterdeck.simulation.rng import Weighted, pick

TeamName = tuple[str, str, str]  # id, display name, type


class OrgBuild(OrgPeople):
    """Builds the organization of the first month (``build``)."""

    def build(self) -> None:
        self._top()
        self._divisions()
        self._units: list[list[Person]] = [[] for _ in self.divisions]  # who reports into each division
        self._solo_teams()
        self._micro_teams()
        self._team_without_manager()
        deep_top = self._deep_chain()
        n_big = self._big_teams()
        self._people_without_team()
        normal = self._normal_teams(n_big)
        self._groups(deep_top)
        self._fill(normal)
        # ids in order of start date, as an HR system hands them out
        for p in sorted(self.people, key=lambda p: (p.start, p.key)):
            self.assign_id(p)
        self.active = list(self.people)
        self.make_services(normal)

    def _top(self) -> None:
        root = self.new_team("engineering", "Engineering", "root", "", None)
        self.root = root
        top = self.new_person("top", "director", "M4", root, None, self.initial_start(96, 108), location="Berlin")
        if self.n >= 1000:
            top.title = "Chief Technology Officer"
        top.pinned = True
        root.manager = root.em = top
        self.top = top

    def _divisions(self) -> None:
        rng = self.rng
        self.k = k = rng.randint(4, 6)
        chosen = sorted(rng.sample(range(len(DIVISIONS)), k))
        self._pools: list[list[TeamName]] = []
        self._used_counts: dict[int, int] = {}
        for i in chosen:
            did, dname, pool = DIVISIONS[i]
            d = self.new_team(did, dname, "division", "", self.root)
            d.division = d
            office = ("Berlin", "London", "New York")[rng.randrange(3)]
            director = self.new_person(
                "director", "director", "M3", d, self.top, self.initial_start(24, 108), location=office
            )
            director.pinned = True
            d.manager = d.em = director
            d.boss = self.top
            self.divisions.append(d)
            names = list(pool)
            rng.shuffle(names)
            self._pools.append(names)

    def _team_in(self, di: int, special: str = "") -> Team:
        """The next team name of division ``di``'s pool (numbered once the pool runs out)."""
        pool = self._pools[di]
        j = self._used_counts.get(di, 0)
        self._used_counts[di] = j + 1
        tid, tname, ttype = pool[j % len(pool)]
        if j >= len(pool):
            tid, tname = f"{tid}-{j // len(pool) + 1}", f"{tname} {j // len(pool) + 1}"
        return self.new_team(tid, tname, "team", ttype, self.divisions[di], special)

    def _lead(self, team: Team) -> Person:
        em = self.new_person("em", "engineering manager", "M1", team, None, self.initial_start(8, 100))
        team.manager = team.em = em
        return em

    def _solo_teams(self) -> None:
        """One-person teams: one specialist, reporting to the group's manager."""
        for s in range(3 if self.n >= 2000 else 2):
            di = (2 + s) % self.k
            t = self._team_in(di, "solo")
            p = self.ic(t, None, level="IC5", role="engineer", employment="full-time")
            p.title = "Senior Staff Engineer"
            p.pinned = True
            self._units[di].append(p)
            self.special_people.setdefault("solo", []).append(p)

    def _micro_teams(self) -> None:
        """Micro teams: a manager with two or three reports."""
        for s, size in enumerate((2, 3)):
            di = (0, 2)[s] % self.k
            t = self._team_in(di, "micro")
            em = self._lead(t)
            em.pinned = True
            self._units[di].append(em)
            for _ in range(size):
                self.ic(t, em, employment="full-time").pinned = True
            self.special_people.setdefault("micro", []).append(em)

    def _team_without_manager(self) -> None:
        """A team without a manager: its people report to the director."""
        director = self.divisions[0].em
        t = self._team_in(0, "nomgr")
        t.ttype = "enabling"
        t.boss = director
        for _ in range(4):
            self.ic(t, director, employment="full-time").pinned = True
        self.special_people["nomgr"] = [director]

    def _deep_chain(self) -> Person:
        """A deep chain: group manager -> senior EM -> EM -> tech lead manager -> engineers;
        returns its top (the senior EM)."""
        t = self._team_in(1 % self.k, "deep")
        mm = self.new_person("em", "engineering manager", "M2", t, None, self.initial_start(30, 100))
        em = self.new_person("em", "engineering manager", "M1", t, mm, self.initial_start(12, 90))
        tlm = self.new_person("tlm", "engineering manager", "M1", t, em, self.initial_start(12, 60))
        tlm.title = "Tech Lead Manager"
        t.manager = t.em = em
        t.boss = mm
        chain = [mm, em, tlm]
        for _ in range(2):
            chain.append(self.ic(t, em, role="engineer", employment="full-time"))
        for _ in range(2):
            chain.append(self.ic(t, tlm, role="engineer", employment="full-time"))
        for p in chain:
            p.pinned = True
        self._units[1 % self.k].append(mm)
        self.special_people["deep"] = chain
        return mm

    def _big_teams(self) -> int:
        """Big teams: an engineering manager with 11-13 reports; returns how many."""
        n_big = 2 if self.n < 1000 else 3
        for s in range(n_big):
            di = (1, 3, self.k - 1)[s] % self.k
            t = self._team_in(di, "big")
            em = self._lead(t)
            em.pinned = True
            t.target = 12 + s + 1
            self._units[di].append(em)
            for _ in range(11 + s):
                self.ic(t, em)
            self.special_people.setdefault("big", []).append(em)
        return n_big

    def _people_without_team(self) -> None:
        divs = self.divisions
        p = self.ic(None, self.top, level="IC6", role="engineer", employment="full-time")
        p.pinned = True
        p2 = self.ic(None, divs[0].em, level="IC5", role="engineer", employment="full-time")
        p2.title = "Software Architect"
        p2.pinned = True
        p3 = self.ic(None, divs[2 % self.k].em, level="IC4", role="product manager", employment="full-time")
        p3.title = "Technical Program Manager"
        p3.pinned = True
        self.special_people["teamless"] = [p, p2, p3]
        next(t for t in self.teams if t.special == "nomgr").members.append(p2)

    def _normal_teams(self, n_big: int) -> list[Team]:
        """Normal teams end at about 7.8 people each (an EM and 6-8 reports); about one
        manager of managers per 6 teams comes on top."""
        rng, k = self.rng, self.k
        room = self.n - len(self.people) - n_big
        n_normal = max(2 * k, room * 6 * 10 // (6 * 76 + 10))
        div_weights = Weighted([(i, rng.randint(2, 5)) for i in range(k)])
        capacity = sum(len(pool) for pool in self._pools)
        normal: list[Team] = []
        for i in range(n_normal):
            di = i % k if i < 2 * k else div_weights.pick(rng)
            while len(self.teams) - k - 1 < capacity and self._used_counts.get(di, 0) >= len(self._pools[di]):
                di = (di + 1) % k  # prefer a division that still has names in its pool
            t = self._team_in(di)
            t.weight = rng.randint(7, 9)
            self._units[di].append(self._lead(t))
            normal.append(t)
        return normal

    def _groups(self, deep_top: Person) -> None:
        """Group managers (and, for large organizations, heads over groups)."""
        for di, d in enumerate(self.divisions):
            us = self._units[di]
            self.rng.shuffle(us)
            if deep_top in us:
                us.remove(deep_top)
                us.insert(0, deep_top)  # the deep chain's senior EM must be in a group
            tops = self.group(us, d, force=(di == 1 % self.k))
            while len(tops) > 8:
                tops = self.group(tops, d, level="M3")
            for u in tops:
                self.report_to(u, d.em)

    def _fill(self, normal: list[Team]) -> None:
        """Fill the normal teams with individual contributors up to 80 % of the headcount."""
        rng = self.rng
        remaining = (8 * self.n + 5) // 10 - len(self.people)
        if remaining <= 0:
            return
        wsum = sum(t.weight for t in normal)
        counts = [0] * len(normal)
        prop = remaining * 9 // 10
        for i, t in enumerate(normal):
            counts[i] = prop * t.weight // wsum
        for _ in range(remaining - sum(counts)):
            counts[rng.randrange(len(normal))] += 1
        for t, c in zip(normal, counts, strict=True):
            for _ in range(c):
                self.ic(t, t.em)

    def group(self, units: list[Person], d: Team, force: bool = False, level: str = "M2") -> list[Person]:
        """Put some units under group managers until at most 7 report to the level above
        (all of them for a large division); returns who reports to the level above."""
        rng = self.rng
        groups: list[Person] = []
        i = 0
        while i < len(units) and (len(units) - i + len(groups) > 7 or (force and not groups)):
            size = min(len(units) - i, 3 if force and not groups else rng.randint(4, 6))
            g = self.new_person("group" if level == "M2" else "head", "engineering manager", level, d, None,
                                self.initial_start(18, 100))  # fmt: skip
            if level == "M3":
                g.title = "Head of Engineering"
                g.role = "director"
            g.pinned = True
            for u in units[i : i + size]:
                self.report_to(u, g)
            groups.append(g)
            i += size
        return groups + units[i:]

    def report_to(self, unit: Person, boss: Person) -> None:
        unit.manager = boss
        t = unit.team
        if t is not None and t.kind == "team" and t.boss is None and (t.em is unit or t.special == "solo"):
            t.boss = boss
            if t.special == "solo":
                t.manager = boss

    def make_services(self, normal: list[Team]) -> None:
        rng = self.rng
        leaf = [t for t in self.teams if t.kind == "team" and t.special not in ("solo", "nomgr")]
        n_services = max(20, min(40, len(leaf) * 85 // 100))
        owners = list(leaf)
        rng.shuffle(owners)
        used: set[str] = set()
        i = 0
        while len(self.services) < n_services - 2:
            t = owners[i % len(owners)]
            i += 1
            suffixes = APP_SUFFIXES if t.division is not None and t.division.tid == "apps" else SERVICE_SUFFIXES
            suffix, sname = pick(rng, suffixes)
            sid = f"{t.tid}-{suffix}"
            if sid in used or suffix in t.tid.split("-") or i > 20 * n_services:
                if i > 20 * n_services:  # a tiny organization: not enough distinct names
                    break
                continue
            used.add(sid)
            draw = rng.randrange(10)
            repos = [MONOREPO] if draw < 4 else [sid] if draw < 8 else [sid, f"{sid}-infra"]
            self.services.append(Service(sid, f"{t.name} {sname}", t, repos))
        self.services.sort(key=lambda s: s.sid)
        self.services.append(Service("legacy-reporting", "Legacy Reporting", None, ["legacy-reporting"]))
        self.services.append(Service("status-page", "Status Page", None, [MONOREPO]))
