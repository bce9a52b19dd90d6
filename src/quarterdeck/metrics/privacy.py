"""Keeping people's data to groups: values about fewer people than the minimum are hidden.

A metric names, in its definition, the column that counts the people behind each row
(``group_size``) and the columns whose values come from personal data (``private``). In a
row about fewer people than the minimum group size (setting ``privacy.min_group_size``,
default 5), those values are replaced by ``"<5"``: never shown for one person or a few.

Hiding one row is not enough when the others of the same date are shown: the groups of a
date add up to the organization, so its total minus the shown groups would give the hidden
one back. When exactly one row of a date about somebody is hidden, the next-smallest row of
that date is hidden too (a hidden row about nobody gives nothing back). (Comparing separate
queries, or units with their own teams, can still narrow a hidden value down;
docs/decisions/0006 says so.)
"""

from __future__ import annotations

from typing import Any

DEFAULT_MIN_GROUP_SIZE = 5


def mask_small_groups(
    columns: list[str],
    rows: list[tuple[Any, ...]],
    group_size: str | None,
    private: tuple[str, ...],
    minimum: int,
) -> list[tuple[Any, ...]]:
    if not group_size or not private or minimum <= 1:
        return rows
    size_index = columns.index(group_size)
    hidden = {columns.index(c) for c in private}
    label = f"<{minimum}"
    small = {i for i, row in enumerate(rows) if row[size_index] is not None and row[size_index] < minimum}
    small |= _complements(columns, rows, size_index, small)
    return [
        tuple(label if i in hidden else v for i, v in enumerate(row)) if n in small else row
        for n, row in enumerate(rows)
    ]


def _complements(columns: list[str], rows: list[tuple[Any, ...]], size_index: int, small: set[int]) -> set[int]:
    """For each date (or period) with exactly one hidden row and others shown: the smallest
    shown row that is about somebody."""
    when = next((c for c in ("date", "period_start") if c in columns), None)
    date_index = columns.index(when) if when is not None else None
    by_date: dict[Any, list[int]] = {}
    for n, row in enumerate(rows):
        by_date.setdefault(row[date_index] if date_index is not None else None, []).append(n)
    extra = set()
    for numbers in by_date.values():
        hidden_here = [n for n in numbers if n in small and rows[n][size_index]]  # an empty group hides nobody
        shown = [n for n in numbers if n not in small and rows[n][size_index]]  # never an empty group
        if len(hidden_here) == 1 and shown:
            extra.add(min(shown, key=lambda n: rows[n][size_index]))
    return extra
