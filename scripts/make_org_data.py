"""Generate deterministic, realistic organization data for `quarterdeck ingest org`.

Usage:
    python scripts/make_org_data.py OUT_DIR [--people N] [--months M] [--seed S]
                                    [--start YYYY-MM-DD] [--formats FORMAT ...]

The same arguments give byte-identical files on every machine: all randomness comes
from one ``random.Random(seed)`` using integer draws only (no floats, no set iteration,
no hash order, no clock). Run with ``--help`` for what the data set contains.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import csv
import heapq
import itertools
import json
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

DESCRIPTION = """\
Write a synthetic engineering organization as the input files `quarterdeck ingest org`
reads (see docs/org-inputs.md):

  hr/people-YYYY-MM-DD.csv   one canonical people CSV per month end (--months of them,
                             the first at the end of the month of --start)
  org-YYYY-MM-DD.yaml        team definitions and services, at the first month and at the
                             month of the reorg (halfway)
  catalog-info.yaml          a Backstage catalog mirroring the latest teams
  CODEOWNERS                 the CODEOWNERS file of the `monorepo` repository
  identities.csv             explicit identity -> person links
  workday/                   the first and last snapshot in a Workday-like export format,
                             with the column mapping (mapping.yaml)
  bad/                       small people CSVs with exactly one error each, and a README
                             giving each error's line and field
  README.md                  what is in the data set, the arguments, and exact facts

The organization: a VP of Engineering, 4-6 divisions with directors, senior engineering
managers over groups of teams, teams with engineering managers; headcount grows from
about 0.8*N to about N; every month hires, leavers (the export of their last month still
lists them with end_date), promotions, transfers and manager changes; raises every
April; one reorg halfway (a team split, two teams merged, a team moved to another
division). Deliberate design problems for the checks: managers with 1-3 and with 10-14
reports, one-person teams, teams above 9 people, a team without a manager, a 7-layer
management chain, people without a team.

