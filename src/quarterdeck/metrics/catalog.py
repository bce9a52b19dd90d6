"""The metric catalog: each metric is data (a definition header) plus SQL.

A definition lives in ``definitions/<name>.sql``: a header of ``-- key: value`` lines
(continued on lines that start with ``--`` and two spaces), then one SQL query over the
canonical tables. Shared common table expressions live in ``definitions/_<name>.sql``
with a ``-- fragment: <name>`` header; a metric lists those it needs in ``-- uses:``.
Compiling a metric puts the fragments in front of its query, so the SQL shown by
``--explain`` is complete and runs as is.

A metric reported per repository (the git activity metrics) may also be grouped by the
organization (``--by team``, ``--by unit``): its grouped query lives in
``definitions/<name>.grouped.sql``, whose header says ``-- grouped: <name>`` and lists the
fragments it uses. Without ``--by`` or ``--unit`` the metric runs its own query.

A fragment may take arguments (``-- takes: minutes``): SQL that each metric using it gives in
its header (``-- arguments: minutes = queue_minutes``) and that compiling writes where the
fragment says ``{minutes}``. Metrics that differ by a column share one fragment that way.

A metric whose header says ``-- tile: AREA`` is a tile of the dashboard's overview
(``metrics.tiles``): adding a metric to the CLI and the dashboard is adding one file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from quarterdeck.core.errors import MetricError
from quarterdeck.metrics.tiles import TileSpec, tile_of, where

GOOD_DIRECTIONS = ("up", "down", "neither")
KNOWN_PARAMETERS = (
    "repositories",
    "since",
    "until",
    "grain",
    "include_bots",
    "limit",
    "at",
    "by",
    "unit",
    "report",
    "currency",
)
#: What ``--by`` may group organization metrics by.
GROUPINGS = (
    "org",
    "team",
    "unit",
    "level",
    "location",
    "role",
    "employment_type",
    "service",
    "repository",
    "workflow",
    "category",
    "provider",
    "account",
    "objective",
)
_HEADER_LINE = re.compile(r"^--\s?([a-z_]+):\s*(.*)$")
_CONTINUATION = re.compile(r"^--\s{2,}(.*)$")
_ARGUMENT = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Metric:
    """A metric as users see it in ``metrics list`` and as the engine runs it."""

    name: str
    title: str
    description: str
    unit: str
    grain: str
    good_direction: str
    value: str
    default_window_days: int
    parameters: tuple[str, ...]
    uses: tuple[str, ...]
    body: str
    owner: str = "engineering"
    groupings: tuple[str, ...] = ()  # what --by accepts (first: the default)
    group_size: str | None = None  # the column counting the people behind a row
    private: tuple[str, ...] = ()  # columns hidden in rows about too few people
    personal_groupings: tuple[str, ...] = ()  # groupings by a personal attribute: the group size is private too
    grouped_uses: tuple[str, ...] = ()  # the fragments of the grouped query ...
    grouped_body: str | None = None  # ... run with --by or --unit, when the metric has one
    arguments: tuple[tuple[str, str], ...] = ()  # (name, SQL) written into the fragments that take them
    tile: TileSpec | None = None  # its tile on the dashboard's overview, if it has one
    grains: tuple[str, ...] = ()  # the --grain values it accepts, the first its default (): any, week

    def compiled_sql(self, grouped: bool = False) -> str:
        """The metric's full SQL: its fragments as common table expressions, then its query
        (the grouped query when ``grouped`` and the metric has one)."""
        uses, body = (self.grouped_uses, self.grouped_body) if grouped and self.grouped_body else (self.uses, self.body)
        kept = materialized_fragments()
        ctes = [
            f"{name} AS {'MATERIALIZED ' if name in kept else ''}(\n{_indent(self.fragment_sql(name))}\n)"
            for name in uses
        ]
        body = body.strip()
        if not ctes:
            return body
        recursive = any(n in recursive_fragments() for n in uses)
        opening = "WITH RECURSIVE " if recursive else "WITH "
        if body[:4].upper() == "WITH":
            return opening + ",\n".join(ctes) + ",\n" + body[4:].lstrip()
        return opening + ",\n".join(ctes) + "\n" + body

    def fragment_sql(self, name: str) -> str:
        """A fragment's SQL with this metric's arguments written in."""
        given, takes = dict(self.arguments), fragment_arguments()[name]
        return _ARGUMENT.sub(lambda m: given[m[1]] if m[1] in takes else m[0], fragments()[name])

    def private_columns(self, by: str | None) -> tuple[str, ...]:
        extra = (self.group_size,) if by in self.personal_groupings and self.group_size else ()
        return (*self.private, *extra)


def _indent(sql: str) -> str:
    return "\n".join("    " + line if line else line for line in sql.strip().splitlines())


def parse_definition(text: str, source: str) -> tuple[dict[str, str], str]:
    """Split a definition file into its header fields and its SQL body."""
    header: dict[str, str] = {}
    lines = text.splitlines()
    split = next((i for i, line in enumerate(lines) if not line.startswith("--")), len(lines))
    last: str | None = None
    for line in lines[:split]:
        continued = _CONTINUATION.match(line)
        field = _HEADER_LINE.match(line)
        if continued and last is not None and not field:
            header[last] += " " + continued[1].strip()
        elif field:
            last = field[1]
            header[last] = field[2].strip()
        else:
            last = None
    body = "\n".join(lines[split:]).strip()
    if not body:
        raise MetricError(f"{source}: no SQL after the header")
    return header, body


def metric_from(text: str, source: str) -> Metric:
    """A metric from the text of its definition file (``source`` names the file in errors)."""
    header, body = parse_definition(text, source)
    required = ("name", "title", "description", "unit", "grain", "good_direction", "value")
    missing = [key for key in required if not header.get(key)]
    if missing:
        raise MetricError(f"{source}: definition header lacks {', '.join(missing)}")
    if header["good_direction"] not in GOOD_DIRECTIONS:
        raise MetricError(f"{source}: good_direction must be one of {', '.join(GOOD_DIRECTIONS)}")
    parameters = _list(header.get("parameters", ""))
    unknown = [p for p in parameters if p not in KNOWN_PARAMETERS]
    if unknown:
        raise MetricError(f"{source}: unknown parameters {', '.join(unknown)}")
    uses = _list(header.get("uses", ""))
    absent = [u for u in uses if u not in fragments()]
    if absent:
        raise MetricError(f"{source}: uses unknown fragments {', '.join(absent)}")
    grains = _list(header.get("grains", ""))
    if any(g not in ("week", "month", "quarter", "window") for g in grains):
        raise MetricError(f"{source}: grains must be among week, month, quarter, window (got {', '.join(grains)})")
    groupings = _list(header.get("groupings", ""))
    bad = [g for g in groupings if g not in GROUPINGS]
    if bad:
        raise MetricError(f"{source}: unknown groupings {', '.join(bad)}; known: {', '.join(GROUPINGS)}")
    return Metric(
        tile=tile_of(header["name"], parameters, header, text, source),
        arguments=_arguments(header, uses, text, source),
        groupings=groupings,
        grains=grains,
        group_size=header.get("group_size") or None,
        private=_list(header.get("private", "")),
        personal_groupings=_list(header.get("personal_groupings", "")),
        name=header["name"],
        title=header["title"],
        description=header["description"],
        unit=header["unit"],
        grain=header["grain"],
        good_direction=header["good_direction"],
        value=header["value"],
        default_window_days=int(header.get("default_window_days", "0")),
        parameters=parameters,
        uses=uses,
        body=body,
        owner=header.get("owner", "engineering"),
    )


def _arguments(header: dict[str, str], uses: tuple[str, ...], text: str, source: str) -> tuple[tuple[str, str], ...]:
    """``-- arguments: name = SQL; name = SQL``: one for each argument the used fragments take."""
    given: dict[str, str] = {}
    for part in header.get("arguments", "").split(";"):
        name, equals, sql = part.partition("=")
        if not part.strip():
            continue
        if not equals or not re.fullmatch(r"[a-z_]+", name.strip()) or not sql.strip():
            raise MetricError(f"{where(text, source, 'arguments')}: write each argument as 'name = SQL', "
                              f"separated by ';' (got {part.strip()!r})")  # fmt: skip
        given[name.strip()] = sql.strip()
    takes = {arg: fragment for fragment in uses for arg in fragment_arguments()[fragment]}
    missing = [f"{takes[a]} takes {a}" for a in takes if a not in given]
    unused = [a for a in given if a not in takes]
    if missing or unused:
        problem = "; ".join([*missing, *(f"no fragment it uses takes {a}" for a in unused)])
        line = where(text, source, "arguments" if "arguments" in header else "uses")
        raise MetricError(f"{line}: {problem} ('-- arguments: name = SQL; ...')")
    return tuple(given.items())


def _list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _definition_files() -> list[tuple[str, str]]:
    folder = resources.files("quarterdeck.metrics").joinpath("definitions")
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".sql")
    )


@cache
def _fragment_files() -> dict[str, tuple[dict[str, str], str]]:
    found = {}
    for name, text in _definition_files():
        if name.startswith("_"):
            header, body = parse_definition(text, name)
            found[header.get("fragment", name[1:-4])] = (header, body)
    return found


def fragments() -> dict[str, str]:
    """Shared SQL fragments by name."""
    return {name: body for name, (_, body) in _fragment_files().items()}


@cache
def fragment_arguments() -> dict[str, tuple[str, ...]]:
    """What each fragment takes (its header's ``takes:``), written where it says ``{name}``."""
    found = {}
    for name, (header, body) in _fragment_files().items():
        takes = _list(header.get("takes", ""))
        stray = sorted(set(_ARGUMENT.findall(body)) - set(takes))
        if stray:
            raise MetricError(f"_{name}.sql: {{{stray[0]}}} is not among the arguments it takes ('-- takes:')")
        found[name] = takes
    return found


def materialized_fragments() -> set[str]:
    """Fragments computed once per query (their header says ``materialized:``): DuckDB may
    otherwise compute a fragment again for each place that reads it."""
    return {name for name, (header, _) in _fragment_files().items() if "materialized" in header}


def recursive_fragments() -> set[str]:
    """Fragments that refer to themselves (their header says ``recursive:``)."""
    return {name for name, (header, _) in _fragment_files().items() if "recursive" in header}


@cache
def catalog() -> dict[str, Metric]:
    """Every metric, by name, in alphabetical order."""
    metrics = {}
    grouped: list[tuple[str, dict[str, str], str]] = []
    for name, text in _definition_files():
        if name.startswith("_"):
            continue
        if ".grouped." in name:
            header, body = parse_definition(text, name)
            grouped.append((name, header, body))
            continue
        metric = metric_from(text, name)
        metrics[metric.name] = metric
    for source, header, body in grouped:
        metric = _grouped_into(metrics, source, header, body)
        metrics[metric.name] = metric
    return dict(sorted(metrics.items()))


def _grouped_into(metrics: dict[str, Metric], source: str, header: dict[str, str], body: str) -> Metric:
    """The metric a ``<name>.grouped.sql`` file belongs to, with that grouped query attached."""
    owner = metrics.get(header.get("grouped", ""))
    if owner is None:
        raise MetricError(f"{source}: '-- grouped:' must name a metric (got {header.get('grouped', '')!r})")
    if "by" not in owner.parameters or not owner.groupings:
        raise MetricError(f"{source}: metric {owner.name} must list 'by' in its parameters and its groupings")
    uses = _list(header.get("uses", ""))
    absent = [u for u in uses if u not in fragments()]
    if absent:
        raise MetricError(f"{source}: uses unknown fragments {', '.join(absent)}")
    given = dict(owner.arguments)
    missing = [f"{f} takes {a}" for f in uses for a in fragment_arguments()[f] if a not in given]
    if missing:
        raise MetricError(f"{source}: {'; '.join(missing)}, which metric {owner.name}'s '-- arguments:' must give")
    return replace(owner, grouped_uses=uses, grouped_body=body)


def get_metric(name: str) -> Metric:
    metrics = catalog()
    if name not in metrics:
        close = [m for m in metrics if name.lower() in m or m in name.lower()]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise MetricError(f"unknown metric '{name}'{hint} (see 'quarterdeck metrics list')")
    return metrics[name]
