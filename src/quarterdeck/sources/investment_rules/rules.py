"""The investment rules file (docs/sources/investment-rules.md): categories, rules putting
work items in them (first match wins), and the objectives epics serve.

:func:`parse_rules` reads the YAML text into :class:`RuleSet` and lists every problem found,
each naming the file and line: a key that is not a category, a field that rules do not
know, a rule that matches nothing in particular (no field), an epic given two objectives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from quarterdeck.config.yaml_files import LineList, LineLoader, LineMapping
from quarterdeck.core.documents import DocumentError, load_yaml

#: The categories when the file lists none: key -> the name shown.
DEFAULT_CATEGORIES = {
    "new_capability": "New capability",
    "keep_the_lights_on": "Keep the lights on",
    "tech_debt": "Tech debt",
    "bugs": "Bugs",
    "incidents_and_support": "Incidents and support",
}
#: What no rule matches: always a category, always shown (its name may be given).
UNCATEGORIZED = "uncategorized"
UNCATEGORIZED_NAME = "Uncategorized"
#: The allocation's own category for person-months without any recorded activity.
NO_RECORDED_WORK = "no_recorded_work"
#: A rule's fields: the key in the file -> the stored column.
FIELDS = {
    "issue_type": "issue_types",
    "labels": "labels",
    "epic": "epics",
    "project": "projects",
    "repository": "repositories",
}
_NOT_STORED = {
    "component": "Jira components are not stored by the jira source: match on labels, project or epic instead",
    "components": "Jira components are not stored by the jira source: match on labels, project or epic instead",
}
_KEY = re.compile(r"[a-z][a-z0-9_-]*")
TOP_LEVEL = ("categories", "rules", "objectives")


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass
class RuleSet:
    categories: list[tuple[str, str, int]] = field(default_factory=list)  # (key, name, line)
    rules: list[dict[str, Any]] = field(default_factory=list)  # position, category, the FIELDS columns, line
    objectives: list[tuple[str, str, str, int]] = field(default_factory=list)  # (epic, objective, name, line)
    problems: list[Problem] = field(default_factory=list)

    def wrong(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))


def parse_rules(text: str) -> RuleSet:
    """The rules of a file's text, and every problem found (the rules are not to be stored
    when there is any)."""
    found = RuleSet()
    try:
        data = load_yaml(text, LineLoader)
    except DocumentError as exc:
        found.wrong(exc.line or 1, exc.problem)
        return found
    if not isinstance(data, LineMapping):
        found.wrong(1, "expected a mapping with 'rules:' (and optionally 'categories:' and 'objectives:')")
        return found
    for key in data:
        if key not in TOP_LEVEL:
            found.wrong(data.key_lines.get(key, data.line), f"unknown key {key!r}: expected {', '.join(TOP_LEVEL)}")
    _categories(found, data)
    _rules(found, data)
    _objectives(found, data)
    return found


def _categories(found: RuleSet, data: LineMapping) -> None:
    given = data.get("categories")
    if given is None:
        found.categories = [(key, name, 0) for key, name in DEFAULT_CATEGORIES.items()]
    elif not isinstance(given, LineMapping) or not given:
        found.wrong(data.key_lines["categories"], "categories: expected a mapping of key: name shown, "
                    "such as 'tech_debt: Tech debt'")  # fmt: skip
    else:
        for key, name in given.items():
            line = given.key_lines.get(key, given.line)
            if not isinstance(key, str) or not _KEY.fullmatch(key):
                found.wrong(line, f"category key {key!r}: expected lower-case letters, digits, '_' or '-', such as "
                            "tech_debt")  # fmt: skip
            elif key == NO_RECORDED_WORK:
                found.wrong(line, f"category key {key!r} is reserved: the allocation's person-months without any "
                            "recorded activity")  # fmt: skip
            elif not isinstance(name, str) or not name.strip():
                found.wrong(line, f"category {key}: expected the name shown, such as 'Tech debt'")
            else:
                found.categories.append((key, name.strip(), line))
    if not any(key == UNCATEGORIZED for key, _, _ in found.categories):
        found.categories.append((UNCATEGORIZED, UNCATEGORIZED_NAME, 0))
    else:  # always last
        found.categories.sort(key=lambda c: c[0] == UNCATEGORIZED)


def _rules(found: RuleSet, data: LineMapping) -> None:
    rules = data.get("rules")
    if not isinstance(rules, LineList):
        line = data.key_lines.get("rules", data.line)
        found.wrong(line, "rules: expected a list of rules, each '- category: KEY' and the fields it matches")
        return
    keys = {key for key, _, _ in found.categories}
    for position, (rule, line) in enumerate(zip(rules, rules.lines, strict=True), start=1):
        if not isinstance(rule, LineMapping):
            found.wrong(line, "a rule must be a mapping: '- category: KEY' and the fields it matches")
            continue
        _rule(found, rule, position, keys)


def _rule(found: RuleSet, rule: LineMapping, position: int, keys: set[str]) -> None:
    category = rule.get("category")
    stored: dict[str, Any] = {"position": position, "category": category, "line": rule.line}
    stored.update({column: None for column in FIELDS.values()})
    ok = True
    if not isinstance(category, str) or category == UNCATEGORIZED or category not in keys:
        known = ", ".join(sorted(keys - {UNCATEGORIZED}))
        line = rule.key_lines.get("category", rule.line)
        found.wrong(line, f"unknown category key {category!r}: expected one of {known}")
        ok = False
    for key, value in rule.items():
        line = rule.key_lines.get(key, rule.line)
        if key == "category":
            continue
        if key in _NOT_STORED:
            found.wrong(line, f"{key}: {_NOT_STORED[key]}")
            ok = False
        elif key not in FIELDS:
            found.wrong(line, f"unknown field {key!r}: a rule matches on {', '.join(FIELDS)}")
            ok = False
        elif (values := field_values(value)) is None:
            found.wrong(line, f"{key}: expected a value or a list of values, such as [{_example(key)}]")
            ok = False
        else:
            stored[FIELDS[key]] = values
    if ok and all(stored[column] is None for column in FIELDS.values()):
        found.wrong(rule.line, f"empty match: the rule for {category} names no field; give at least one of "
                    f"{', '.join(FIELDS)}")  # fmt: skip
        ok = False
    if ok:
        found.rules.append(stored)


def field_values(value: Any) -> list[str] | None:
    """The lower-case values of a field (one value or a list), or None when not text."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip() for v in items):
        return None
    return [str(v).strip().lower() for v in items]


