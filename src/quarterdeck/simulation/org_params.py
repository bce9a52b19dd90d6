"""The knobs of the simulated organization and their defaults.

Every default is documented, with its source, in docs/simulation.md (the sources are the
sections of the organization reference, ``anchors-org-people-finance.md``). Values marked
"assumption" there have no published anchor: they are chosen to look like a typical
software company and are easy to override.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Location:
    """An office (or remote), how often people are hired there, and its cost against New York."""

    name: str
    weight: float
    cost_factor: float


#: Engineers' levels and their share of new and initial engineers (assumption: a pyramid
#: that narrows above senior, as published ladders describe, §3.1).
ENGINEER_LEVEL_MIX: tuple[tuple[str, float], ...] = (
    ("IC1", 0.08),
    ("IC2", 0.27),
    ("IC3", 0.35),
    ("IC4", 0.20),
    ("IC5", 0.08),
    ("IC6", 0.02),
)

#: Fully loaded yearly cost in New York, USD, by level (§1.2 F3-F4: base x loaded
#: multiplier x location multiplier; the base figures are an assumption).
NEW_YORK_COST: dict[str, int] = {
    "IC1": 140_000,
    "IC2": 170_000,
    "IC3": 210_000,
    "IC4": 250_000,
    "IC5": 300_000,
    "IC6": 360_000,
    "M1": 250_000,
    "M2": 290_000,
    "M3": 340_000,
    "M4": 390_000,
    "M5": 450_000,
}

TITLES: dict[str, str] = {
    "IC1": "Associate Software Engineer",
    "IC2": "Software Engineer",
    "IC3": "Senior Software Engineer",
    "IC4": "Staff Engineer",
    "IC5": "Senior Staff Engineer",
    "IC6": "Principal Engineer",
    "M1": "Engineering Manager",
    "M2": "Senior Engineering Manager",
    "M3": "Director of Engineering",
    "M4": "Senior Director of Engineering",
    "M5": "VP of Engineering",
}

#: The next level on each ladder (IC6 and M5 are the tops; M2 -> M3 is a change of role,
#: made only when a director's seat is filled from inside).
NEXT_LEVEL: dict[str, str] = {
    "IC1": "IC2",
    "IC2": "IC3",
    "IC3": "IC4",
    "IC4": "IC5",
    "IC5": "IC6",
    "M1": "M2",
    "M3": "M4",
}

#: Chance per year of a promotion to the next level, for someone at least a year at their level
#: (assumption; the one-year floor follows the "sustained over time" rules of §3.3).
PROMOTION_RATE: tuple[tuple[str, float], ...] = (
    ("IC1", 0.40),
    ("IC2", 0.25),
    ("IC3", 0.15),
    ("IC4", 0.08),
    ("IC5", 0.04),
    ("M1", 0.10),
    ("M3", 0.08),
)

LOCATIONS: tuple[Location, ...] = (
    Location("New York", 0.25, 1.00),
    Location("Berlin", 0.25, 0.65),
    Location("Lisbon", 0.15, 0.45),
    Location("Bangalore", 0.15, 0.27),
    Location("Remote", 0.20, 0.75),
)

#: Team Topologies types of leaf teams and their share (assumption: "mostly stream-aligned").
TEAM_TYPE_MIX: tuple[tuple[str, float], ...] = (
    ("stream-aligned", 0.70),
    ("platform", 0.15),
    ("enabling", 0.07),
    ("complicated-subsystem", 0.08),
)


@dataclass(frozen=True)
class OrgParams:
    """How the simulated organization is shaped and how it changes.

    ``engineers`` counts the individual contributors at the start; managers, directors and
    the VP come on top (about one manager per 6.5 engineers).
    """

    engineers: int = 60
    start: date = date(2024, 1, 1)
    years: int = 2
    timezone: str = "UTC"
    organization: str = "acme"
    #: leavers per person-year (§1.3: tech-sector turnover 13.2%, "10-15%")
    attrition: float = 0.13
    #: share of leavers the company wanted to keep (assumption; §1.3 has no number)
    regretted_share: float = 0.5
    #: yearly growth of the engineer headcount target (assumption: a modest plan)
    growth: float = 0.10
    #: months to full productivity, drawn uniformly (§1.2 F8: Swimm survey, 3-9 months)
    ramp_up_months: tuple[int, int] = (3, 9)
    engineer_level_mix: tuple[tuple[str, float], ...] = ENGINEER_LEVEL_MIX
    locations: tuple[Location, ...] = LOCATIONS
    #: share of a team's people in the team's home location; the rest by ``locations`` weights
    home_location_share: float = 0.7
    #: share of engineers who are contractors (assumption)
    contractor_share: float = 0.08
    #: contractors' cost against an employee's of the same level (assumption: agency margin)
    contractor_cost_factor: float = 1.15
    #: engineers per team, the manager not counted: teams of 5-9 people (§2.1 Team Topologies)
    team_engineers: tuple[int, int] = (4, 8)
    team_type_mix: tuple[tuple[str, float], ...] = TEAM_TYPE_MIX
    #: teams per division and divisions per group (§2.1 Larson: managers of managers 4-6)
    unit_span: tuple[int, int] = (3, 6)
    #: chance per year that an engineer moves to another team (assumption)
    mobility: float = 0.08
    promotion_rate: tuple[tuple[str, float], ...] = PROMOTION_RATE
    #: months of the promotion cycles (twice a year)
    promotion_months: tuple[int, ...] = (3, 9)
    #: month of the yearly raise and its range for employees (assumption)
    raise_month: int = 4
    raise_range: tuple[float, float] = (0.02, 0.05)
    #: median days from a departure (or a growth requisition) to the new hire's first day, and
    #: the log-normal spread (§1.2 F5, §1.3: tech roles 29-43 days to hire, plus notice)
    hiring_lag_days: float = 50.0
    manager_hiring_lag_days: float = 80.0
    hiring_lag_sigma: float = 0.5
    #: share of manager vacancies filled by promoting someone from inside (assumption)
    internal_manager_share: float = 0.5
    #: years the organization existed before the start (initial tenures fall in this span)
    history_years: int = 8
    #: mean tenure of the people employed at the start, in years (assumption)
    initial_mean_tenure_years: float = 2.5
    services_per_team: tuple[int, int] = (1, 3)
    repositories_per_service: tuple[int, int] = (1, 2)

    @property
    def end(self) -> date:
        """The first day after the simulation (exclusive)."""
        return _add_years(self.start, self.years)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
