"""Keeping people's data to groups: values about fewer people than the minimum are hidden.

A metric names, in its definition, the column that counts the people behind each row
(``group_size``) and the columns whose values come from personal data (``private``). In a
row about fewer people than the minimum group size (setting ``privacy.min_group_size``,
default 5), those values are replaced by ``"<5"``: never shown for one person or a few.
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
    masked = []
    for row in rows:
        size = row[size_index]
        if size is not None and size < minimum:
            row = tuple(label if i in hidden else v for i, v in enumerate(row))
        masked.append(row)
    return masked
