"""A survey's mapping file: which export column is the team, which are read past (a
respondent id, a timestamp), the survey's id, date and period, and each question column's
id, text, kind (likert with its scale, enps 0-10, text) and theme (docs/sources/survey.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.core.errors import ConfigError

KINDS = ("likert", "enps", "text")
#: libyaml's safe loader when PyYAML has it (a mapping of 40 questions reads 10x faster)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PERIOD = re.compile(r"(\d{4})-Q([1-4])")


@dataclass(frozen=True)
class Question:
    column: str
    question_id: str
    text: str
    kind: str
    scale: tuple[int, int] | None  # likert: (lowest, highest); enps: (0, 10); text: None
    labels: tuple[str, ...] = ()  # likert answers as words, lowest first
    reverse: bool = False
    theme: str | None = None


@dataclass(frozen=True)
class SurveyMapping:
    path: str
    survey_id: str | None
    taken_on: date
    period: tuple[date, date]
    team_column: str
    dropped: tuple[str, ...]
    questions: tuple[Question, ...]


def load_survey_mapping(path: Path | str) -> SurveyMapping:
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), LOADER)
    except (OSError, UnicodeDecodeError, DocumentError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{path}: cannot read the survey mapping: {first}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a survey mapping (team_column, date or period, questions)")
    where = str(path)
    taken_on, period = _dates(where, data)
    team_column = data.get("team_column")
    if not isinstance(team_column, str) or not team_column.strip():
        raise ConfigError(f"{where}: team_column: expected the export column naming the respondent's team")
    dropped = data.get("dropped_columns") or []
    if not isinstance(dropped, list) or not all(isinstance(c, str) for c in dropped):
        raise ConfigError(f"{where}: dropped_columns: expected a list of export columns (a respondent id...)")
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: questions: expected a list of questions (column, id, text, kind, theme)")
    questions = tuple(_question(f"{where}: questions[{i}]", entry) for i, entry in enumerate(raw))
    _unique(where, [q.question_id for q in questions], "id")
    _unique(where, [q.column.lower() for q in questions], "column")
    survey = data.get("survey")
    if survey is not None and not isinstance(survey, str | int):
        raise ConfigError(f"{where}: survey: expected the survey's id, such as devex-2026-Q2")
    return SurveyMapping(
        where, str(survey) if survey is not None else None, taken_on, period, team_column.strip(),
        tuple(c.strip() for c in dropped), questions,
    )  # fmt: skip


def _dates(where: str, data: dict[str, Any]) -> tuple[date, tuple[date, date]]:
    raw_date, raw_period = data.get("date"), data.get("period")
    if raw_date is None and raw_period is None:
        raise ConfigError(f"{where}: expected the survey's date (date: 2026-06-15) or period (period: 2026-Q2)")
    period = _period(where, str(raw_period)) if raw_period is not None else None
    if raw_date is not None:
        taken = raw_date if isinstance(raw_date, date) else _day(where, str(raw_date))
        return taken, period or _quarter(taken)
    assert period is not None
    return period[1], period


def _day(where: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{where}: date: {value!r}: expected a date as YYYY-MM-DD") from None


def _period(where: str, value: str) -> tuple[date, date]:
    match = _PERIOD.fullmatch(value.strip())
    if not match:
        raise ConfigError(f"{where}: period: {value!r}: expected a quarter as YYYY-QN, such as 2026-Q2")
    return _quarter(date(int(match[1]), 3 * int(match[2]), 1))


def _quarter(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    after = date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, after - timedelta(days=1)


def _question(where: str, entry: Any) -> Question:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected column, id, text, kind and theme")
    column, question_id = entry.get("column"), entry.get("id")
    if not isinstance(column, str) or not column.strip():
        raise ConfigError(f"{where}: column: expected the export column holding the question's answers")
    if not isinstance(question_id, str) or not re.fullmatch(r"[a-z0-9_]+", question_id):
        raise ConfigError(f"{where}: id: expected an id of lower-case letters, digits and _, such as ci_feedback")
    kind = entry.get("kind", "likert")
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind: {kind!r}: expected one of {', '.join(KINDS)}")
    labels = tuple(str(label).strip() for label in entry.get("labels") or ())
    scale = _scale(where, kind, entry.get("scale"), labels)
    theme = entry.get("theme")
    return Question(
        column.strip(), question_id, str(entry.get("text") or column).strip(), kind, scale, labels,
        bool(entry.get("reverse", False)), str(theme).strip() if theme else None,
    )  # fmt: skip


def _scale(where: str, kind: str, raw: Any, labels: tuple[str, ...]) -> tuple[int, int] | None:
    if kind == "text":
        return None
    if kind == "enps":
        return (0, 10)
    if raw is None and labels:
        return (1, len(labels))
    if isinstance(raw, int) and raw >= 2:
        scale = (1, raw)
    elif isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, int) for v in raw) and raw[0] < raw[1]:
        scale = (raw[0], raw[1])
    else:
        raise ConfigError(f"{where}: scale: expected the number of points (5) or [lowest, highest] such as [1, 7]")
    if labels and len(labels) != scale[1] - scale[0] + 1:
        raise ConfigError(f"{where}: labels: {len(labels)} label(s) for a scale of {scale[0]}..{scale[1]}")
    return scale


def _unique(where: str, values: list[str], what: str) -> None:
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise ConfigError(f"{where}: questions: the {what} {seen[0]!r} is given twice: expected one each")
