"""What the simulation's investment tests share: the rules file applied to stored issues
(first matching rule wins, docs/sources/investment-rules.md), read here independently of
the product, and the days of a month."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml

from quarterdeck.simulation.run import Simulated
from tests.warehouse_rows import query


def rule_matches(rule: dict, issue_type: str, labels: list[str], chain: list[str], project: str) -> bool:
    """Every field the rule gives matches (any of its values, any case); ``epic`` matches the
    issue, its parent or its parent's parent (docs/sources/investment-rules.md)."""
    given = {"issue_type": [issue_type], "labels": labels, "epic": chain, "project": [project]}
    for field, values in rule.items():
        if field == "category":
            continue
        wanted = {v.lower() for v in ([values] if isinstance(values, str) else values)}
        if not wanted & {g.lower() for g in given[field] if g}:
            return False
    return True


def categories_by_rules(made: Simulated, db: Path) -> dict[str, str]:
    """issue key -> the category the simulation's rules file gives the stored Jira issue."""
    rules = yaml.safe_load((made.out / "finance" / "investment-rules.yaml").read_text(encoding="utf-8"))["rules"]
    stored = {key: (kind, labels or [], parent, project) for key, kind, labels, parent, project in query(
        db, "SELECT issue_key, issue_type, labels, parent_key, project FROM issues WHERE source = 'jira'")}  # fmt: skip
    found = {}
    for key, (kind, labels, parent, project) in stored.items():
        chain = [key, parent, stored[parent][2] if parent in stored else None]
        matched = (r["category"] for r in rules if rule_matches(r, kind, labels, chain, project))
        found[key] = next(matched, "uncategorized")
    return found


def employed_in(made: Simulated, person_id: str, month: str) -> bool:
    return any(made.world.person(person_id).stint_on(d) for d in days_of(month))


def days_of(month: str) -> list[date]:
    first = date.fromisoformat(f"{month}-01")
    return [first + timedelta(days=n) for n in range(31) if (first + timedelta(days=n)).month == first.month]
