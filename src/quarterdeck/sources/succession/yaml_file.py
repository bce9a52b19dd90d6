"""A succession file written as YAML: a ``successors:`` list of mappings with the CSV's
columns (role, successor, readiness, date), each item checked as a CSV line would be and
named by the line it starts on."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.sources.table_files import Column, TableProblem, read_text

EXPECTED = "a 'successors:' list of items with role, successor, readiness and date"


def is_yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def yaml_records(path: Path, columns: Sequence[Column]) -> tuple[list[dict[str, Any]], list[TableProblem]]:
    """The checked records of the file's items (``{column: value, "line": n}``) and the
    problems of every item."""
    file = str(path)
    try:
        text = read_text(path)
        data = load_yaml(text)  # refuses what is not YAML, or too deep, naming the line
    except OSError as exc:
        return [], [TableProblem(file, 0, "", f"cannot be read ({exc.strerror})")]
    except DocumentError as exc:
        return [], [TableProblem(file, exc.line or 1, "", str(exc).removeprefix(f"line {exc.line}: "))]
    if not isinstance(data, dict) or not isinstance(data.get("successors"), list):
        return [], [TableProblem(file, 1, "", f"expected {EXPECTED}")]
    lines = _item_lines(text)
    records, problems = [], []
    for index, item in enumerate(data["successors"]):
        line = lines[index] if index < len(lines) else 1
        if not isinstance(item, dict):
            problems.append(TableProblem(file, line, "", "expected a mapping with role, successor, readiness, date"))
            continue
        record, wrong = _record(file, line, item, columns)
        problems += wrong
        if not wrong:
            records.append(record)
    return records, problems


def _item_lines(text: str) -> list[int]:
    """The line each item of the ``successors`` list starts on."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for key, value in root.value:
        if key.value == "successors" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _record(file: str, line: int, item: dict, columns: Sequence[Column]) -> tuple[dict[str, Any], list[TableProblem]]:
    record: dict[str, Any] = {"line": line}
    problems = []
    unknown = sorted(str(k) for k in item if str(k) not in {c.name for c in columns})
    if unknown:
        known = ", ".join(c.name for c in columns)
        problems.append(TableProblem(file, line, "", f"unknown key(s) {', '.join(unknown)}: expected {known}"))
    for column in columns:
        value = "" if item.get(column.name) is None else str(item[column.name]).strip()
        if not value:
            problems.append(TableProblem(file, line, column.name, "missing"))
            continue
        try:
            record[column.name] = column.check(value)
        except ValueError as exc:
            problems.append(TableProblem(file, line, column.name, f"{value!r}: expected {exc}"))
    return record, problems
