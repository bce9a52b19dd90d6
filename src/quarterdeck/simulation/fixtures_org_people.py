"""The organization fixture's people and teams as they are made: names, e-mails, logins,
titles, pay and start dates, all drawn from one ``random.Random`` with integer draws."""

from __future__ import annotations

import random
from datetime import date

from quarterdeck.simulation.fixtures_org_model import (
    MonthStats,
    Person,
    Service,
    Team,
    ascii_slug,
    day_in_month,
    month_end,
    month_start,
    months_between,
    round10,
)  # fmt: skip
from quarterdeck.simulation.fixtures_org_vocab import (
    BASE_COST,
    CONTRACT_TITLES,
    FIRST_NAMES,
    HIRE_LEVELS,
    IC_LEVELS,
    IC_TITLES,
    INITIAL_LEVELS,
    LAST_NAMES,
    LOC_MULT,
    LOCATIONS,
    MANAGER_TITLES,
    OLD_DOMAIN,
    ORG_DOMAIN,
    ROLE_MIX,
    ROLE_MULT,
)  # fmt: skip
from quarterdeck.simulation.rng import Weighted, per_mille, pick


class OrgPeople:
    """The organization's state, and how it makes a person or a team."""

    def __init__(self, people: int, months: int, seed: int, start: date) -> None:
        self.n = people
        self.months = months
        self.seed = seed
        self.rng = random.Random(seed)
        self.first_month = month_start(start)
        self.reorg_month = months // 2 if months >= 2 else -1
        self.people: list[Person] = []
        self.active: list[Person] = []
        self.teams: list[Team] = []
        self.divisions: list[Team] = []
        self.root: Team | None = None
        self.top: Person | None = None
        self.services: list[Service] = []
        self.emails_used: dict[str, int] = {}
        self.logins_used: dict[str, int] = {}
        self.team_ids: dict[str, Team] = {}
        self.next_key = 0
        self.next_id = 1
        self.stats: list[MonthStats] = []
        self.reorg: dict[str, str] = {}
        self.special_people: dict[str, list[Person]] = {}
        self.departed: list[Person] = []  # people who left, in order
        self.loc_pick = Weighted([(name, w) for name, w, _ in LOCATIONS])
        self.role_pick = {t: Weighted(mix) for t, mix in ROLE_MIX.items()}
        self.hire_level = Weighted(HIRE_LEVELS)
        self.initial_level = Weighted(INITIAL_LEVELS)

    # -- people ------------------------------------------------------------------------

    def month_date(self, m: int) -> date:
        return month_start(self.first_month, m)

    def new_person(self, kind: str, role: str, level: str, team: Team | None, manager: Person | None,
                   start: date, employment: str = "full-time", location: str = "") -> Person:  # fmt: skip
        rng = self.rng
        first, last = pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)
        if not location:
            home = team.home if team is not None and team.home else ""
            location = home if home and per_mille(rng, 750) else self.loc_pick.pick(rng)
        p = Person(self.next_key, first, last, kind, role, level, "", employment, location, start,
                   team=team, manager=manager)  # fmt: skip
        self.next_key += 1
        p.title = self.title_for(p)
        p.cost = self.cost_for(p)
        self.set_contacts(p)
        self.people.append(p)
        return p

    def title_for(self, p: Person) -> str:
        if p.employment == "contractor":
            return CONTRACT_TITLES[p.role]
        if p.level.startswith("M"):
            return MANAGER_TITLES[p.level]
        return IC_TITLES[p.role][IC_LEVELS.index(p.level)]

    def cost_for(self, p: Person) -> int:
        rng = self.rng
        base = BASE_COST[p.level or "IC3"]
        cost = base * LOC_MULT[p.location] // 1000 * ROLE_MULT[p.role] // 1000
        if p.employment == "contractor":
            cost = cost * 1250 // 1000
        cost = cost * (1000 + rng.randint(-60, 60)) // 1000
        if p.employment == "part-time":
            cost = cost * 600 // 1000
        return round10(cost)

    def set_contacts(self, p: Person) -> None:
        rng = self.rng
        first, last = ascii_slug(p.first), ascii_slug(p.last)
        base = f"{first}.{last}"
        n = self.emails_used.get(base, 0) + 1
        self.emails_used[base] = n
        local = base if n == 1 else f"{base}{n}"
        p.email = f"{local}@{ORG_DOMAIN}"
        extra = []
        if p.start.year < 2020 and per_mille(rng, 350):
            extra.append(f"{local}@{OLD_DOMAIN}")
        if per_mille(rng, 80):
            extra.append(f"{first[0]}{last}{'' if n == 1 else n}@{ORG_DOMAIN}")
        p.emails = ";".join(extra)
        share = {"engineering manager": 750, "director": 600, "product manager": 450, "designer": 500}
        if per_mille(rng, share.get(p.role, 900)):
            style = rng.randrange(6)
            last_plain = last.replace("-", "")
            login = (
                f"{first}{last_plain}",
                f"{first[0]}{last_plain}",
                f"{first}-{last_plain}",
                f"{last_plain}{first[0]}{rng.randint(1, 99)}",
                f"{first}{rng.randint(1, 999)}",
                f"{first.capitalize()}{last_plain.capitalize()}",
            )[style]
            k = self.logins_used.get(login.lower(), 0) + 1
            self.logins_used[login.lower()] = k
            p.github = login if k == 1 else f"{login}-{k}"

    def initial_start(self, min_months: int, max_months: int) -> date:
        """A start date min..max months before the first month, not before ~2015."""
        rng = self.rng
        earliest = date(self.first_month.year - 9, 1, 1)
        limit = months_between(earliest, self.first_month)
        back = min(limit, rng.randint(min_months, max_months))
        return day_in_month(rng, month_start(self.first_month, -back))

    def ic_tenure(self) -> date:
        bucket = Weighted(((0, 30), (1, 34), (2, 26), (3, 10))).pick(self.rng)
        lo, hi = ((1, 12), (12, 36), (36, 72), (72, 108))[bucket]
        return self.initial_start(lo, hi)

    # -- the initial organization -----------------------------------------------------

    def new_team(self, tid: str, name: str, kind: str, ttype: str, parent: Team | None, special: str = "") -> Team:
        rng = self.rng
        t = Team(tid, name, kind, ttype, parent, special=special)
        t.division = parent if parent is not None and parent.kind == "division" else None
        t.home = self.loc_pick.pick(rng)
        style = rng.randrange(20)
        t.alias = f"team-{tid}" if style < 5 else f"{tid}-eng" if style < 8 else f"{tid}-team"
        self.teams.append(t)
        self.team_ids[tid] = t
        return t

    def ic(self, team: Team | None, manager: Person | None, start: date | None = None, hire: bool = False,
           level: str = "", role: str = "", employment: str = "") -> Person:  # fmt: skip
        rng = self.rng
        if not role:
            role = self.role_pick[team.ttype if team is not None and team.ttype else "stream-aligned"].pick(rng)
        if not employment:
            draw = rng.randrange(100)
            employment = "contractor" if draw < 6 else "part-time" if draw < 10 else "full-time"
        if employment == "contractor":
            level = ""
        elif not level:
            level = (self.hire_level if hire else self.initial_level).pick(rng)
            if role == "product manager" and level == "IC1":
                level = "IC2"
        p = self.new_person("ic", role, level, team, manager, start or self.ic_tenure(), employment)
        if employment == "contractor" and per_mille(rng, 500):
            # a contract with a planned end date, often in the future
            months_ahead = rng.randint(0, 11) if not hire else rng.randint(5, 12)
            base = self.first_month if not hire else p.start
            p.end = month_end(month_start(base, months_ahead))
        return p

    def assign_id(self, p: Person) -> None:
        p.pid = f"E{self.next_id:05d}"
        self.next_id += 1

    def set_manager(self, p: Person, manager: Person, st: MonthStats) -> None:
        if p.manager is not manager:
            p.manager = manager
            st.manager_changes += 1
