"""Reading JSON and YAML that users hand Quarterdeck, within bounds.

Every JSON and YAML reader goes through here (the project file, targets, access, org
files, OpenSLO, delivery files, events pushed over HTTP), so that no input can exhaust the
stack or the memory:

* nesting deeper than ``MAX_DEPTH`` levels is refused before it is parsed (a deeply nested
  document would otherwise raise RecursionError, a traceback, in the parser);
* YAML aliases may stand for at most ``MAX_ALIAS_NODES`` values in all, counted as if each
  alias were written out in full, and an alias inside its own anchor is refused: a "billion
  laughs" document is refused after reading its few lines, in bounded memory.

YAML is checked in the parser's event stream, before anything is built; JSON is parsed
(Python's parser stops cleanly at its recursion limit), then its depth is measured level by
level. A ``DocumentError`` says what was exceeded and on which line.
docs/delivery-inputs.md lists the limits for users.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

MAX_DEPTH = 64
MAX_ALIAS_NODES = 100_000

_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class DocumentError(ValueError):
    """A JSON or YAML text that cannot be read: ``problem`` says why, ``line`` (1-based,
    None when unknown) where."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(f"line {line}: {problem}" if line else problem)
        self.problem = problem
        self.line = line
        self.column = column


# -- JSON --------------------------------------------------------------------------------------


def load_json(text: str, **options: Any) -> Any:
    """The value of a JSON text, refused when nested deeper than ``MAX_DEPTH``; ``options``
    go to ``json.loads``. Syntax errors are DocumentErrors naming the line and column."""
    try:
        value = json.loads(text, **options)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"not valid JSON: {exc.msg} at column {exc.colno}", exc.lineno, exc.colno) from None
    except RecursionError:  # the parser stops at Python's recursion limit, far deeper than ours
        value = None
    else:
        if not _deeper_than(value, MAX_DEPTH):
            return value
    raise DocumentError(f"nested deeper than {MAX_DEPTH} levels (arrays and objects)", _deep_json_line(text))


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value``'s arrays and objects nest deeper than ``limit`` (read level by level,
    without recursion)."""
    level = [value] if isinstance(value, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for container in level:
            items = container.values() if isinstance(container, dict) else container
            below.extend(item for item in items if isinstance(item, (dict, list)))
        level = below
    return False


def _deep_json_line(text: str) -> int | None:
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in _STEP:
            depth += _STEP[token]
            if depth > MAX_DEPTH:
                return text.count("\n", 0, match.start()) + 1
    return None


# -- YAML --------------------------------------------------------------------------------------


def load_yaml(text: str, loader: type[Any] = yaml.SafeLoader) -> Any:
    """The one document of a YAML text, read with ``loader`` (a safe loader) after
    ``check_yaml``. Syntax errors are DocumentErrors naming the line."""
    check_yaml(text, loader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None


def load_yaml_all(text: str, loader: type[Any] = yaml.SafeLoader) -> list[Any]:
    """Every document of a YAML text (``---`` between them), checked as ``load_yaml`` does."""
    check_yaml(text, loader)
    try:
        return list(yaml.load_all(text, Loader=loader))
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None


def check_yaml(text: str, loader: type[Any] = yaml.SafeLoader) -> None:
    """Refuse a YAML text nested deeper than ``MAX_DEPTH``, whose aliases stand for more
    than ``MAX_ALIAS_NODES`` values, or with an alias inside its own anchor. Reads the
    parser's events only: nothing is built."""
    open_sizes: list[int] = []  # per open collection: the values it holds so far, itself included
    open_anchors: list[str | None] = []
    anchors: dict[str, int] = {}
    aliased = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(open_sizes) >= MAX_DEPTH:
                    raise DocumentError(f"nested deeper than {MAX_DEPTH} levels", _line(event))
                open_sizes.append(1)
                open_anchors.append(event.anchor)
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                size, anchor = open_sizes.pop(), open_anchors.pop()
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor in open_anchors:
                    raise DocumentError(f"the alias *{event.anchor} is inside its own anchor", _line(event))
                size, anchor = anchors.get(event.anchor, 1), None
                aliased += size
                if aliased > MAX_ALIAS_NODES:
                    raise DocumentError(
                        f"aliases stand for more than {MAX_ALIAS_NODES:,} values (the limit)", _line(event)
                    )
            else:
                continue
            if anchor is not None:
                anchors[anchor] = size
            if open_sizes:
                open_sizes[-1] += size
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


def _yaml_error(exc: yaml.YAMLError) -> DocumentError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
    line = mark.line + 1 if mark is not None else None
    if "maximum nesting depth" in problem:  # libyaml's own limit (1,000 levels), met before ours
        return DocumentError(f"nested deeper than {MAX_DEPTH} levels", line)
    hint = "; indent with spaces, not tabs" if "'\\t'" in problem else ""
    return DocumentError(f"not valid YAML ({problem}{hint})", line)
