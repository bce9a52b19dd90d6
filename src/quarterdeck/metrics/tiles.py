"""A metric's tile on the dashboard's overview, declared in its definition header.

A definition that says ``-- tile: AREA`` puts the metric on the overview, in that area;
the other ``tile_*`` keys say how the tile reads the metric's rows:

- ``tile_order``: its place in the area (smaller first; default: after the numbered ones,
  by name);
- ``tile_reduce``: how one month's rows give one number. A metric reported per period
  (``--grain``) or per date (``--at``): ``value`` (the value column, the default), ``sum``
  (over the month's rows: incidents of every severity) or ``ratio`` (good over total). A
  metric of repositories or files (neither): ``max`` (the default) or ``count_at_most``
  (the rows at or below ``tile_threshold``);
- ``tile_title``, ``tile_unit``: default the metric's own;
- ``tile_column``: the column read, default the metric's value column;
- ``tile_trailing: true``: a metric per date measured at each month end on its own
  (``--at``), each over the metric's own window before it (attrition over 12 months).

How the tile's month is found follows from the metric's parameters (``shape_of``), so it
is not declared.
"""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.core.errors import MetricError

#: The overview's areas, in the order it shows them.
AREAS = ("delivery", "reliability", "waiting", "entropy", "people", "money")
#: How a tile's rows reduce to one number, by shape.
REDUCES = {"period": ("value", "sum", "ratio"), "date": ("value", "sum", "ratio"), "snapshot": ("max", "count_at_most")}
TILE_KEYS = ("tile", "tile_order", "tile_reduce", "tile_title", "tile_unit", "tile_column", "tile_threshold",
             "tile_trailing")  # fmt: skip
#: A tile without ``tile_order`` comes after the numbered ones of its area.
LAST = 1_000_000


@dataclass(frozen=True)
class TileSpec:
    """How to read one metric's rows into a tile."""

    metric: str
    area: str
    shape: str  # period | date | snapshot
    reduce: str = "value"  # period: value | sum | ratio (good/total); snapshot: count_at_most | max
    column: str | None = None  # default: the metric's value column
    threshold: float | None = None  # snapshot count_at_most
    title: str | None = None  # default: the metric's title
    unit: str | None = None  # default: the metric's unit
    trailing: bool = False  # date: each month end on its own (--at), over the metric's own year
    order: int = LAST  # its place in its area


def shape_of(parameters: tuple[str, ...]) -> str:
    """How a metric's rows are dated: per ``date`` (it takes ``--at``), per ``period`` (it
    takes ``--grain``), or a ``snapshot`` of repositories or files (neither)."""
    return "date" if "at" in parameters else "period" if "grain" in parameters else "snapshot"


def tile_of(name: str, parameters: tuple[str, ...], header: dict[str, str], text: str, source: str) -> TileSpec | None:
    """The tile a definition header declares, or None; an unknown area or reduction, a bad
    number or a tile key without ``tile:`` is an error naming the file and line."""
    keys = [key for key in TILE_KEYS if key in header]
    if "tile" not in header:
        if keys:
            raise MetricError(f"{where(text, source, keys[0])}: {keys[0]} needs a '-- tile: AREA' line too")
        return None
    area, shape = header["tile"], shape_of(parameters)
    if area not in AREAS:
        raise MetricError(f"{where(text, source, 'tile')}: unknown tile area {area!r}; known: {', '.join(AREAS)}")
    reduce = _reduce_of(header, shape, text, source)
    threshold = _number(header, "tile_threshold", text, source, float)
    if (reduce == "count_at_most") != (threshold is not None):
        key = "tile_reduce" if threshold is None else "tile_threshold"
        raise MetricError(f"{where(text, source, key)}: tile_threshold goes with tile_reduce: count_at_most")
    trailing = header.get("tile_trailing", "false")
    if trailing not in ("true", "false") or (trailing == "true" and shape != "date"):
        raise MetricError(f"{where(text, source, 'tile_trailing')}: tile_trailing must be true or false "
                          "(true only for a metric that takes --at)")  # fmt: skip
    order = _number(header, "tile_order", text, source, int)
    return TileSpec(
        metric=name,
        area=area,
        shape=shape,
        reduce=reduce,
        column=header.get("tile_column") or None,
        threshold=threshold,
        title=header.get("tile_title") or None,
        unit=header.get("tile_unit") or None,
        trailing=trailing == "true",
        order=LAST if order is None else int(order),
    )


def _reduce_of(header: dict[str, str], shape: str, text: str, source: str) -> str:
    reduce = header.get("tile_reduce") or REDUCES[shape][0]
    if reduce not in REDUCES[shape]:
        raise MetricError(
            f"{where(text, source, 'tile_reduce')}: unknown tile_reduce {reduce!r} for a metric "
            f"{_SHAPE_WORDS[shape]}; known: {', '.join(REDUCES[shape])}"
        )
    return reduce


_SHAPE_WORDS = {
    "period": "reported per period",
    "date": "measured on dates",
    "snapshot": "of repositories or files",
}


def _number(header: dict[str, str], key: str, text: str, source: str, kind: type) -> float | None:
    if not header.get(key):
        return None
    try:
        return kind(header[key])
    except ValueError:
        word = "a whole number" if kind is int else "a number"
        raise MetricError(f"{where(text, source, key)}: {key} must be {word}, not {header[key]!r}") from None


def where(text: str, source: str, key: str) -> str:
    """``source:LINE``: the line of the definition's header that sets ``key``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("--"):
            break
        if line.removeprefix("--").strip().startswith(f"{key}:"):
            return f"{source}:{number}"
    return source