def _example(key: str) -> str:
    return {"issue_type": "Bug", "labels": "tech-debt", "epic": "ENG-100", "project": "ENG"}.get(key, "acme/api")


def _objectives(found: RuleSet, data: LineMapping) -> None:
    objectives = data.get("objectives")
    if objectives is None:
        return
    if not isinstance(objectives, LineMapping):
        found.wrong(data.key_lines["objectives"], "objectives: expected a mapping of objective key: "
                    "{name: ..., epics: [...]}")  # fmt: skip
        return
    first: dict[str, tuple[str, int]] = {}
    for key, body in objectives.items():
        line = objectives.key_lines.get(key, objectives.line)
        if not isinstance(body, LineMapping):
            found.wrong(line, f"objective {key}: expected 'name:' and 'epics:'")
            continue
        wrong = sorted(set(body) - {"name", "epics"})
        if wrong:
            found.wrong(body.key_lines[wrong[0]], f"objective {key}: unknown field {wrong[0]!r}: expected name, epics")
        name = body.get("name", key)
        epics = field_values(body.get("epics"))
        if not isinstance(name, str) or not name.strip():
            found.wrong(body.key_lines.get("name", line), f"objective {key}: name: expected a text")
        if epics is None:
            found.wrong(body.key_lines.get("epics", line), f"objective {key}: epics: expected a list of epic keys, "
                        "such as [PAY-1, PAY-7]")  # fmt: skip
            continue
        raw = body["epics"] if isinstance(body["epics"], list) else [body["epics"]]
        lines = raw.lines if isinstance(raw, LineList) else [body.key_lines["epics"]] * len(raw)
        for epic, written, at in zip(epics, raw, lines, strict=True):
            if epic in first:
                other, other_line = first[epic]
                found.wrong(at, f"epic {written} serves objective {other} already (line {other_line}): "
                            "an epic serves one objective")  # fmt: skip
                continue
            first[epic] = (str(key), at)
            found.objectives.append((str(written).strip(), str(key), str(name).strip(), at))
