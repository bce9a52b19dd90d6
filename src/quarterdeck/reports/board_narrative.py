"""The board pack's narrative: every sentence written by a named rule from figure values
(docs/decisions/0074-board-pack-narrative-rules.md), with the figures behind it as evidence.

Rules, in the order the summary reads them:

- ``mover_qoq`` / ``mover_yoy``: the figures that moved most against the quarter before (the
  same quarter a year before), by relative change ``(now - then) / |then|``, at least
  ``MOVER_MIN`` of it, at most ``MOVERS`` of each; only metrics with a better direction (up
  or down), so each says whether it got better or worse. A change from 0 has no relative
  size and is left out. A quarter cut at the data's end has no movers.
- ``target_met`` / ``target_missed``: each figure with a target (the targets file), green is
  met, amber or red missed (``config.targets.judge``).
- ``risk_error_budget``: SLOs whose error budget is spent at the quarter's end.
- ``risk_bus_factor``: repositories whose bus factor is 1.
- ``risk_knowledge``: services whose code one person holds.
- ``risk_succession``: key roles with no successor ready now.

A figure without a value (no data, or hidden for privacy) gives no sentence: never "nan".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quarterdeck.core.formats import format_number
from quarterdeck.reports.board_model import Figure, Sentence

#: A mover changed by at least this share of its earlier value.
MOVER_MIN = 0.10
#: At most this many movers of each kind (quarter on quarter, year on year).
MOVERS = 3
RULES = (
    "mover_qoq", "mover_yoy", "target_met", "target_missed",
    "risk_error_budget", "risk_bus_factor", "risk_knowledge", "risk_succession",
)  # fmt: skip


def finite(value: float | None) -> bool:
    return value is not None and not isinstance(value, str) and math.isfinite(value)


@dataclass(frozen=True)
class Move:
    figure: Figure
    then: float
    change: float  # relative: (now - then) / |then|

    @property
    def better(self) -> bool:
        up = self.change > 0
        return up if self.figure.good_direction == "up" else not up


def moves(figures: Sequence[Figure], when: str) -> list[Move]:
    """The figures' relative changes against ``when`` ("previous" or "year_ago"), biggest first."""
    found = []
    for figure in figures:
        then = getattr(figure, when)
        if figure.good_direction not in ("up", "down") or not finite(figure.value) or not finite(then) or then == 0:
            continue
        assert figure.value is not None and then is not None
        change = (figure.value - then) / abs(then)
        if abs(change) >= MOVER_MIN:
            found.append(Move(figure, then, change))
    return sorted(found, key=lambda m: (-abs(m.change), m.figure.key))[:MOVERS]


def mover_sentence(move: Move, rule: str) -> Sentence:
    figure = move.figure
    span = "quarter on quarter" if rule == "mover_qoq" else "year on year"
    verb = "improved" if move.better else "worsened"
    direction = "up" if move.change > 0 else "down"
    text = (
        f"{figure.label} {verb} {span}: {direction} {abs(move.change):.0%}, "
        f"from {format_number(move.then, figure.unit)} to {figure.text} {_unit(figure)}".rstrip()
        + "."
    )
    return Sentence(text, rule, (figure.key,))


def _unit(figure: Figure) -> str:
    """The unit written after a value, unless the value already carries it (12.0 h, 99.87 %)."""
    return figure.unit if figure.text[-1:].isdigit() else ""


def target_sentences(figures: Sequence[Figure]) -> list[Sentence]:
    said = []
    for figure in figures:
        if figure.target is None or not finite(figure.value) or figure.status == "grey":
            continue
        target = format_number(figure.target, figure.unit)
        if figure.status == "green":
            text = f"{figure.label} met its target of {target}: {figure.text} {_unit(figure)}".rstrip() + "."
            said.append(Sentence(text, "target_met", (figure.key,)))
        else:
            text = (f"{figure.label} missed its target of {target}: {figure.text} {_unit(figure)}".rstrip()
                    + f" ({figure.status}).")  # fmt: skip
            said.append(Sentence(text, "target_missed", (figure.key,)))
    return said


#: Risk rules: the figure key's prefix they read, and the sentence for a count above zero.
RISKS: tuple[tuple[str, str, Callable[[int], str]], ...] = (
    ("risk_error_budget", "slos_budget_spent@",
     lambda n: f"{_count(n, 'SLO has', 'SLOs have')} spent their error budget at the quarter's end."),
    ("risk_bus_factor", "bus_factor@",
     lambda n: f"{_count(n, 'repository has', 'repositories have')} a bus factor of 1: one person wrote most of "
               "what changed in them over the year."),
    ("risk_knowledge", "knowledge_at_risk@",
     lambda n: f"The knowledge of {_count(n, 'service', 'services')} is held by one person."),
    ("risk_succession", "no_ready_successor@",
     lambda n: f"{_count(n, 'key role has', 'key roles have')} no successor ready now."),
)  # fmt: skip


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n:,} {many}"


def risk_sentences(figures: Sequence[Figure]) -> list[Sentence]:
    said = []
    for rule, prefix, write in RISKS:
        for figure in figures:
            if figure.key.startswith(prefix) and finite(figure.value) and (figure.value or 0) > 0:
                said.append(Sentence(write(round(figure.value or 0)), rule, (figure.key,)))
    return said


def narrative(figures: Sequence[Figure], movers: bool = True) -> tuple[Sentence, ...]:
    """Every sentence the rules write from ``figures`` (each figure once: the first of a key);
    no movers when ``movers`` is false (a quarter cut at the data's end is not compared with
    whole quarters: its counts and sums would all look like falls)."""
    unique = list({f.key: f for f in reversed(figures)}.values())[::-1]
    sentences = [
        *(mover_sentence(m, "mover_qoq") for m in (moves(unique, "previous") if movers else [])),
        *(mover_sentence(m, "mover_yoy") for m in (moves(unique, "year_ago") if movers else [])),
        *target_sentences(unique),
        *risk_sentences(unique),
    ]
    return tuple(sentences)
