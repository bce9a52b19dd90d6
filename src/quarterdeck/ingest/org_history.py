"""Turning dated snapshots into history: periods with valid_from / valid_to.

A snapshot says how things were on its date. Between two snapshots, what the earlier one
said is taken to hold until the later one says otherwise. The rules, for people:

* an observation (a person's row in a snapshot) holds from the snapshot's date until the
  next snapshot's date;
* a person missing from the next snapshot left: on their ``end_date`` if the export gave
  one, otherwise on the date of that next snapshot (``end_inferred``);
* the first observation of a spell of employment reaches back to the ``start_date``, so
  work done before the first export is attributed too; nothing is counted before the
  ``start_date`` or after the ``end_date``;
* neighbouring stretches with the same attributes are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Observation:
    """A person's row in the snapshot of ``as_of``."""

    person_id: str
    as_of: date
    attributes: tuple[Any, ...]  # team, manager, title, level, role, location, employment type, cost
    start_date: date | None
    end_date: date | None
    regretted: bool | None
    spell: int | None = None  # numbered spell of employment, when known (rows may then be left out)


@dataclass
class Period:
    person_id: str
    valid_from: date
    valid_to: date | None
    attributes: tuple[Any, ...]
    start_date: date
    leaves: bool = False
    regretted: bool | None = None
    end_inferred: bool = False


def successors(snapshot_dates: Sequence[date]) -> dict[date, date | None]:
    """Each snapshot date -> the next one (None for the latest)."""
    if not snapshot_dates:  # an org file alone: no people yet
        return {}
    return dict(zip(snapshot_dates, [*snapshot_dates[1:], None], strict=True))


def person_periods(observations: Sequence[Observation], following: Mapping[date, date | None]) -> list[Period]:
    """Periods of one person, from their observations (any order); ``following``: see :func:`successors`."""
    periods: list[Period] = []
    for spell in _spells(sorted(observations, key=lambda o: o.as_of), following):
        periods.extend(_spell_periods(spell, following, periods[-1].valid_to if periods else None))
    return periods


def _spells(observations: list[Observation], following: Mapping[date, date | None]) -> Iterable[list[Observation]]:
    """Runs of observations in consecutive snapshots, not broken by an end date (or, when the
    observations are numbered by spell, runs of the same number)."""
    spell: list[Observation] = []
    for obs in observations:
        if spell:
            last = spell[-1]
            if obs.spell is not None and last.spell is not None:
                breaks = obs.spell != last.spell
            else:
                contiguous = following.get(last.as_of) == obs.as_of
                breaks = not contiguous or (last.end_date is not None and last.end_date < obs.as_of)
            if breaks:
                yield spell
                spell = []
        spell.append(obs)
    if spell:
        yield spell


def _spell_periods(
    spell: list[Observation], following: Mapping[date, date | None], previous_end: date | None
) -> list[Period]:
    """Periods of one spell of employment. ``previous_end``: the first day after the person's
    previous spell, if any (a rehire whose export kept the first hire's start_date starts on
    the first snapshot that lists them again, not back over the previous spell)."""
    first, last = spell[0], spell[-1]
    start = first.start_date if first.start_date and first.start_date <= first.as_of else first.as_of
    if first.start_date and first.start_date > first.as_of:
        start = first.start_date  # listed ahead of the first day: employed from the first day
    if previous_end is not None and start < previous_end:
        start = max(first.as_of, previous_end)
    end_exclusive, inferred = _spell_end(last, following)
    periods: list[Period] = []
    for i, obs in enumerate(spell):
        valid_from = start if i == 0 else obs.as_of
        valid_to = spell[i + 1].as_of if i + 1 < len(spell) else end_exclusive
        valid_from = max(valid_from, start)
        if end_exclusive is not None:
            valid_to = min(valid_to, end_exclusive) if valid_to is not None else end_exclusive
        if valid_to is not None and valid_to <= valid_from:
            continue
        if periods and periods[-1].attributes == obs.attributes and periods[-1].valid_to == valid_from:
            periods[-1].valid_to = valid_to
        else:
            periods.append(Period(obs.person_id, valid_from, valid_to, obs.attributes, start))
    if periods and end_exclusive is not None:
        periods[-1].leaves = True
        periods[-1].regretted = last.regretted
        periods[-1].end_inferred = inferred
    return periods


def _spell_end(last: Observation, following: Mapping[date, date | None]) -> tuple[date | None, bool]:
    """(first day no longer employed, whether that day was inferred) for a spell's last row."""
    if last.end_date is not None:
        return last.end_date + ONE_DAY, False
    absent_from = following.get(last.as_of)
    if absent_from is not None:
        return absent_from, True
    return None, False


@dataclass
class TeamPeriod:
    team_id: str
    valid_from: date | None
    valid_to: date | None
    attributes: tuple[Any, ...]  # name, parent, type, manager


def team_periods(definitions: dict[date, dict[str, tuple[Any, ...]]]) -> list[TeamPeriod]:
    """Periods of every team from the team definitions in force at each snapshot date.

    The teams of the first definition reach back without limit (NULL valid_from), so that
    people attributed to them before it are found; a team that appears later starts on that
    definition's date; a team missing from a later definition ends on that date."""
    dates = sorted(definitions)
    periods: dict[str, list[TeamPeriod]] = {}
    for i, when in enumerate(dates):
        following = dates[i + 1] if i + 1 < len(dates) else None
        for team_id, attributes in definitions[when].items():
            own = periods.setdefault(team_id, [])
            if own and own[-1].valid_to == when and own[-1].attributes == attributes:
                own[-1].valid_to = following
                continue
            # a team of the first definition reaches back without limit; one that appears
            # later (a reorg) starts on the date of the definition that first shows it
            own.append(TeamPeriod(team_id, None if i == 0 and not own else when, following, attributes))
    return [p for team in sorted(periods) for p in periods[team]]
