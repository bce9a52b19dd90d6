"""Owners' digests as content: for each owner, their targets against target in the period
just closed, what changed since the period before, what is red and how long it has been missed.

The numbers are those of ``quarterdeck targets status`` (``metrics.target_status``: the
recorded history); the renderers (``digest_render``: plain text, HTML, Slack and Teams
payloads) draw only from a ``Digest``.

Review cadence: a digest is about the last whole month of the data. Monthly targets are in
every digest; a quarterly target is in the digest of a quarter's last month (March, June,
September, December) only, where it is judged by that month (docs/digests.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from quarterdeck.config.target_owners import Owner
from quarterdeck.config.targets import Targets
from quarterdeck.core.formats import format_number, is_share
from quarterdeck.metrics.target_status import QUARTER_ENDS, TargetStatus, period_name

STATUS_ORDER = ("red", "amber", "green", "grey")


@dataclass(frozen=True)
class DigestLine:
    """One target in a digest."""

    metric: str
    title: str
    scope: str
    review: str
    unit: str
    period: str | None  # None: the period of the digest is not recorded for this target
    value: float | None
    hidden: str | None
    target: float
    amber_edge: float
    status: str
    previous_period: str | None
    previous_value: float | None
    previous_status: str | None
    missed_in_a_row: int
    missed_of_last_12: int

    def shown(self, *, previous: bool = False) -> str:
        if previous:
            return format_number(self.previous_value, self.unit)
        return self.hidden if self.hidden is not None else format_number(self.value, self.unit)

    @property
    def change(self) -> str:
        """What changed since the period before, in words."""
        if self.previous_period is None:
            return "no earlier period recorded"
        moved = f"{self.previous_period}: {self.shown(previous=True)} → {self.shown()}"
        if self.value is not None and self.previous_value is not None:
            delta = self.value - self.previous_value
            sign = "+" if delta > 0 else "−" if delta < 0 else "±"
            size = f"{abs(delta) * 100:.2f} pp" if is_share(self.unit) else format_number(abs(delta), self.unit)
            moved += f" ({sign}{size})"  # a share moves by percentage points, not by a share of itself
        if self.previous_status != self.status:
            return f"{moved}, {self.previous_status} → {self.status}"
        return f"{moved}, still {self.status}"


@dataclass(frozen=True)
class Digest:
    """One owner's digest for the period that just closed."""

    owner: str
    contacts: Owner | None
    period: str  # the month, 2024-12
    data_end: date
    lines: list[DigestLine] = field(default_factory=list)

    @property
    def red(self) -> list[DigestLine]:
        return [line for line in self.lines if line.status == "red"]

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for line in self.lines if line.status == s) for s in STATUS_ORDER}

    @property
    def subject(self) -> str:
        counts = self.counts()
        said = ", ".join(f"{counts[s]} {s}" for s in STATUS_ORDER if counts[s])
        return f"Quarterdeck targets, {self.period}: {said or 'no targets this period'} ({self.owner})"


def build_digests(
    statuses: list[TargetStatus], targets: Targets, last_month: date, data_end: date, only: str | None = None
) -> list[Digest]:
    """Each owner's digest (in the order their first target comes in the file), or only the
    owner named ``only``."""
    owners: dict[str, list[DigestLine]] = {}
    for status in statuses:
        owners.setdefault(status.target.owner, [])
        if _due(status, last_month):
            owners[status.target.owner].append(digest_line(status, last_month))
    chosen = [name for name in owners if only is None or name == only]
    return [
        Digest(name, targets.owners.get(name), f"{last_month:%Y-%m}", data_end, _ordered(owners[name]))
        for name in chosen
    ]


def _due(status: TargetStatus, last_month: date) -> bool:
    """Whether the target is reviewed in the month ``last_month``."""
    return status.target.review == "monthly" or last_month.month in QUARTER_ENDS


def _ordered(lines: list[DigestLine]) -> list[DigestLine]:
    return sorted(lines, key=lambda line: STATUS_ORDER.index(line.status))


def digest_line(status: TargetStatus, last_month: date) -> DigestLine:
    """The target's line: its period ending ``last_month`` and the period before."""
    periods = [p for p in status.periods if p.month <= last_month]
    latest = periods[-1] if periods and periods[-1].month == last_month else None
    before = periods[-2] if latest and len(periods) > 1 else None
    kept = status.periods[: status.periods.index(latest) + 1] if latest else []
    cut = TargetStatus(status.target, status.title, status.unit, kept)
    target = status.target
    return DigestLine(
        metric=target.metric, title=status.title, scope=target.scope, review=target.review, unit=status.unit,
        period=period_name(latest) if latest else None,
        value=latest.value if latest else None, hidden=latest.hidden if latest else None,
        target=latest.target if latest else target.target,
        amber_edge=latest.amber_edge if latest else target.amber_edge(),
        status=latest.status if latest else "grey",
        previous_period=period_name(before) if before else None,
        previous_value=before.value if before else None, previous_status=before.status if before else None,
        missed_in_a_row=cut.missed_in_a_row, missed_of_last_12=cut.missed_of_last_12,
    )  # fmt: skip