Same arguments, same bytes. --people 10000 --months 60 is the benchmark data set.
"""

FORMATS = ("people", "org", "catalog", "codeowners", "identities", "workday", "bad")

PEOPLE_COLUMNS = (
    "id", "name", "email", "emails", "title", "level", "role", "manager_id", "team", "location",
    "employment_type", "start_date", "end_date", "annual_cost", "regretted", "github",
)  # fmt: skip

WORKDAY_COLUMNS = (
    ("Employee Number", "id"),
    ("Worker", "name"),
    ("Work Email", "email"),
    ("Additional Email Addresses", "emails"),
    ("Business Title", "title"),
    ("Job Level", "level"),
    ("Job Family", "role"),
    ("Supervisor Employee Number", "manager_id"),
    ("Supervisor Name", None),
    ("Department", "team"),
    ("Cost Center", None),
    ("Location", "location"),
    ("Worker Type", "employment_type"),
    ("Hire Date", "start_date"),
    ("Termination Date", "end_date"),
    ("Total Cost", "annual_cost"),
    ("Regrettable Termination", "regretted"),
    ("GitHub Username", "github"),
)
WORKDAY_DATE_FORMAT = "%m/%d/%Y"

ORG_DOMAIN = "example.com"
OLD_DOMAIN = "example.org"
GITHUB_ORG = "example"
MONOREPO = "monorepo"

# ----------------------------------------------------------------------------------------
# Vocabulary

FIRST_NAMES = (  # noqa: SIM905 - a readable block of names
    "Aaliyah Ada Aisha Alejandro Alice Amara Amir Ana Anders Andrea Anika Anja Arjun Astrid Ayumi "
    "Beatriz Ben Björn Carla Carlos Chen Chidi Chloe Clara Daniel Daniela David Deepa Diego Dmitri "
    "Elena Elif Emil Emily Emma Erik Esther Ewa Fatima Felix Fernando Freya Gabriel Grace Hana Hannah "
    "Hassan Henrik Ines Ingrid Isabel Ivan Jakub James Jana Javier Jennifer Jessica Jin João Jonas "
    "José Julia Kai Karin Kenji Kofi Kwame Lars Laura Lea Leila Leon Leonie Lina Linda Lucas Lucía "
    "Luis Łukasz Maja Malik Marco Marcus Maria Mariam Marta Mateo Mathilde Max Mei Mia Michael Miguel "
    "Mohammed Nadia Naomi Ngozi Nikhil Nina Noah Nora Olga Oliver Omar Oscar Owen Pablo Paula Pedro "
    "Piotr Priya Rachel Rafael Rahul Ravi Robert Rosa Ruth Sakura Samuel Sara Sean Sebastian "
    "Siddharth Sofia Sunita Søren Tanvi Tariq Thomas Tomás Tyler Valentina Victor Vikram Wei Yara "
    "Yusuf Zainab Zoë"
).split()

LAST_NAMES = (  # noqa: SIM905
    "Abbott|Adeyemi|Ahmed|Almeida|Andersson|Bauer|Becker|Bianchi|Brown|Carvalho|Chen|Costa|Cruz|"
    "Dąbrowski|Das|Davies|De Souza|Dubois|Eriksson|Fernandes|Fischer|Fontaine|García|Gomes|González|"
    "Gupta|Hansen|Hartmann|Hernández|Hoffmann|Hughes|Ibrahim|Ivanova|Jansen|Jensen|Johansson|"
    "Johnson|Kaur|Keller|Khan|Kim|Klein|Koch|Kowalski|Krause|Kumar|Lange|Larsen|Lee|Lehmann|Li|Lima|"
    "Lindqvist|Liu|López|Martin|Martínez|Mendes|Mensah|Meyer|Moreau|Müller|Murphy|Nakamura|Neumann|"
    "Nguyen|Nielsen|Novak|Nowak|O'Brien|Okafor|Oliveira|Olsen|Park|Patel|Pereira|Petrov|Popescu|"
    "Quinn|Ramos|Reddy|Richter|Rodrigues|Rossi|Santos|Sato|Schäfer|Schmidt|Schneider|Schulz|Shah|"
    "Silva|Singh|Smith|Smith-Jones|Sousa|Suzuki|Tanaka|Taylor|Thompson|van der Berg|Vogel|Wagner|"
    "Walker|Wang|Weber|Williams|Wilson|Wolf|Wright|Yamamoto|Yilmaz|Zhang|Zimmermann|Øvergaard"
).split("|")

# Locations with a skewed distribution (weights) and a cost multiplier (per mille).
LOCATIONS = (
    ("Berlin", 34, 1000),
    ("London", 18, 1150),
    ("New York", 14, 1680),
    ("Lisbon", 12, 720),
    ("Toronto", 9, 1100),
    ("Bangalore", 8, 420),
    ("Remote", 5, 1300),
)
LOC_MULT = {name: mult for name, _, mult in LOCATIONS}

IC_LEVELS = ("IC1", "IC2", "IC3", "IC4", "IC5", "IC6")
BASE_COST = {
    "IC1": 62000, "IC2": 76000, "IC3": 95000, "IC4": 118000, "IC5": 140000, "IC6": 165000,
    "M1": 122000, "M2": 142000, "M3": 170000, "M4": 215000,
}  # fmt: skip
ROLE_MULT = {
    "engineer": 1000,
    "site reliability engineer": 1040,
    "data scientist": 1030,
    "QA engineer": 900,
    "product manager": 1020,
    "designer": 950,
    "engineering manager": 1000,
    "director": 1000,
}
IC_TITLES = {
    "engineer": ("Software Engineer I", "Software Engineer II", "Senior Software Engineer",
                 "Staff Engineer", "Senior Staff Engineer", "Principal Engineer"),
    "site reliability engineer": ("Site Reliability Engineer I", "Site Reliability Engineer II",
                                  "Senior Site Reliability Engineer", "Staff Site Reliability Engineer",
                                  "Senior Staff Site Reliability Engineer",
                                  "Principal Site Reliability Engineer"),
    "data scientist": ("Data Scientist I", "Data Scientist II", "Senior Data Scientist",
                       "Staff Data Scientist", "Senior Staff Data Scientist", "Principal Data Scientist"),
    "QA engineer": ("QA Engineer I", "QA Engineer II", "Senior QA Engineer", "Staff QA Engineer",
                    "Senior Staff QA Engineer", "Principal QA Engineer"),
    "product manager": ("Associate Product Manager", "Product Manager", "Senior Product Manager",
                        "Group Product Manager", "Principal Product Manager", "Principal Product Manager"),
    "designer": ("Associate Product Designer", "Product Designer", "Senior Product Designer",
                 "Staff Product Designer", "Principal Product Designer", "Principal Product Designer"),
}  # fmt: skip
CONTRACT_TITLES = {
    "engineer": "Contract Software Engineer",
    "site reliability engineer": "Contract Site Reliability Engineer",
    "data scientist": "Contract Data Scientist",
    "QA engineer": "Contract QA Engineer",
    "product manager": "Contract Product Manager",
    "designer": "Contract Product Designer",
}
MANAGER_TITLES = {
    "M1": "Engineering Manager",
    "M2": "Senior Engineering Manager",
    "M3": "Director of Engineering",
    "M4": "VP of Engineering",
}
# Roles of individual contributors by team type (weights).
ROLE_MIX = {
    "stream-aligned": (("engineer", 76), ("product manager", 8), ("designer", 7), ("QA engineer", 6),
                       ("data scientist", 3)),
    "platform": (("engineer", 64), ("site reliability engineer", 30), ("product manager", 4),
                 ("QA engineer", 2)),
    "enabling": (("engineer", 80), ("site reliability engineer", 10), ("designer", 10)),
    "complicated-subsystem": (("engineer", 58), ("data scientist", 36), ("product manager", 6)),
}  # fmt: skip
HIRE_LEVELS = (("IC1", 12), ("IC2", 30), ("IC3", 33), ("IC4", 17), ("IC5", 6), ("IC6", 2))
INITIAL_LEVELS = (("IC1", 8), ("IC2", 25), ("IC3", 35), ("IC4", 20), ("IC5", 9), ("IC6", 3))

# Divisions and their team pools: (id, display name, type).
DIVISIONS = (
    ("platform", "Platform", (
        ("developer-experience", "Developer Experience", "enabling"),
        ("build-and-release", "Build and Release", "platform"),
        ("cloud-infrastructure", "Cloud Infrastructure", "platform"),
        ("observability", "Observability", "platform"),
        ("identity-and-access", "Identity and Access", "platform"),
        ("api-gateway", "API Gateway", "platform"),
        ("storage", "Storage", "complicated-subsystem"),
        ("networking", "Networking", "platform"),
        ("security-engineering", "Security Engineering", "enabling"),
        ("sre-core", "SRE Core", "platform"),
        ("service-mesh", "Service Mesh", "platform"),
        ("compute", "Compute", "platform"),
        ("developer-portal", "Developer Portal", "platform"),
        ("secrets-management", "Secrets Management", "complicated-subsystem"),
        ("edge-delivery", "Edge Delivery", "platform"),
    )),
    ("commerce", "Commerce", (
        ("payments", "Payments", "stream-aligned"),
        ("checkout", "Checkout", "stream-aligned"),
        ("billing", "Billing", "stream-aligned"),
        ("pricing", "Pricing", "stream-aligned"),
        ("subscriptions", "Subscriptions", "stream-aligned"),
        ("invoicing", "Invoicing", "stream-aligned"),
        ("fraud-detection", "Fraud Detection", "complicated-subsystem"),
        ("tax", "Tax", "complicated-subsystem"),
        ("orders", "Orders", "stream-aligned"),
        ("merchant-tools", "Merchant Tools", "stream-aligned"),
        ("refunds", "Refunds", "stream-aligned"),
        ("payouts", "Payouts", "stream-aligned"),
        ("ledger", "Ledger", "complicated-subsystem"),
        ("promotions", "Promotions", "stream-aligned"),
        ("marketplace", "Marketplace", "stream-aligned"),
    )),
    ("growth", "Growth", (
        ("onboarding", "Onboarding", "stream-aligned"),
        ("activation", "Activation", "stream-aligned"),
        ("notifications", "Notifications", "platform"),
        ("experimentation", "Experimentation", "enabling"),
        ("referrals", "Referrals", "stream-aligned"),
        ("marketing-site", "Marketing Site", "stream-aligned"),
        ("seo", "SEO", "stream-aligned"),
        ("lifecycle-messaging", "Lifecycle Messaging", "stream-aligned"),
        ("retention", "Retention", "stream-aligned"),
        ("growth-analytics", "Growth Analytics", "enabling"),
        ("paid-acquisition", "Paid Acquisition", "stream-aligned"),
        ("partnerships", "Partnerships", "stream-aligned"),
        ("localization", "Localization", "enabling"),
        ("email-platform", "Email Platform", "platform"),
    )),
    ("data", "Data and ML", (
        ("analytics-engineering", "Analytics Engineering", "platform"),
        ("ml-platform", "ML Platform", "platform"),
        ("recommendations", "Recommendations", "complicated-subsystem"),
        ("search", "Search", "stream-aligned"),
        ("search-relevance", "Search Relevance", "complicated-subsystem"),
        ("forecasting", "Forecasting", "complicated-subsystem"),
        ("data-ingestion", "Data Ingestion", "platform"),
        ("reporting", "Reporting", "stream-aligned"),
        ("data-quality", "Data Quality", "enabling"),
        ("data-warehouse", "Data Warehouse", "platform"),
        ("feature-store", "Feature Store", "complicated-subsystem"),
        ("streaming", "Streaming", "platform"),
        ("ml-serving", "ML Serving", "complicated-subsystem"),
        ("data-governance", "Data Governance", "enabling"),
    )),
    ("apps", "Client Apps", (
        ("ios", "iOS", "stream-aligned"),
        ("android", "Android", "stream-aligned"),
        ("web-foundations", "Web Foundations", "platform"),
        ("design-system", "Design System", "enabling"),
        ("mobile-platform", "Mobile Platform", "platform"),
        ("accessibility", "Accessibility", "enabling"),
        ("desktop", "Desktop", "stream-aligned"),
        ("offline-sync", "Offline Sync", "complicated-subsystem"),
        ("web-app", "Web App", "stream-aligned"),
        ("mobile-releases", "Mobile Releases", "enabling"),
        ("tv-apps", "TV Apps", "stream-aligned"),
        ("browser-extension", "Browser Extension", "stream-aligned"),
        ("app-performance", "App Performance", "enabling"),
        ("watch-apps", "Watch Apps", "stream-aligned"),
    )),
    ("core", "Core Product", (
        ("accounts", "Accounts", "stream-aligned"),
        ("messaging", "Messaging", "stream-aligned"),
        ("collaboration", "Collaboration", "stream-aligned"),
        ("scheduling", "Scheduling", "stream-aligned"),
        ("integrations", "Integrations", "stream-aligned"),
        ("admin-console", "Admin Console", "stream-aligned"),
        ("content", "Content", "stream-aligned"),
        ("media", "Media", "complicated-subsystem"),
        ("workflow-engine", "Workflow Engine", "complicated-subsystem"),
        ("files", "Files", "stream-aligned"),
        ("permissions", "Permissions", "complicated-subsystem"),
        ("audit-log", "Audit Log", "stream-aligned"),
        ("calendar", "Calendar", "stream-aligned"),
        ("public-api", "Public API", "stream-aligned"),
        ("realtime", "Realtime", "complicated-subsystem"),
    )),
)  # fmt: skip
SPLIT_SUFFIXES = (("core", "Core"), ("experience", "Experience"), ("foundations", "Foundations"),
                  ("insights", "Insights"))  # fmt: skip
SERVICE_SUFFIXES = (("api", "API"), ("service", "Service"), ("worker", "Worker"), ("web", "Web"),
                    ("jobs", "Jobs"), ("gateway", "Gateway"))  # fmt: skip
APP_SUFFIXES = (("app", "App"), ("sdk", "SDK"), ("bff", "BFF"), ("api", "API"))

# Rates, per mille of the eligible people each month.
LEAVE_RATE = 11  # about 13 % a year
PROMOTION_RATE = 12
TRANSFER_RATE = 6
RAISE_MONTH = 4  # April

# ----------------------------------------------------------------------------------------
# Small helpers


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def month_start(d: date, add: int = 0) -> date:
    y, m = divmod(d.month - 1 + add, 12)
    return date(d.year + y, m + 1, 1)


def months_between(a: date, b: date) -> int:
    """Whole calendar months from a's month to b's month."""
    return (b.year - a.year) * 12 + (b.month - a.month)


def day_in_month(rng: random.Random, ms: date) -> date:
    return ms + timedelta(days=rng.randrange(calendar.monthrange(ms.year, ms.month)[1]))


class Weighted:
    """A weighted choice with integer draws only (random.choices draws floats)."""

    def __init__(self, pairs: tuple | list) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.randrange(self.cum[-1]))]


def chance(rng: random.Random, per_mille: int) -> bool:
    return rng.randrange(1000) < per_mille


_TRANSLITERATE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "'": ""})


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9-]", "", text)


def round10(x: int) -> int:
    return x // 10 * 10


_YAML_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/@+-]*\Z")
_YAML_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}


def ys(s: str) -> str:
    """A YAML scalar: plain when unambiguous, else a double-quoted (JSON) string."""
    if _YAML_PLAIN.match(s) and s.lower() not in _YAML_RESERVED and not s.endswith(" "):
        return s
    return json.dumps(s, ensure_ascii=False)


def yflow(items: list[str]) -> str:
    return "[" + ", ".join(ys(i) for i in items) + "]"


# ----------------------------------------------------------------------------------------
# The model


@dataclass(eq=False, slots=True)
class Team:
    tid: str
    name: str
    kind: str  # root, division, team
    ttype: str = ""
    parent: Team | None = None
    division: Team | None = None
    manager: Person | None = None  # as the team definitions give it (may be an interim)
    em: Person | None = None  # the team's own engineering manager, None while vacant
    boss: Person | None = None  # whom the team's EM reports to
    alias: str = ""
    special: str = ""  # "", big, micro, solo, nomgr, deep
    weight: int = 0  # relative size target of a normal team
    target: int = 0  # fixed size target of a big team
    pending: int = -1  # month in which a vacant EM position is filled
    home: str = ""
    active: bool = True
    members: list[Person] = field(default_factory=list)  # listed in the org YAML


@dataclass(eq=False, slots=True)
class Person:
    key: int
    first: str
    last: str
    kind: str  # top, director, head, group, em, tlm, ic
    role: str
    level: str
    title: str
    employment: str
    location: str
    start: date
    team: Team | None = None
    manager: Person | None = None
    pid: str = ""
    email: str = ""
    emails: str = ""
    github: str = ""
    end: date | None = None
    cost: int = 0
    regretted: str = ""
    pinned: bool = False
    leaving: bool = False
    last_promotion: int = -99

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(slots=True)
class MonthStats:
    snapshot: date
    rows: int = 0
    active: int = 0
    hires: int = 0
    leavers: int = 0
    regretted_yes: int = 0
    regretted_no: int = 0
    promotions: int = 0
    transfers: int = 0
    manager_changes: int = 0
    raises: int = 0


@dataclass(slots=True)
class Service:
    sid: str
    name: str
    owner: Team | None
    repositories: list[str]


class Org:
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
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        if not location:
            home = team.home if team is not None and team.home else ""
            location = home if home and chance(rng, 750) else self.loc_pick.pick(rng)
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
        if p.start.year < 2020 and chance(rng, 350):
            extra.append(f"{local}@{OLD_DOMAIN}")
        if chance(rng, 80):
            extra.append(f"{first[0]}{last}{'' if n == 1 else n}@{ORG_DOMAIN}")
        p.emails = ";".join(extra)
        share = {"engineering manager": 750, "director": 600, "product manager": 450, "designer": 500}
        if chance(rng, share.get(p.role, 900)):
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
        if employment == "contractor" and chance(rng, 500):
            # a contract with a planned end date, often in the future
            months_ahead = rng.randint(0, 11) if not hire else rng.randint(5, 12)
            base = self.first_month if not hire else p.start
            p.end = month_end(month_start(base, months_ahead))
        return p

    def build(self) -> None:
        rng = self.rng
        n = self.n
        head0 = (8 * n + 5) // 10
        root = self.new_team("engineering", "Engineering", "root", "", None)
        self.root = root
        top = self.new_person("top", "director", "M4", root, None, self.initial_start(96, 108), location="Berlin")
        if n >= 1000:
            top.title = "Chief Technology Officer"
        top.pinned = True
        root.manager = root.em = top
        self.top = top

        k = rng.randint(4, 6)
        chosen = sorted(rng.sample(range(len(DIVISIONS)), k))
        pools: list[list[tuple[str, str, str]]] = []
        for i in chosen:
            did, dname, pool = DIVISIONS[i]
            d = self.new_team(did, dname, "division", "", root)
            d.division = d
            office = ("Berlin", "London", "New York")[rng.randrange(3)]
            director = self.new_person(
                "director", "director", "M3", d, top, self.initial_start(24, 108), location=office
            )
            director.pinned = True
            d.manager = d.em = director
            d.boss = top
            self.divisions.append(d)
            names = list(pool)
            rng.shuffle(names)
            pools.append(names)
        divs = self.divisions
        used_counts: dict[int, int] = {}

        def team_in(di: int, special: str = "") -> Team:
            pool = pools[di]
            j = used_counts.get(di, 0)
            used_counts[di] = j + 1
            tid, tname, ttype = pool[j % len(pool)]
            if j >= len(pool):
                tid, tname = f"{tid}-{j // len(pool) + 1}", f"{tname} {j // len(pool) + 1}"
            return self.new_team(tid, tname, "team", ttype, divs[di], special)

        units: list[list[Person]] = [[] for _ in divs]  # who reports into each division

        def lead(team: Team, title: str = "") -> Person:
            em = self.new_person("em", "engineering manager", "M1", team, None, self.initial_start(8, 100))
            if title:
                em.title = title
            team.manager = team.em = em
            return em

        special = self.special_people
        # one-person teams: one specialist, reporting to the group's manager
        for s in range(3 if n >= 2000 else 2):
            di = (2 + s) % k
            t = team_in(di, "solo")
            p = self.ic(t, None, level="IC5", role="engineer", employment="full-time")
            p.title = "Senior Staff Engineer"
            p.pinned = True
            units[di].append(p)
            special.setdefault("solo", []).append(p)
        # micro teams: a manager with two or three reports
        for s, size in enumerate((2, 3)):
            di = (0, 2)[s] % k
            t = team_in(di, "micro")
            em = lead(t)
            em.pinned = True
            units[di].append(em)
            for _ in range(size):
                self.ic(t, em, employment="full-time").pinned = True
            special.setdefault("micro", []).append(em)
        # a team without a manager: its people report to the director
        t = team_in(0, "nomgr")
        t.ttype = "enabling"
        t.boss = divs[0].em
        for _ in range(4):
            self.ic(t, divs[0].em, employment="full-time").pinned = True
        special["nomgr"] = [divs[0].em]
        # a deep chain: group manager -> senior EM -> EM -> tech lead manager -> engineers
        t = team_in(1 % k, "deep")
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
        units[1 % k].append(mm)
        special["deep"] = chain
        # big teams: an engineering manager with 11-13 reports
        n_big = 2 if n < 1000 else 3
        for s in range(n_big):
            di = (1, 3, k - 1)[s] % k
            t = team_in(di, "big")
            em = lead(t)
            em.pinned = True
            t.target = 12 + s + 1
            units[di].append(em)
            for _ in range(11 + s):
                self.ic(t, em)
            special.setdefault("big", []).append(em)
        # people without a team
        p = self.ic(None, top, level="IC6", role="engineer", employment="full-time")
        p.pinned = True
        p2 = self.ic(None, divs[0].em, level="IC5", role="engineer", employment="full-time")
        p2.title = "Software Architect"
        p2.pinned = True
        p3 = self.ic(None, divs[2 % k].em, level="IC4", role="product manager", employment="full-time")
        p3.title = "Technical Program Manager"
        p3.pinned = True
        special["teamless"] = [p, p2, p3]
        next(t for t in self.teams if t.special == "nomgr").members.append(p2)

        # normal teams
        # normal teams end at about 7.8 people each (an EM and 6-8 reports); about one manager
        # of managers per 6 teams comes on top
        room = n - len(self.people) - n_big
        n_normal = max(2 * k, room * 6 * 10 // (6 * 76 + 10))
        div_weights = Weighted([(i, rng.randint(2, 5)) for i in range(k)])
        capacity = sum(len(pool) for pool in pools)
        normal: list[Team] = []
        for i in range(n_normal):
            di = i % k if i < 2 * k else div_weights.pick(rng)
            while len(self.teams) - k - 1 < capacity and used_counts.get(di, 0) >= len(pools[di]):
                di = (di + 1) % k  # prefer a division that still has names in its pool
            t = team_in(di)
            t.weight = rng.randint(7, 9)
            units[di].append(lead(t))
            normal.append(t)

        # group managers (and, for large organizations, heads over groups)
        for di, d in enumerate(divs):
            us = units[di]
            rng.shuffle(us)
            if mm in us:
                us.remove(mm)
                us.insert(0, mm)  # the deep chain's senior EM must be in a group
            tops = self.group(us, d, force=(di == 1 % k))
            while len(tops) > 8:
                tops = self.group(tops, d, level="M3")
            for u in tops:
                self.report_to(u, d.em)

        # fill the normal teams with individual contributors
        remaining = head0 - len(self.people)
        if remaining > 0:
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

        # ids in order of start date, as an HR system hands them out
        for p in sorted(self.people, key=lambda p: (p.start, p.key)):
            self.assign_id(p)
        self.active = list(self.people)
        self.make_services(normal)

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

    def assign_id(self, p: Person) -> None:
        p.pid = f"E{self.next_id:05d}"
        self.next_id += 1

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
            suffix, sname = suffixes[rng.randrange(len(suffixes))]
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

    # -- a month ------------------------------------------------------------------------

    def simulate(self, m: int) -> MonthStats:
        rng = self.rng
        ms = self.month_date(m)
        st = MonthStats(month_end(ms))
        self.stats.append(st)
        if m == self.reorg_month:
            self.do_reorg(st)
        if ms.month == RAISE_MONTH:
            for p in self.active:
                if p.employment != "contractor" and p.start < ms - timedelta(days=90) and chance(rng, 950):
                    p.cost = round10(p.cost * (1000 + rng.randint(20, 50)) // 1000)
                    st.raises += 1
        for t in self.teams:
            if t.active and t.pending == m:
                self.fill_vacancy(t, m, st)
        # contracts reaching their planned end: extended or ended
        for p in self.active:
            if p.employment == "contractor" and p.end is not None and not p.leaving and p.end <= st.snapshot:
                if chance(rng, 600) or p.pinned:
                    p.end = month_end(month_start(p.end, 6))
                else:
                    self.depart(p, m, st, p.end)
        # leavers
        eligible = [p for p in self.active if not p.pinned and not p.leaving and p.start < ms]
        n_leave = max(1, (len(self.active) * LEAVE_RATE + rng.randrange(1000)) // 1000 + rng.randint(-1, 1))
        for p in rng.sample(eligible, min(n_leave, len(eligible))):
            if not p.leaving:
                self.depart(p, m, st, day_in_month(rng, ms))
        # promotions
        eligible = [
            p for p in self.active
            if p.kind == "ic" and not p.pinned and not p.leaving and p.employment != "contractor"
            and p.level != "IC6" and months_between(p.start, ms) >= 12 and m - p.last_promotion >= 12
        ]  # fmt: skip
        n_promo = max(1, (len(eligible) * PROMOTION_RATE + rng.randrange(1000)) // 1000)
        for p in rng.sample(eligible, min(n_promo, len(eligible))):
            if p.level == "IC5" and not chance(rng, 300) and n_promo > 1:
                continue
            self.promote(p, m)
            st.promotions += 1
        # transfers between teams
        movable = [t for t in self.teams if t.active and t.kind == "team" and t.special in ("", "big")]
        eligible = [
            p for p in self.active
            if p.kind == "ic" and not p.pinned and not p.leaving and p.start < ms and p.team is not None
            and p.team.active and p.team.kind == "team" and p.team.special in ("", "big")
        ]  # fmt: skip
        n_move = max(1, (len(eligible) * TRANSFER_RATE + rng.randrange(1000)) // 1000)
        for p in rng.sample(eligible, min(n_move, len(eligible))):
            same = [t for t in movable if t.division is p.team.division and t is not p.team]
            pool = same if same and chance(rng, 700) else [t for t in movable if t is not p.team]
            dest = pool[rng.randrange(len(pool))]
            p.team = dest
            self.set_manager(p, dest.manager or dest.division.em, st)
            st.transfers += 1
        # hires
        self.hire(m, st)
        return st

    def set_manager(self, p: Person, manager: Person, st: MonthStats) -> None:
        if p.manager is not manager:
            p.manager = manager
            st.manager_changes += 1

    def depart(self, p: Person, m: int, st: MonthStats, end: date) -> None:
        rng = self.rng
        p.leaving = True
        p.end = end
        if p.employment != "contractor" and chance(rng, 500):
            p.regretted = "yes" if chance(rng, 400) else "no"
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
        if candidates and chance(rng, 500):
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

    def do_reorg(self, st: MonthStats) -> None:
        rng = self.rng
        members: dict[int, list[Person]] = {}
        for p in self.active:
            if p.team is not None and not p.leaving:
                members.setdefault(id(p.team), []).append(p)
        candidates = [
            t for t in self.teams
            if t.active and t.kind == "team" and t.special == "" and t.em is not None and t.em is t.manager
            and not t.em.leaving
        ]  # fmt: skip
        by_size = sorted(candidates, key=lambda t: (-len(members.get(id(t), [])), t.tid))
        split = by_size[0]
        # merge two teams of the same division (not the split one)
        smallest = sorted(candidates, key=lambda t: (len(members.get(id(t), [])), t.tid))[:40]
        pairs = [
            (a, b) for a in smallest for b in smallest
            if a is not b and a is not split and b is not split and a.division is b.division
        ]  # fmt: skip
        pairs.sort(key=lambda ab: (len(members.get(id(ab[0]), [])) + len(members.get(id(ab[1]), [])),
                                   ab[0].tid, ab[1].tid))  # fmt: skip
        keep, gone = pairs[rng.randrange(min(3, len(pairs)))]
        # the new team of the split, led by the merged team's manager
        suffix, sname = SPLIT_SUFFIXES[rng.randrange(len(SPLIT_SUFFIXES))]
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
        for p in members.get(id(gone), []):
            if p is not em:
                p.team = keep
                self.set_manager(p, keep.manager, st)
        keep.weight = len(members.get(id(keep), [])) + len(members.get(id(gone), [])) - 1
        gone.active = False
        # a team moves to another division
        movers = [t for t in candidates if t not in (split, keep, gone)]
        mover = movers[rng.randrange(len(movers))]
        old_div = mover.division
        others = [d for d in self.divisions if d is not old_div]
        dest = others[rng.randrange(len(others))]
        groups = [p for p in self.active if p.kind == "group" and p.team is dest and not p.leaving]
        boss = groups[rng.randrange(len(groups))] if groups else dest.em
        mover.parent = mover.division = dest
        mover.boss = boss
        self.set_manager(mover.em, boss, st)
        # services follow the teams
        for s in self.services:
            if s.owner is gone:
                s.owner = keep
        split_services = [s for s in self.services if s.owner is split]
        for s in split_services[1::2]:
            s.owner = new
        self.reorg = {
            "split": split.tid, "split_new": new.tid, "merged_into": keep.tid, "merged_away": gone.tid,
            "moved": mover.tid, "moved_from": old_div.tid, "moved_to": dest.tid,
            "moved_em": em.pid, "moved_count": str(len(moved)),
        }  # fmt: skip

    def end_month(self) -> None:
        left = [p for p in self.active if p.leaving]
        self.departed.extend(left)
        self.active = [p for p in self.active if not p.leaving]

    def snapshot(self) -> list[Person]:
        return sorted(self.active, key=lambda p: p.pid)


# ----------------------------------------------------------------------------------------
# Writers


def person_row(p: Person) -> list[str]:
    return [
        p.pid, p.name, p.email, p.emails, p.title, p.level, p.role,
        p.manager.pid if p.manager is not None else "",
        p.team.tid if p.team is not None else "",
        p.location, p.employment, p.start.isoformat(),
        p.end.isoformat() if p.end is not None else "",
        str(p.cost), p.regretted, p.github,
    ]  # fmt: skip


def write_people_csv(path: Path, rows: list[Person]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(PEOPLE_COLUMNS)
        w.writerows(person_row(p) for p in rows)


def write_workday_csv(path: Path, rows: list[Person]) -> None:
    def us(d: date | None) -> str:
        return d.strftime(WORKDAY_DATE_FORMAT) if d is not None else ""

    ordered = sorted(rows, key=lambda p: (p.team.name if p.team is not None else "", p.name, p.pid))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([c for c, _ in WORKDAY_COLUMNS])
        for p in ordered:
            div = p.team.division if p.team is not None else None
            w.writerow([
                p.pid, p.name, p.email, p.emails, p.title, p.level, p.role,
                p.manager.pid if p.manager is not None else "",
                p.manager.name if p.manager is not None else "",
                p.team.name if p.team is not None else "",
                f"CC-{div.tid.upper()}" if div is not None else "CC-ENG",
                p.location, p.employment, us(p.start), us(p.end), f"{p.cost}.00",
                p.regretted.capitalize(), p.github,
            ])  # fmt: skip


def write_workday_mapping(path: Path) -> None:
    lines = [
        "# Column mapping for the Workday-style exports in this folder (quarterdeck ingest org --mapping).",
        "# Supervisor Name and Cost Center are not mapped: Quarterdeck ignores them.",
        "columns:",
    ]
    lines += [f"  {c}: {canon}" for c, canon in WORKDAY_COLUMNS if canon]
    lines.append(f'date_format: "{WORKDAY_DATE_FORMAT}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_org_yaml(path: Path, org: Org, when: date) -> None:
    teams = [t for t in org.teams if t.active]
    children_style = org.divisions[-1]  # this division lists children instead of each child a parent
    email_style = next((t for t in teams if t.special == "big"), None)
    lines = [
        f"# Engineering teams and services as of {when.isoformat()}.",
        f"# Generated by scripts/make_org_data.py (seed {org.seed}).",
        "teams:",
    ]
    order = [org.root, *org.divisions]
    for d in org.divisions:
        order += [t for t in teams if t.kind == "team" and t.parent is d]
    for t in order:
        lines.append(f"  - id: {ys(t.tid)}")
        lines.append(f"    name: {ys(t.name)}")
        if t.parent is not None and t.parent is not children_style:
            lines.append(f"    parent: {ys(t.parent.tid)}")
        if t.ttype:
            lines.append(f"    type: {t.ttype}")
        if t.manager is not None:
            ref = t.manager.email if t is email_style else t.manager.pid
            lines.append(f"    manager: {ys(ref)}")
        if t is children_style:
            lines.append(f"    children: {yflow([c.tid for c in teams if c.parent is t])}")
        if t.members:
            lines.append(f"    members: {yflow([p.pid for p in t.members])}")
        if t.kind == "team":
            lines.append(f"    aliases: {yflow([t.alias])}")
    lines.append("services:")
    for s in org.services:
        lines.append(f"  - id: {ys(s.sid)}")
        lines.append(f"    name: {ys(s.name)}")
        if s.owner is not None:
            lines.append(f"    owner: {ys(s.owner.tid)}")
        lines.append(f"    repositories: {yflow(s.repositories)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def catalog_users(org: Org) -> list[Person]:
    rng = org.rng
    pool = [p for p in org.snapshot() if p.github and not p.leaving and p.team is not None]
    users = sorted(rng.sample(pool, min(29, len(pool))), key=lambda p: p.pid)
    stale = next((p for p in reversed(org.departed) if p.github and p.team is not None), None)
    if stale is not None:
        users.append(stale)  # someone who left but is still in the catalog
    return users


def write_catalog(path: Path, org: Org) -> dict[str, list[str]]:
    teams = [t for t in org.teams if t.active]
    users = catalog_users(org)
    docs: list[list[str]] = []

    def ref(i: int, tid: str) -> str:
        return tid if i % 2 == 0 else f"group:default/{tid}"

    for t in teams:
        kind = {"root": "organization", "division": "division"}.get(t.kind, "team")
        doc = [
            "apiVersion: backstage.io/v1alpha1",
            "kind: Group",
            "metadata:",
            f"  name: {ys(t.tid)}",
        ]
        if t.kind == "team":
            doc.append(f"  annotations:\n    github.com/team-slug: {ys(f'{GITHUB_ORG}/{t.alias}')}")
        doc += ["spec:", f"  type: {kind}", "  profile:", f"    displayName: {ys(t.name)}"]
        if t.parent is not None:
            doc.append(f"  parent: {ys(t.parent.tid)}")
        doc.append(f"  children: {yflow([c.tid for c in teams if c.parent is t])}")
        docs.append(doc)
    for i, p in enumerate(users):
        local = p.email.split("@")[0]
        member_of = [ref(i, p.team.tid)] if p.team is not None and p.team.active else []
        docs.append([
            "apiVersion: backstage.io/v1alpha1",
            "kind: User",
            "metadata:",
            f"  name: {ys(local)}",
            "spec:",
            "  profile:",
            f"    displayName: {ys(p.name)}",
            f"    email: {ys(p.email)}",
            f"  memberOf: {yflow(member_of)}",
        ])  # fmt: skip
    # systems (one per division), then APIs and components from the services
    for i, d in enumerate(org.divisions):
        docs.append([
            "apiVersion: backstage.io/v1alpha1",
            "kind: System",
            "metadata:",
            f"  name: {ys(d.tid + '-system')}",
            f"  description: {ys('Everything the ' + d.name + ' division runs.')}",
            "spec:",
            f"  owner: {ys(ref(i, d.tid))}",
        ])  # fmt: skip
    user_owned = [s for s in org.services if s.owner is None]
    owned = [s for s in org.services if s.owner is not None]
    n_entities = 25 - len(org.divisions) - len(user_owned)
    chosen = owned[:n_entities] + user_owned
    user_owners = [u for u in users if u is not users[-1]][:2]
    no_group: list[str] = []
    for i, s in enumerate(chosen):
        if s.owner is not None:
            owner = ref(i, s.owner.tid)
            system = s.owner.division.tid + "-system" if s.owner.division is not None else ""
        else:
            u = user_owners[len(no_group) % len(user_owners)]
            owner = f"user:default/{u.email.split('@')[0]}"
            system = ""
            no_group.append(s.sid)
        repo = s.repositories[0]
        is_api = s.sid.endswith("-api")
        doc = [
            "apiVersion: backstage.io/v1alpha1",
            f"kind: {'API' if is_api else 'Component'}",
            "metadata:",
            f"  name: {ys(s.sid)}",
            f"  title: {ys(s.name)}",
            "  annotations:",
            f"    github.com/project-slug: {ys(f'{GITHUB_ORG}/{repo}')}",
            "spec:",
        ]
        if is_api:
            doc += ["  type: openapi", "  lifecycle: production", f"  owner: {ys(owner)}"]
            if system:
                doc.append(f"  system: {ys(system)}")
            doc += ["  definition: |", "    openapi: 3.0.0", "    info:", f"      title: {s.name}",
                    "      version: 1.0.0", "    paths: {}"]  # fmt: skip
        else:
            kind = "website" if s.sid.endswith("-web") else "service"
            lifecycle = "deprecated" if s.sid.startswith("legacy") else "production"
            doc += [f"  type: {kind}", f"  lifecycle: {lifecycle}", f"  owner: {ys(owner)}"]
            if system:
                doc.append(f"  system: {ys(system)}")
        docs.append(doc)
    head = [f"# Backstage catalog of the example engineering organization (seed {org.seed}).", "---"]
    body = "\n---\n".join("\n".join(d) for d in docs)
    path.write_text("\n".join(head) + "\n" + body + "\n", encoding="utf-8")
    return {"users": [u.pid for u in users], "stale_user": [users[-1].pid], "no_group_owner": no_group}


def write_codeowners(path: Path, org: Org) -> dict[str, str]:
    rng = org.rng
    teams = [t for t in org.teams if t.active and t.kind == "team"]
    people = [p for p in org.snapshot() if p.github and not p.leaving]
    by_tid = {t.tid: t for t in teams}

    def slug(t: Team) -> str:
        return f"@{GITHUB_ORG}/{t.alias}"

    def login() -> str:
        return "@" + people[rng.randrange(len(people))].github

    regular = [t for t in teams if t.special in ("", "big")]

    def prefer(tids: tuple[str, ...], avoid: tuple[Team, ...] = ()) -> Team:
        for tid in tids:
            if tid in by_tid and by_tid[tid] in regular and by_tid[tid] not in avoid:
                return by_tid[tid]
        return next(t for t in regular if t not in avoid)

    default = prefer(("developer-experience", "build-and-release", "developer-portal", "web-foundations"))
    infra = prefer(("cloud-infrastructure", "sre-core", "compute", "networking"), (default,))
    second = prefer(("sre-core", "observability", "compute", "storage"), (default, infra))
    ui = prefer(("design-system", "web-foundations", "web-app", "mobile-platform"), (default, infra))
    mono_owners = [s.owner for s in org.services if MONOREPO in s.repositories and s.owner is not None]
    by_id_team = next((t for t in mono_owners if t.active and t is not default), default)
    email_owner = next(p for p in people if p.kind == "ic")
    lines = [
        f"# Code owners of {GITHUB_ORG}/{MONOREPO}.",
        "# The last matching pattern wins, so the catch-all rule comes first.",
        "# Ask #dev-experience before changing the default owners.",
        "",
        f"*                                   {slug(default)}",
        "",
        "# Continuous integration and build tooling",
        f"/.github/                           {slug(default)}",
        f"/tools/build/                       {slug(default)} {login()}",
        f"*.tf                                {slug(infra)}",
        f"/infra/                             {slug(infra)} {slug(second)}",
        "",
        "# Services",
    ]
    for s in org.services:
        if MONOREPO not in s.repositories:
            continue
        if s.owner is not None and s.owner.active:
            owners = slug(s.owner)
            if s.owner is by_id_team:
                owners = f"@{GITHUB_ORG}/{s.owner.tid}"  # by the team's id, not its alias
            if chance(rng, 250):
                owners += " " + login()
        else:
            owners = login()
        lines.append(f"{('/services/' + s.sid + '/').ljust(35)} {owners}")
    lines += [
        "",
        "# Shared libraries",
        f"/libs/auth/                         {slug(by_tid.get('identity-and-access', teams[0]))}",
        f"/libs/ui/                           {slug(ui)} {login()}",
        f"/libs/common/**/*.py                {login()} {login()}",
        "",
        "# Documentation",
        f"/docs/                              {email_owner.email}",
        f"/docs/runbooks/                     {slug(infra)}",
        "",
        "# Still owned by a team that was renamed; nobody has updated this rule",
        f"/legacy/billing/                    @{GITHUB_ORG}/billing-legacy",
        "",
        "# Vendored code has no owners",
        "/vendor/",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"default": default.tid, "email_owner": email_owner.pid, "by_id": by_id_team.tid}


def write_identities(path: Path, org: Org) -> list[tuple[str, str]]:
    rng = org.rng
    pool = [p for p in org.snapshot() if not p.leaving]
    picks = sorted(rng.sample(pool, min(5, len(pool))), key=lambda p: p.pid)
    rows = []
    for i, p in enumerate(picks):
        first, last = ascii_slug(p.first), ascii_slug(p.last).replace("-", "")
        if i == 0 and p.github:
            ident = f"{rng.randint(1000000, 99999999)}+{p.github}@users.noreply.github.com"
        elif i % 2:
            ident = f"{first}{last}{rng.randint(1, 99)}@gmail.com"
        else:
            ident = f"{first}.{last}@posteo.de"
        rows.append((ident, p.pid))
    if org.departed:
        p = org.departed[len(org.departed) // 2]
        rows.append((f"{ascii_slug(p.first)}.{ascii_slug(p.last)}@gmail.com", p.pid))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("identity", "person_id"))
        w.writerows(rows)
    return rows


# The small broken files: a valid base and one change each (line numbers count the header as 1).
BAD_BASE = (
    ("E00001", "Ada Lindqvist", "ada.lindqvist@example.com", "", "VP of Engineering", "M4", "director",
     "", "engineering", "Berlin", "full-time", "2016-03-01", "", "215000", "", "adal"),
    ("E00002", "Tomás Herrera", "tomas.herrera@example.com", "tomas.herrera@example.org",
     "Engineering Manager", "M1", "engineering manager", "E00001", "payments", "Lisbon", "full-time",
     "2018-09-17", "", "88400", "", "therrera"),
    ("E00003", "Priya Nair", "priya.nair@example.com", "", "Senior Software Engineer", "IC3", "engineer",
     "E00002", "payments", "Berlin", "full-time", "2020-02-03", "", "96120", "", "priyanair"),
    ("E00004", "Jonas Weber", "jonas.weber@example.com", "", "Software Engineer II", "IC2", "engineer",
     "E00002", "payments", "Berlin", "part-time", "2022-06-13", "", "45300", "", ""),
    ("E00005", "Grace Okafor", "grace.okafor@example.com", "", "Engineering Manager", "M1",
     "engineering manager", "E00001", "checkout", "London", "full-time", "2019-11-04", "", "141900", "",
     "gokafor"),
    ("E00006", "Lucas Moreau", "lucas.moreau@example.com", "", "Senior Software Engineer", "IC3",
     "engineer", "E00005", "checkout", "London", "full-time", "2021-04-12", "2024-01-19", "108700", "yes",
     "lucasm"),
)  # fmt: skip
# file name, line (1-based, header = 1), field, bad value, what is wrong
BAD_CASES = (
    ("duplicate-id.csv", 7, "id", "E00004", "duplicate id: E00004 is also the id on line 5"),
    ("unknown-manager.csv", 5, "manager_id", "E00042", "manager_id E00042 is no person's id in the file"),
    ("manager-cycle.csv", 6, "manager_id", "E00002",
     "cycle in the manager chain: E00005 (line 6) -> E00002 (line 3) -> E00005"),
    ("unparsable-date.csv", 4, "start_date", "15/03/2020", "start_date is not a YYYY-MM-DD date"),
    ("impossible-date.csv", 6, "start_date", "2019-02-30", "start_date is not a real date (30 February)"),
    ("end-before-start.csv", 7, "end_date", "2020-01-19", "end_date 2020-01-19 is before start_date 2021-04-12"),
    ("team-not-defined.csv", 5, "team", "paymnets", "team paymnets is not defined in bad/org.yaml"),
    ("cost-not-a-number.csv", 4, "annual_cost", "96k", "annual_cost is not a number"),
    ("bad-regretted.csv", 7, "regretted", "maybe", "regretted is not yes/no"),
)  # fmt: skip


def write_bad(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, line, fld, value, _why in BAD_CASES:
        rows = [list(r) for r in BAD_BASE]
        rows[line - 2][PEOPLE_COLUMNS.index(fld)] = value
        if name == "manager-cycle.csv":
            rows[1][PEOPLE_COLUMNS.index("manager_id")] = "E00005"  # line 3: E00002 reports to E00005
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(PEOPLE_COLUMNS)
            w.writerows(rows)
    (folder / "org.yaml").write_text(
        "# Team definitions for the files in this folder.\n"
        "teams:\n"
        "  - id: engineering\n    name: Engineering\n    manager: E00001\n"
        "  - id: payments\n    name: Payments\n    parent: engineering\n    type: stream-aligned\n"
        "    manager: E00002\n"
        "  - id: checkout\n    name: Checkout\n    parent: engineering\n    type: stream-aligned\n"
        "    manager: E00005\n",
        encoding="utf-8",
    )
    table = ["| file | line | field | value | error |", "|---|---|---|---|---|"]
    table += [f"| {n} | {ln} | {fld} | `{v}` | {why} |" for n, ln, fld, v, why in BAD_CASES]
    (folder / "README.md").write_text(
        "# People files with exactly one error each\n\n"
        "Each CSV has the canonical header (line 1) and six people (lines 2-7). Import each one\n"
        "together with `org.yaml` of this folder (it defines the teams `engineering`, `payments`\n"
        "and `checkout`); everything else in the file is valid. Line numbers are 1-based and count\n"
        "the header as line 1. The files have no date in their names, so `--as-of` gives theirs.\n\n"
        + "\n".join(table)
        + "\n\nFor the manager cycle the line given is the row whose `manager_id` closes the cycle\n"
        "(line 6, E00005 -> E00002); the other row of the cycle is line 3 (E00002 -> E00005).\n",
        encoding="utf-8",
    )


# ----------------------------------------------------------------------------------------
# Facts about a snapshot, for the README


def snapshot_facts(rows: list[Person], when: date) -> dict:
    spans: dict[str, int] = {}
    team_size: dict[str, int] = {}
    for p in rows:
        if p.manager is not None:
            spans[p.manager.pid] = spans.get(p.manager.pid, 0) + 1
        if p.team is not None and p.team.kind == "team":
            team_size[p.team.tid] = team_size.get(p.team.tid, 0) + 1
    depth: dict[str, int] = {}

    def layer(p: Person) -> int:
        chain = []
        q: Person | None = p
        while q is not None and q.pid not in depth:
            chain.append(q)
            q = q.manager
        d = depth[q.pid] if q is not None else 0
        for x in reversed(chain):
            d += 1
            depth[x.pid] = d
        return depth[p.pid]

    deepest = max(rows, key=lambda p: (layer(p), p.pid))
    chain = []
    q: Person | None = deepest
    while q is not None:
        chain.append(q.pid)
        q = q.manager
    active = [p for p in rows if p.end is None or p.end > when]
    return {
        "rows": len(rows),
        "active": len(active),
        "leavers": sum(1 for p in rows if p.end is not None and p.end <= when),
        "small_spans": sorted((pid, n) for pid, n in spans.items() if n <= 3),
        "large_spans": sorted((pid, n) for pid, n in spans.items() if n >= 10),
        "one_person_teams": sorted(t for t, n in team_size.items() if n == 1),
        "large_teams": sorted((t, n) for t, n in team_size.items() if n > 9),
        "teamless": sorted(p.pid for p in rows if p.team is None),
        "max_layers": layer(deepest),
        "deepest_chain": list(reversed(chain)),
        "teams_with_people": len(team_size),
    }


def write_readme(path: Path, org: Org, args: argparse.Namespace, facts: dict, extra: dict) -> None:
    st = org.stats
    first, last = facts["first"], facts["last"]
    n_leavers = sum(s.leavers for s in st)
    arguments = f"--people {args.people} --months {args.months} --seed {args.seed} --start {args.start}"
    if list(args.formats) != list(FORMATS):
        arguments += " --formats " + " ".join(args.formats)
    teams_first = extra.get("teams_first", [])
    teams_last = [t for t in org.teams if t.active and t.kind == "team"]
    lines = [
        "# Synthetic organization data",
        "",
        "Generated by `scripts/make_org_data.py`; do not edit by hand (a test regenerates it and",
        "compares every byte). Regenerate with:",
        "",
        "```sh",
        f"python scripts/make_org_data.py OUT_DIR {arguments}",
        "```",
        "",
        f"arguments: {arguments}",
        "",
        "## Files",
        "",
        f"- `hr/people-YYYY-MM-DD.csv`: {org.months} monthly people snapshots in the canonical columns of",
        f"  docs/org-inputs.md, {st[0].snapshot} to {st[-1].snapshot}. A month's export lists that",
        "  month's hires and leavers (leavers with `end_date`; `regretted` for about half of them);",
        "  later exports no longer list the leavers. Some contractors have a planned `end_date` in",
        "  the future. Rows are sorted by `id`; ids are handed out in order of start date.",
        "- `org-YYYY-MM-DD.yaml`: team definitions and services at the first month and at the reorg.",
        f"  The division `{org.divisions[-1].tid}` lists `children:` instead of its teams naming a",
        "  `parent`; one team gives its manager by e-mail; services `legacy-reporting` and",
        "  `status-page` have no owner.",
        "- `catalog-info.yaml`: Backstage Groups for the latest teams (root type `organization`,",
        "  divisions `division`, teams `team`), 30 Users (the last one left the company), one",
        "  System per division and APIs/Components with owners in short and `group:default/...`",
        f"  form; {', '.join(extra['catalog']['no_group_owner'])} are owned by Users, not Groups.",
        f"- `CODEOWNERS`: the CODEOWNERS of the repository `{MONOREPO}` (`@{GITHUB_ORG}/<alias>` team",
        f"  owners, `@login` owners, one e-mail owner, team `{extra['codeowners']['by_id']}` named by its id",
        f"  rather than its alias, the unknown team `@{GITHUB_ORG}/billing-legacy`, a rule with no owners).",
        "- `identities.csv`: explicit links from personal e-mail addresses to person ids (the last",
        "  row is someone who has left).",
        "- `workday/`: the first and the last snapshot as a Workday-style export (other column",
        "  names, `Department` holds the team's display name, dates MM/DD/YYYY, `Total Cost` with",
        "  two decimals, `Regrettable Termination` Yes/No, extra unmapped columns) and",
        "  `mapping.yaml`, the column mapping to give with `--mapping`.",
        "- `bad/`: people files with exactly one error each; `bad/README.md` gives line and field.",
        "",
        "## The organization",
        "",
        f"- Top: {org.top.pid} ({org.top.title}); divisions (director): "
        + ", ".join(f"`{d.tid}` ({d.em.pid})" for d in org.divisions)
        + ".",
        f"- Teams (leaf teams, besides the root and the divisions): {len(teams_first)} at the first"
        f" month, {len(teams_last)} after the reorg.",
        f"- People rows: {first['rows']} in the first snapshot ({first['active']} active at its date),"
        f" {last['rows']} in the last ({last['active']} active).",
        f"- Distinct people over all snapshots: {len(org.people)}; leavers: {n_leavers}"
        f" (about {n_leavers / max(1, len(st)):.1f} a month); hires (start_date in the month of a"
        f" snapshot, the first included): {sum(s.hires for s in st)}.",
        f"- Raises every {calendar.month_name[RAISE_MONTH]}; the reorg is in the snapshot of"
        f" {st[org.reorg_month].snapshot if org.reorg_month >= 0 else 'none'}: `{org.reorg.get('split', '')}`"
        f" is split ({org.reorg.get('moved_count', '')} people to the new team `{org.reorg.get('split_new', '')}`,"
        f" led by {org.reorg.get('moved_em', '')}, the former manager of `{org.reorg.get('merged_away', '')}`),"
        f" `{org.reorg.get('merged_away', '')}` is merged into `{org.reorg.get('merged_into', '')}`,"
        f" `{org.reorg.get('moved', '')}` moves from `{org.reorg.get('moved_from', '')}` to"
        f" `{org.reorg.get('moved_to', '')}`.",
        "",
        "## Deliberate design problems",
        "",
        "| | first snapshot | last snapshot |",
        "|---|---|---|",
    ]

    def cap(items: list[str]) -> str:
        if len(items) > 15:
            return ", ".join(items[:15]) + f" and {len(items) - 15} more"
        return ", ".join(items) or "none"

    def fmt_pairs(pairs: list) -> str:
        return cap([f"{a} ({b})" for a, b in pairs])

    lines += [
        f"| managers with 1-3 reports (id, reports) | {fmt_pairs(first['small_spans'])} |"
        f" {fmt_pairs(last['small_spans'])} |",
        f"| managers with 10 or more reports | {fmt_pairs(first['large_spans'])} | {fmt_pairs(last['large_spans'])} |",
        f"| one-person teams | {cap(first['one_person_teams'])} | {cap(last['one_person_teams'])} |",
        f"| teams above 9 people (team, people) | {fmt_pairs(first['large_teams'])} |"
        f" {fmt_pairs(last['large_teams'])} |",
        f"| people without a team | {cap(first['teamless'])} | {cap(last['teamless'])} |",
        f"| layers (top = 1) and the deepest chain | {first['max_layers']}: {' > '.join(first['deepest_chain'])} |"
        f" {last['max_layers']}: {' > '.join(last['deepest_chain'])} |",
        "",
        f"- Team without a manager: `{extra['nomgr']}`; its people report to the director"
        f" {org.divisions[0].em.pid}. The org files list {extra['nomgr_member']} (no team in the people"
        " files) as a `members:` entry of that team, so only the other people without a team stay without one.",
        "- Counts in the table count rows of the export, leavers of that month included.",
        "",
        "## Month by month",
        "",
        "| snapshot | rows | active | hires | leavers | regretted yes/no | promotions | transfers |"
        " manager changes | raises |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in st:
        lines.append(
            f"| {s.snapshot} | {s.rows} | {s.active} | {s.hires} | {s.leavers} | {s.regretted_yes}/{s.regretted_no}"
            f" | {s.promotions} | {s.transfers} | {s.manager_changes} | {s.raises} |"
        )
    lines += [
        "",
        "`hires` counts people whose start_date is in the month (including vacancies filled from",
        "outside), `promotions` level changes (including engineers promoted to manager), `active`",
        "the rows without an end_date on or before the snapshot date.",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--people", type=int, default=300, help="headcount at the end (default 300; at least 100)")
    ap.add_argument("--months", type=int, default=24, help="monthly snapshots (default 24)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--start", default="2024-01-31", help="a date in the first month (default 2024-01-31)")
    ap.add_argument("--formats", nargs="+", default=list(FORMATS),
                    help=f"what to write besides README.md (default all): {' '.join(FORMATS)}")  # fmt: skip
    args = ap.parse_args(argv)
    formats = [f for item in args.formats for f in item.split(",") if f]
    if "all" in formats:
        formats = list(FORMATS)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown format(s): {', '.join(bad)}")
    args.formats = [f for f in FORMATS if f in formats]
    if args.people < 100:
        ap.error("--people must be at least 100")
    if args.months < 1:
        ap.error("--months must be at least 1")
    try:
        args.start = month_end(date.fromisoformat(args.start)).isoformat()
    except ValueError:
        ap.error(f"--start is not a YYYY-MM-DD date: {args.start}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    t0 = time.perf_counter()
    out: Path = args.out_dir
    formats = set(args.formats)
    out.mkdir(parents=True, exist_ok=True)
    if "people" in formats:
        (out / "hr").mkdir(exist_ok=True)
    if "workday" in formats:
        (out / "workday").mkdir(exist_ok=True)
        write_workday_mapping(out / "workday" / "mapping.yaml")
    org = Org(args.people, args.months, args.seed, date.fromisoformat(args.start))
    org.build()
    facts: dict = {}
    extra: dict = {}
    for m in range(args.months):
        st = org.simulate(m)
        rows = org.snapshot()
        st.rows = len(rows)
        st.active = sum(1 for p in rows if p.end is None or p.end > st.snapshot)
        day = st.snapshot.isoformat()
        if "people" in formats:
            write_people_csv(out / "hr" / f"people-{day}.csv", rows)
        if m == 0:
            facts["first"] = snapshot_facts(rows, st.snapshot)
            extra["teams_first"] = [t.tid for t in org.teams if t.active and t.kind == "team"]
        if m == args.months - 1:
            facts["last"] = snapshot_facts(rows, st.snapshot)
        if "org" in formats and m in (0, org.reorg_month):
            write_org_yaml(out / f"org-{day}.yaml", org, st.snapshot)
        if "workday" in formats and m in (0, args.months - 1):
            write_workday_csv(out / "workday" / f"people-{day}.csv", rows)
        if m < args.months - 1:
            org.end_month()
    nomgr = next(t for t in org.teams if t.special == "nomgr")
    extra["nomgr"] = nomgr.tid
    extra["nomgr_member"] = nomgr.members[0].pid
    extra["catalog"] = {"no_group_owner": []}
    extra["codeowners"] = {"by_id": ""}
    if "catalog" in formats:
        extra["catalog"] = write_catalog(out / "catalog-info.yaml", org)
    if "codeowners" in formats:
        extra["codeowners"] = write_codeowners(out / "CODEOWNERS", org)
    if "identities" in formats:
        write_identities(out / "identities.csv", org)
    if "bad" in formats:
        write_bad(out / "bad")
    write_readme(out / "README.md", org, args, facts, extra)
    elapsed = time.perf_counter() - t0
    st = org.stats
    print(
        f"{args.months} snapshots, {st[0].rows} -> {st[-1].rows} rows, {len(org.people)} people,"
        f" {sum(s.leavers for s in st)} leavers, {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
