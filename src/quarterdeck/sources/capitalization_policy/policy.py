"""The R&D capitalization policy file (docs/capitalization.md): which investment categories
and which phases of work may be capitalized (ASC 350-40 / IAS 38 style), how a work item's
phase is known, and what a project is.

:func:`parse_policy` reads the YAML text and lists every problem found, each naming the
line: an unknown category key or phase, a field phase rules do not know, a rule matching
nothing in particular.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quarterdeck.config.yaml_files import LineList, LineLoader, LineMapping
from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.sources.investment_rules.rules import Problem, field_values

#: The phases of ASC 350-40 (internal-use software): preliminary project stage (IAS 38:
#: research), application development stage (IAS 38: development), post-implementation.
PHASES = ("preliminary", "development", "post_implementation")
#: A phase rule's fields: the key in the file -> the stored column.
FIELDS = {"issue_type": "issue_types", "labels": "labels", "epic": "epics", "project": "projects"}
PROJECTS = ("epic", "objective")
TOP_LEVEL = ("capitalizable", "phases", "default_phase", "project")


@dataclass
class Policy:
    categories: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=lambda: ["development"])
    default_phase: str = "development"
    project_by: str = "epic"
    line: int = 1
    rules: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def wrong(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))


def parse_policy(text: str, categories: set[str]) -> Policy:
    """The policy of a file's text, checked against the investment ``categories`` (keys)."""
    found = Policy()
    try:
        data = load_yaml(text, LineLoader)
    except DocumentError as exc:
        found.wrong(exc.line or 1, exc.problem)
        return found
    if not isinstance(data, LineMapping):
        found.wrong(1, "expected a mapping with 'capitalizable:' (categories and phases) and optionally 'phases:'")
        return found
    for key in data:
        if key not in TOP_LEVEL:
            found.wrong(data.key_lines.get(key, data.line), f"unknown key {key!r}: expected {', '.join(TOP_LEVEL)}")
    _capitalizable(found, data, categories)
    _choice(found, data, "default_phase", PHASES)
    _choice(found, data, "project", PROJECTS)
    _phase_rules(found, data)
    return found


def _capitalizable(found: Policy, data: LineMapping, categories: set[str]) -> None:
    given = data.get("capitalizable")
    line = data.key_lines.get("capitalizable", data.line)
    if not isinstance(given, LineMapping):
        found.wrong(line, "capitalizable: expected 'categories: [...]' and optionally 'phases: [...]'")
        return
    found.line = line
    for key in given:
        if key not in ("categories", "phases"):
            found.wrong(given.key_lines[key], f"capitalizable: unknown field {key!r}: expected categories, phases")
    for name, known, target in (("categories", categories, "categories"), ("phases", set(PHASES), "phases")):
        if name not in given and name == "phases":
            continue
        values = field_values(given.get(name))
        at = given.key_lines.get(name, line)
        if values is None:
            found.wrong(at, f"capitalizable: {name}: expected a list, such as [{sorted(known)[0]}]")
            continue
        unknown = [v for v in values if v not in known]
        for value in unknown:
            kind = "category key" if name == "categories" else "phase"
            found.wrong(at, f"unknown {kind} {value!r}: expected one of {', '.join(sorted(known))}")
        setattr(found, target, values)


def _choice(found: Policy, data: LineMapping, key: str, choices: tuple[str, ...]) -> None:
    if key not in data:
        return
    value = data[key]
    if not isinstance(value, str) or value.strip().lower() not in choices:
        found.wrong(data.key_lines[key], f"{key}: {value!r}: expected one of {', '.join(choices)}")
    elif key == "project":
        found.project_by = value.strip().lower()
    else:
        found.default_phase = value.strip().lower()


def _phase_rules(found: Policy, data: LineMapping) -> None:
    rules = data.get("phases")
    if rules is None:
        return
    if not isinstance(rules, LineList):
        found.wrong(data.key_lines["phases"], "phases: expected a list of rules, each '- phase: PHASE' and fields")
        return
    for position, (rule, line) in enumerate(zip(rules, rules.lines, strict=True), start=1):
        if not isinstance(rule, LineMapping):
            found.wrong(line, "a phase rule must be a mapping: '- phase: PHASE' and the fields it matches")
            continue
        _phase_rule(found, rule, position)


def _phase_rule(found: Policy, rule: LineMapping, position: int) -> None:
    phase = rule.get("phase")
    stored: dict[str, Any] = {"position": position, "phase": phase, "line": rule.line}
    stored.update({column: None for column in FIELDS.values()})
    ok = True
    if not isinstance(phase, str) or phase not in PHASES:
        found.wrong(rule.key_lines.get("phase", rule.line), f"unknown phase {phase!r}: expected one of "
                    f"{', '.join(PHASES)}")  # fmt: skip
        ok = False
    for key, value in rule.items():
        if key == "phase":
            continue
        line = rule.key_lines.get(key, rule.line)
        if key not in FIELDS:
            found.wrong(line, f"unknown field {key!r}: a phase rule matches on {', '.join(FIELDS)}")
            ok = False
        elif (values := field_values(value)) is None:
            found.wrong(line, f"{key}: expected a value or a list of values")
            ok = False
        else:
            stored[FIELDS[key]] = values
    if ok and all(stored[column] is None for column in FIELDS.values()):
        found.wrong(rule.line, f"empty match: the rule for {phase} names no field; give at least one of "
                    f"{', '.join(FIELDS)}")  # fmt: skip
        ok = False
    if ok:
        found.rules.append(stored)
