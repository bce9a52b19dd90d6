"""Where each target stands, from its recorded history (``target_history``).

A target's **periods** are months, or quarters for a target reviewed quarterly (``review:
quarterly``): a quarter is judged by its last month (March, June, September, December), the
month its review happens. A period is **missed** when its status is amber or red (the target
was not reached); a grey period (no value) is neither met nor missed. ``missed_in_a_row``
counts missed periods back from the latest until the first that was not missed;
``missed_of_last_12`` counts the missed among the last 12 periods. The numbers the status
command, the Targets page and the digests show all come from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from quarterdeck.config.targets import Target, Targets
from quarterdeck.metrics import catalog
from quarterdeck.store import Warehouse
from quarterdeck.store.target_history import MonthRecord, read_history

MISSED = ("amber", "red")
TREND_PERIODS = 6
QUARTER_ENDS = (3, 6, 9, 12)


@dataclass(frozen=True)
class TargetStatus:
    """One target now: its latest recorded period, the one before, and its trend."""

    target: Target
    title: str
    unit: str
    periods: list[MonthRecord] = field(default_factory=list)  # oldest first

    @property
    def latest(self) -> MonthRecord | None:
        return self.periods[-1] if self.periods else None

    @property
    def previous(self) -> MonthRecord | None:
        return self.periods[-2] if len(self.periods) > 1 else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else "grey"

    @property
    def value(self) -> float | None:
        return self.latest.value if self.latest else None

    @property
    def trend(self) -> list[MonthRecord]:
        return self.periods[-TREND_PERIODS:]

    @property
    def missed_in_a_row(self) -> int:
        count = 0
        for period in reversed(self.periods):
            if period.status not in MISSED:
                break
            count += 1
        return count

    @property
    def missed_of_last_12(self) -> int:
        return sum(1 for p in self.periods[-12:] if p.status in MISSED)

    def as_json(self) -> dict[str, Any]:
        latest, previous = self.latest, self.previous
        return {
            "metric": self.target.metric,
            "title": self.title,
            "scope": self.target.scope,
            "owner": self.target.owner,
            "review": self.target.review,
            "unit": self.unit,
            "period": _period_name(latest.month, self.target.review) if latest else None,
            "value": self.value,
            "hidden": latest.hidden if latest else None,
            "target": latest.target if latest else self.target.target,
            "amber_edge": latest.amber_edge if latest else self.target.amber_edge(),
            "direction": self.target.direction,
            "status": self.status,
            "previous_period": _period_name(previous.month, self.target.review) if previous else None,
            "previous_value": previous.value if previous else None,
            "previous_status": previous.status if previous else None,
            "missed_in_a_row": self.missed_in_a_row,
            "missed_of_last_12": self.missed_of_last_12,
            "trend": [
                {"period": _period_name(p.month, self.target.review), "value": p.value, "status": p.status}
                for p in self.trend
            ],
        }


def _period_name(month: date, review: str) -> str:
    if review == "quarterly":
        return f"{month.year}Q{(month.month - 1) // 3 + 1}"
    return f"{month.year}-{month.month:02d}"


def period_name(record: MonthRecord) -> str:
    return _period_name(record.month, record.review)


def periods_of(records: list[MonthRecord], review: str) -> list[MonthRecord]:
    """The records that are the target's periods: every month, or each quarter's last month."""
    if review == "quarterly":
        return [r for r in records if r.month.month in QUARTER_ENDS]
    return list(records)


def target_statuses(warehouse: Warehouse, targets: Targets) -> list[TargetStatus]:
    """Every target of the file with its recorded periods, in the file's order."""
    by_key: dict[tuple[str, str], list[MonthRecord]] = {}
    for record in read_history(warehouse):
        by_key.setdefault((record.metric, record.scope), []).append(record)
    metrics = catalog()
    statuses = []
    for target in targets:
        metric = metrics.get(target.metric)
        title = metric.title if metric else target.metric
        unit = metric.unit if metric else ""
        periods = periods_of(by_key.get((target.metric, target.scope), []), target.review)
        statuses.append(TargetStatus(target, title, unit, periods))
    return statuses
