"""What each delivery file holds, and the SQL that checks and converts its text values.

Every kind is a list of fields. A field's kind says how its text becomes a value and what
a bad value is told: ``field <name>: <what was expected>``. The checks run in DuckDB over a
whole file at once (``checked_sql``); each row comes out with its converted values (``v_``
columns) and the list of its problems.
"""

from __future__ import annotations

from dataclasses import dataclass

SUCCESS = ("success", "succeeded", "successful", "ok", "passed", "completed")
FAILURE = ("failure", "failed", "error", "errored")
CANCELLED = ("cancelled", "canceled", "aborted", "skipped")
CI_SKIPPED = ("skipped", "neutral")
_WINDOW = r"^([0-9]+)([mhdwMQY])$"
_SHA = "[0-9a-f]{40}"
_OFFSET_TIMESTAMP = r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?\s*([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$"
_NAIVE_TIMESTAMP = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?$"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, timestamp, sha, shas, deploy_result, ci_result, number, status, severity, bool, target, window
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """One kind of delivery record: its fields, key, table and cross-field checks."""

    name: str
    table: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    orderings: tuple[tuple[str, str, str], ...] = ()  # (earlier, later, how it reads)
    has_service: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def stage(self) -> str:
        """The name its rows are staged under (probe intervals apart from event counts)."""
        return self.table + ("_probes" if "status" in self.columns else "")


def _f(name: str, kind: str = "text", required: bool = False) -> Field:
    return Field(name, kind, required)


KINDS: dict[str, Kind] = {
    "deployments": Kind(
        "deployments",
        "deployments",
        (
            _f("id", required=True),
            _f("service", required=True),
            _f("environment", required=True),
            _f("commit_sha", "sha", True),
            _f("started_at", "timestamp"),
            _f("finished_at", "timestamp", True),
            _f("result", "deploy_result", True),
            _f("repository"),
            _f("shipped_commits", "shas"),
        ),
        key=("deployment_id", "repository"),
        orderings=(("started_at", "finished_at", "finished before it started"),),
    ),
    "incidents": Kind(
        "incidents",
        "incidents",
        (
            _f("id", required=True),
            _f("service"),
            _f("severity", "severity"),
            _f("created_at", "timestamp", True),
            _f("acknowledged_at", "timestamp"),
            _f("resolved_at", "timestamp"),
            _f("deployment_id"),
            _f("root_cause_sha", "sha"),
            _f("title"),
        ),
        key=("incident_id",),
        orderings=(
            ("created_at", "acknowledged_at", "acknowledged before it was created"),
            ("created_at", "resolved_at", "resolved before it was created"),
        ),
    ),
    "ci_runs": Kind(
        "ci_runs",
        "ci_runs",
        (
            _f("id", required=True),
            _f("repository", required=True),
            _f("workflow", required=True),
            _f("commit_sha", "sha"),
            _f("queued_at", "timestamp"),
            _f("started_at", "timestamp"),
            _f("finished_at", "timestamp"),
            _f("result", "ci_result", True),
        ),
        key=("run_id",),
        orderings=(
            ("queued_at", "started_at", "started before it was queued"),
            ("started_at", "finished_at", "finished before it started"),
            ("queued_at", "finished_at", "finished before it was queued"),
        ),
        has_service=False,
    ),
    "availability_events": Kind(
        "availability",
        "availability_windows",
        (
            _f("service", required=True),
            _f("window_start", "timestamp", True),
            _f("window_end", "timestamp", True),
            _f("good", "number", True),
            _f("total", "number", True),
        ),
        key=("service", "kind", "window_start"),
    ),
    "availability_probes": Kind(
        "availability",
        "availability_windows",
        (
            _f("service", required=True),
            _f("start", "timestamp", True),
            _f("end", "timestamp", True),
            _f("status", "status", True),
        ),
        key=("service", "kind", "window_start"),
    ),
    "slos": Kind(
        "slos",
        "slos",
        (
            _f("id", required=True),
            _f("service", required=True),
            _f("target", "target", True),
            _f("time_window", "window", True),
            _f("name"),
            _f("description"),
            _f("budgeting_method", "budgeting"),
            _f("rolling", "bool"),
        ),
        key=("slo_id",),
    ),
}


def checked_sql(kind: Kind, source: str, timezone: str | None) -> str:
    """SELECT over ``source`` (record + text columns): the converted ``v_`` values and a
    ``problems`` list of {field, message} per row (run on the rows found unsound only)."""
    values = ",\n        ".join(f"{_value(f, timezone)} AS v_{f.name}" for f in kind.fields)
    checks = [_field_problem(f, timezone) for f in kind.fields]
    checks += [_order_problem(a, b, how) for a, b, how in kind.orderings]
    checks += [f"CASE WHEN {bad} THEN {_problem(name, message)} END" for bad, name, message in _extra_checks(kind)]
    problems = "list_filter([" + ",\n            ".join(checks) + "], lambda p: p IS NOT NULL)"
    columns = ", ".join(map(_ident, kind.columns))
    return (
        f"SELECT *, {problems} AS problems\nFROM (\n    SELECT record, {columns},\n        {values}\n"
        f"    FROM {source}\n)"
    )


def _value(field: Field, timezone: str | None) -> str:
    x = _ident(field.name)
    if field.kind == "timestamp":
        naive = f"timezone({_literal(timezone)}, try_cast({x} AS TIMESTAMP))" if timezone else "NULL"
        return (
            f"CASE WHEN regexp_matches({x}, '{_OFFSET_TIMESTAMP}') THEN try_cast({x} AS TIMESTAMPTZ) "
            f"WHEN regexp_full_match({x}, '{_NAIVE_TIMESTAMP}') THEN {naive} END"
        )
    if field.kind == "sha":
        return f"CASE WHEN regexp_full_match(lower({x}), '{_SHA}') THEN lower({x}) END"
    if field.kind == "shas":
        return f"list_filter(regexp_split_to_array(lower({x}), '[\\s;|,\\[\\]\"'']+'), lambda s: s <> '')"
    if field.kind == "deploy_result":
        return _choice(x, {"success": SUCCESS, "failure": FAILURE, "cancelled": CANCELLED})
    if field.kind == "ci_result":
        return _choice(x, {"success": SUCCESS, "failure": FAILURE, "cancelled": CANCELLED[:3], "skipped": CI_SKIPPED})
    if field.kind == "status":
        return _choice(x, {"up": ("up", "ok", "1", "true"), "down": ("down", "0", "false")})
    if field.kind == "bool":
        return (
            _choice(x, {"true": ("true", "yes", "y", "t", "1"), "false": ("false", "no", "n", "f", "0")}) + "::BOOLEAN"
        )
    if field.kind == "number":
        return f"CASE WHEN isfinite(try_cast({x} AS DOUBLE)) THEN try_cast({x} AS DOUBLE) END"
    if field.kind == "target":
        t = f"try_cast({x} AS DOUBLE)"
        return f"CASE WHEN {t} > 1 AND {t} < 100 THEN round({t} / 100, 12) WHEN {t} > 0 AND {t} < 1 THEN {t} END"
    if field.kind == "window":
        return f"CASE WHEN ({window_days_sql(x)}) IS NOT NULL THEN {x} END"
    if field.kind == "budgeting":
        return _choice(
            x, {"Occurrences": ("occurrences",), "Timeslices": ("timeslices",), "RatioTimeslices": ("ratiotimeslices",)}
        )
    return x


def window_days_sql(x: str) -> str:
    """Days in an SLO time window written 28d, 4w, 672h, 1M, 1Q, 1Y (NULL when not whole days)."""
    n = f"try_cast(regexp_extract({x}, '{_WINDOW}', 1) AS INTEGER)"
    unit = f"regexp_extract({x}, '{_WINDOW}', 2)"
    return (
        f"CASE {unit} WHEN 'd' THEN {n} WHEN 'w' THEN 7 * {n} WHEN 'M' THEN 30 * {n} WHEN 'Q' THEN 91 * {n} "
        f"WHEN 'Y' THEN 365 * {n} WHEN 'h' THEN CASE WHEN {n} % 24 = 0 THEN {n} // 24 END "
        f"WHEN 'm' THEN CASE WHEN {n} % 1440 = 0 THEN {n} // 1440 END END"
    )


_EXPECTED = {
    "timestamp": "an ISO 8601 timestamp with a UTC offset, such as 2026-03-29T01:30:00+01:00",
    "sha": "a commit id of 40 hexadecimal digits",
    "deploy_result": "success, failure or cancelled",
    "ci_result": "success, failure, cancelled or skipped",
    "status": "up or down",
    "bool": "true or false",
    "number": "a number",
    "target": "a target ratio between 0 and 1 (0.999), or a percentage (99.9)",
    "window": "a time window such as 28d, 4w, 1M, 1Q or 1Y (whole days)",
    "budgeting": "Occurrences, Timeslices or RatioTimeslices",
}


def _field_problem(field: Field, timezone: str | None) -> str:
    name, x, v = field.name, _ident(field.name), f"v_{field.name}"
    missing = f"WHEN {x} IS NULL THEN {_problem(name, 'missing: a value is required')}" if field.required else ""
    if field.kind in ("text", "severity"):
        return f"CASE {missing} END" if missing else "NULL"
    if field.kind == "shas":
        bad = f"list_filter({v}, lambda s: NOT regexp_full_match(s, '{_SHA}'))"
        message = f"'expected commit ids of 40 hexadecimal digits, got ' || {bad}[1]"
        return f"CASE {missing} WHEN len({bad}) > 0 THEN {_problem(name, message, quoted=False)} END"
    expected = _EXPECTED[field.kind]
    got = f"'expected {expected}, got ''' || left({x}, 60) || ''''"
    if field.kind == "timestamp" and not timezone:
        naive = f"WHEN {v} IS NULL AND regexp_full_match({x}, '{_NAIVE_TIMESTAMP}') THEN " + _problem(
            name, f"'''' || {x} || ''' has no UTC offset: add one, or give --timezone ZONE'", quoted=False
        )
    else:
        naive = ""
    return f"CASE {missing} {naive} WHEN {x} IS NOT NULL AND {v} IS NULL THEN {_problem(name, got, quoted=False)} END"


def _order_problem(earlier: str, later: str, how: str) -> str:
    message = f"'{how}: {later} ' || CAST(v_{later} AS VARCHAR) || ' < {earlier} ' || CAST(v_{earlier} AS VARCHAR)"
    return f"CASE WHEN v_{later} < v_{earlier} THEN {_problem(later, message, quoted=False)} END"


def _extra_checks(kind: Kind) -> list[tuple[str, str, str]]:
    """(what is wrong, field, message) of the checks across fields of availability rows."""
    if "good" in kind.columns:
        return [
            ("v_good < 0", "good", "a count cannot be negative"),
            ("v_total < 0", "total", "a count cannot be negative"),
            ("v_good > v_total", "good", "good is above total"),
            ("v_window_end <= v_window_start", "window_end", "not after window_start"),
        ]
    if "end" in kind.columns:
        return [("v_end <= v_start", "end", "not after start")]
    return []


def values_sql(kind: Kind, source: str, timezone: str | None) -> str:
    """SELECT over ``source``: each record's converted ``v_`` values, and ``present``, whose
    bit i says field i had a value. Problems are not worked out here: most rows have none,
    and ``sound_sql`` finds the few that do, from these columns alone. Nor is the record
    number read (numbering a file's rows costs as much as converting them): staged rows keep
    the file's order, so a row's place in its staging table gives it."""
    values = ",\n    ".join(f"{_value(f, timezone)} AS v_{f.name}" for f in kind.fields)
    present = " + ".join(
        f"CASE WHEN {_ident(f.name)} IS NOT NULL THEN {1 << i} ELSE 0 END" for i, f in enumerate(kind.fields)
    )
    return f"SELECT\n    {values},\n    {present} AS present\nFROM {source}"


def sound_sql(kind: Kind, services_declared: bool) -> str:
    """A condition true for the rows of ``values_sql`` that have no problem (the service,
    when the org model declares services, resolved into ``known_service_id``)."""
    conditions = []
    for i, field in enumerate(kind.fields):
        v, absent = f"v_{field.name}", f"present & {1 << i} = 0"
        if field.kind == "shas":
            conditions.append(f"({absent} OR len(list_filter({v}, lambda s: NOT regexp_full_match(s, '{_SHA}'))) = 0)")
        elif field.required:
            conditions.append(f"{v} IS NOT NULL")
        elif field.kind not in ("text", "severity"):
            conditions.append(f"({absent} OR {v} IS NOT NULL)")
    conditions += [f"coalesce(v_{later} >= v_{earlier}, true)" for earlier, later, _ in kind.orderings]
    conditions += [f"NOT coalesce({bad}, false)" for bad, _, _ in _extra_checks(kind)]
    if kind.has_service and services_declared:
        conditions.append("(v_service IS NULL OR known_service_id IS NOT NULL)")
    return " AND ".join(conditions)


def _problem(field: str, message: str, quoted: bool = True) -> str:
    text = _literal(message) if quoted else message
    return f"{{'field': '{field}', 'message': {text}}}"


def _choice(x: str, choices: dict[str, tuple[str, ...]]) -> str:
    whens = " ".join(
        f"WHEN lower({x}) IN ({', '.join(_literal(s) for s in spellings)}) THEN {_literal(value)}"
        for value, spellings in choices.items()
    )
    return f"CASE {whens} END"


def _ident(name: str) -> str:
    return '"' + name + '"'


def _literal(text: str | None) -> str:
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"


def severity_rank_sql(x: str) -> str:
    """1 (SEV1, P1, critical) .. 5 (info); the digit of SEV0 gives 0; NULL when unknown."""
    s = f"lower(trim({x}))"
    return (
        f"CASE WHEN regexp_full_match({s}, '(sev|severity|s|p|priority)[\\s_-]?[0-9]') "
        f"THEN CAST(right({s}, 1) AS INTEGER) "
        f"WHEN {s} = 'critical' THEN 1 WHEN {s} IN ('high', 'major') THEN 2 "
        f"WHEN {s} IN ('medium', 'moderate') THEN 3 WHEN {s} IN ('low', 'minor') THEN 4 "
        f"WHEN {s} IN ('info', 'informational') THEN 5 END"
    )
