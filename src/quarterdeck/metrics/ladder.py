"""The career ladder the warehouse holds (docs/ladders.md): the imported one, else the
built-in engineering ladder; its expectations as rows; the HR levels it lacks."""

from __future__ import annotations

from typing import Any

from quarterdeck.config.ladder_file import Ladder, default_ladder, parse_ladder
from quarterdeck.core.errors import MetricError
from quarterdeck.store import Warehouse

SHOW_COLUMNS = ("track", "level", "title", "competency", "expectation", "rating", "rating_word")


def current_ladder(warehouse: Warehouse) -> Ladder:
    """The imported ladder (quarterdeck ingest ladder), else the built-in one."""
    row = warehouse.con.execute("SELECT document, file FROM ladders WHERE slot = 'current'").fetchone()
    return parse_ladder(row[0], row[1]) if row else default_ladder()


def expectation_rows(ladder: Ladder) -> list[tuple[Any, ...]]:
    """One row per level and competency it expects something of, in ladder order."""
    rows = []
    for level in ladder.levels:
        for competency in ladder.competencies:
            for expectation in competency.expectations:
                if expectation.level == level.id:
                    word = ladder.scale[expectation.rating]
                    rows.append((level.track, level.id, level.title, competency.name, expectation.text,
                                 expectation.rating, word))  # fmt: skip
    return rows


def ladder_summary(ladder: Ladder) -> dict[str, Any]:
    tracks: dict[str, list[dict[str, str]]] = {}
    for level in ladder.levels:
        tracks.setdefault(level.track, []).append({"id": level.id, "title": level.title})
    return {
        "ladder": ladder.name,
        "file": ladder.where,
        "scale": {str(k): v for k, v in ladder.scale.items()},
        "tracks": tracks,
        "hr_levels": ladder.hr_levels,
    }


_HR_LEVELS = """
SELECT level, person_id, min(valid_from) AS since
FROM person_periods WHERE level IS NOT NULL
GROUP BY level, person_id ORDER BY level, person_id
"""


def unmapped_hr_levels(warehouse: Warehouse, ladder: Ladder) -> dict[str, list[tuple[str, Any]]]:
    """The HR levels of the people history the ladder lacks: level -> (person, first day held)."""
    lacking: dict[str, list[tuple[str, Any]]] = {}
    for level, person, since in warehouse.con.execute(_HR_LEVELS).fetchall():
        if ladder.ladder_level(level) is None:
            lacking.setdefault(level, []).append((person, since))
    return lacking


def check_hr_levels(warehouse: Warehouse, ladder: Ladder) -> None:
    """A MetricError naming each HR level the ladder lacks and who holds it, from when."""
    lacking = unmapped_hr_levels(warehouse, ladder)
    if not lacking:
        return
    parts = []
    for level, held in lacking.items():
        people = ", ".join(f"{person} from {since}" for person, since in held[:5])
        more = f" and {len(held) - 5} more" if len(held) > 5 else ""
        parts.append(f"{level} (person_periods: {people}{more})")
    raise MetricError(
        f"HR level(s) the ladder ({ladder.where}) lacks: {'; '.join(parts)}. Add them to the ladder's "
        "levels or map them under hr_levels (such as L4: IC3), then quarterdeck ingest ladder FILE"
    )
