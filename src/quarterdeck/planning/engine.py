"""The planning engine: a seeded Monte Carlo over months (docs/plans-engine.md, decision 0057).

``simulate(plan, draws, seed)`` keeps, for every draw and seat, whether the seat is taken and
whether by the person who held it at the start (arrays shaped (draws, seats)), and per draw
and team the running headcount, full capacity and yearly cost. Everything random about a
person or a requisition is drawn once, when it happens: the month a person will leave is
drawn at their start (inverting the survival function of the tenure bands), the month a
search ends when the requisition opens, acceptance when the offer is made. The events land
in per-month buckets of flat (draw, seat) indices, so a month only touches the seats where
something happens; the only Python loop is over months.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import numpy as np

from quarterdeck.planning.draws import NEVER, cumulative_hazard, fill_months, first_open_months, months_until_leaving
from quarterdeck.planning.model import PlanInput, Projection
from quarterdeck.planning.results import Collector
from quarterdeck.planning.seats import SeatArrays, raise_factors, seat_arrays

#: Draws run in chunks, each with its own generator spawned from the seed (``SeedSequence``)
#: and, when there are several, its own thread: the chunks depend on the number of draws only,
#: never on the machine, so the same seed gives the same projection everywhere.
CHUNKS = 2
#: Fewer draws than this per chunk: one chunk, in the calling thread.
SMALLEST_CHUNK = 500


def simulate(plan: PlanInput, draws: int = 10_000, seed: int = 0) -> Projection:
    """P10/P50/P90 of headcount, capacity, cost, hires and leavers of ``plan`` over ``draws``
    seeded draws: the same plan, draws and seed give the same projection, bit for bit."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    seats = seat_arrays(plan)
    collector = Collector(plan, seats, draws)  # checks the targets' and budgets' names first
    sizes = chunk_sizes(draws)
    streams = np.random.SeedSequence(seed).spawn(len(sizes))
    runs = [_Run(plan, seats, size, np.random.default_rng(stream)) for size, stream in zip(sizes, streams, strict=True)]
    for month, parts in _months_of(runs, plan.months):
        collector.month(month, parts)
        if parts[0][5] is not None:
            collector.quarter_seats(month // 3, sum(part[5] for part in parts), sum(part[6] for part in parts))
    return collector.projection(seed)


def chunk_sizes(draws: int) -> list[int]:
    """The draws of each chunk: ``CHUNKS`` near-equal ones, or one when they would be small."""
    if draws < CHUNKS * SMALLEST_CHUNK:
        return [draws]
    return [draws // CHUNKS + (i < draws % CHUNKS) for i in range(CHUNKS)]


def _months_of(runs: list[_Run], months: int) -> Iterator[tuple[int, list[tuple]]]:
    """Each month's parts from every run, in the runs' order; several runs each in a thread."""
    if len(runs) == 1:
        for month, part in runs[0].months():
            yield month, [part]
        return
    stop = threading.Event()
    queues: list[queue.Queue] = [queue.Queue(maxsize=2) for _ in runs]
    threads = [
        threading.Thread(target=_work, args=(run, out, stop), daemon=True)
        for run, out in zip(runs, queues, strict=True)
    ]
    for thread in threads:
        thread.start()
    try:
        for month in range(months):
            parts = []
            for out in queues:
                item = out.get()
                if isinstance(item, BaseException):
                    raise item
                parts.append(item[1])
            yield month, parts
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def _work(run: _Run, out: queue.Queue, stop: threading.Event) -> None:
    """A thread: the run's months into ``out`` (an error too), until done or told to stop."""
    try:
        for item in run.months():
            if not _hand(out, item, stop):
                return
    except BaseException as error:  # handed to the calling thread, which raises it
        _hand(out, error, stop)


def _hand(out: queue.Queue, item: object, stop: threading.Event) -> bool:
    """Put ``item`` into ``out`` as soon as there is room; False when told to stop first."""
    while not stop.is_set():
        try:
            out.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


class _Run:
    """One chunk of draws, month by month."""

    def __init__(self, plan: PlanInput, seats: SeatArrays, draws: int, rng: np.random.Generator):
        self.plan, self.seats, self.draws, self.rng = plan, seats, draws, rng
        self.n_seats, self.n_teams = len(seats.team), len(seats.teams)
        self.present = np.zeros((draws, self.n_seats), dtype=bool)
        self.original = np.zeros((draws, self.n_seats), dtype=bool)
        shape = (self.n_teams, draws)  # per team and draw: rows of draws
        self.headcount = np.zeros(shape, dtype=np.int64)
        self.full_capacity = np.zeros(shape)
        self.yearly_cost = np.zeros(shape)
        self.open_month = first_open_months(plan.months, plan.frozen)
        self.starts: list[list[np.ndarray]] = [[] for _ in range(plan.months)]
        self.leaves: list[list[np.ndarray]] = [[] for _ in range(plan.months)]
        self.ramping = _Ramping(plan.months)
        self.team_of = None  # with moves between teams: each (draw, seat)'s team, as it moves with its person
        if plan.mobility > 0 and seats.destination_weights.sum() > 0:
            self.team_of = np.broadcast_to(seats.team.astype(np.int32), (draws, self.n_seats)).copy()

    def months(self) -> Iterator[tuple[int, tuple]]:
        """(month, (headcount at its end, capacity, cost, hires, leavers, seats taken and
        seats still held by the start's person at the end of a quarter, else None)), per team
        and draw, the seat counts over this chunk's draws."""
        self._start_people()
        self._open_vacant_seats()
        factors = raise_factors(self.plan.start, self.plan.months, self.plan.yearly_raise, self.plan.raise_month)
        drag = 1.0 + self.plan.mentoring_drag
        for month in range(self.plan.months):
            hires = self._start_hires(month)
            shortfall = self.ramping.shortfall(month, self.draws * self.n_teams).reshape(self.n_teams, self.draws)
            capacity = self.full_capacity - drag * shortfall
            np.maximum(capacity, 0.0, out=capacity)
            cost = self.yearly_cost * (factors[month] / 12.0)
            leavers = self._leave(month)
            if self.team_of is not None:
                self._move()
            taken = held = None
            if month % 3 == 2 or month == self.plan.months - 1:
                taken, held = self.present.sum(axis=0), self.original.sum(axis=0)
            yield month, (self.headcount.astype(np.float64), capacity, cost, hires, leavers, taken, held)

    # --- events --------------------------------------------------------------------------

    def _start_people(self) -> None:
        """The people in their seats at the start: their leaving months, counts and costs."""
        s = self.seats
        taken = np.flatnonzero(s.tenure >= 0)
        if not taken.size:
            return
        exponential = self.rng.standard_exponential((self.draws, taken.size), dtype=np.float32)
        tenure, hazards = s.tenure[taken], s.hazards[:, taken]
        within = cumulative_hazard(tenure + self.plan.months, hazards) - cumulative_hazard(tenure, hazards)
        draw, column = np.nonzero(exponential < within)  # the others stay past the horizon
        after = months_until_leaving(exponential[draw, column], tenure[column], _rows(hazards, column))
        self.present[:, taken] = True
        self.original[:, taken] = True
        teams = s.team[taken]
        self.headcount += np.bincount(teams, minlength=self.n_teams)[:, None]
        self.full_capacity += np.bincount(teams, s.capacity[taken], self.n_teams)[:, None]
        self.yearly_cost += np.bincount(teams, s.start_cost[taken], self.n_teams)[:, None]
        self._start_ramping(taken, draw, column, after)
        self._bucket(self.leaves, draw * self.n_seats + taken[column], after.astype(np.int64))

    def _start_ramping(self, taken: np.ndarray, draw: np.ndarray, column: np.ndarray, after: np.ndarray) -> None:
        """The people of ``taken`` still ramping up at the start (``after``: the leaving months
        of those who leave within the plan, in draws ``draw`` and columns ``column`` of taken)."""
        s = self.seats
        ramping = np.flatnonzero(s.tenure[taken] < s.ramp[taken])
        if not ramping.size:
            return
        where = np.full(taken.size, -1)
        where[ramping] = np.arange(ramping.size)
        leaves = np.full((self.draws, ramping.size), np.inf)
        mine = where[column] >= 0
        leaves[draw[mine], where[column[mine]]] = after[mine]
        seats = taken[ramping]
        keys = (s.team[seats] * self.draws + np.arange(self.draws)[:, None]).ravel()
        joined = np.tile(-s.tenure[seats], self.draws)
        capacity, ramp = np.tile(s.capacity[seats], self.draws), np.tile(s.ramp[seats], self.draws)
        self.ramping.add(0, keys, joined, leaves.ravel(), capacity, ramp)

    def _open_vacant_seats(self) -> None:
        s = self.seats
        vacant = np.flatnonzero(s.tenure < 0)
        flat = (np.arange(self.draws)[:, None] * self.n_seats + vacant).ravel()
        low, high = s.window_low[vacant], s.window_high[vacant]
        if (high - low < 1.0).any():  # a growth driver's fractional hires: one growth draw u per draw
            u = self.rng.random(self.draws)[:, None]
            flat = flat[((low <= u) & (u < high)).ravel()]
        self._search(flat, s.opens[flat % self.n_seats])

    def _search(self, flat: np.ndarray, opens: np.ndarray) -> None:
        """Requisitions of the seats ``flat`` open in months ``opens``: their hires' start months."""
        if not flat.size:
            return
        seat = flat % self.n_seats
        took = fill_months(self.rng, self.seats.fill_days[seat], self.seats.fill_spread[seat])
        start = np.maximum(opens + took, self.seats.earliest[seat])
        start = self.open_month[np.minimum(start, self.plan.months)]
        self._bucket(self.starts, flat, start)

    def _start_hires(self, month: int) -> np.ndarray:
        """Offers of ``month``: accepted ones start, declined ones search again from this month."""
        flat = _take(self.starts, month)
        if not flat.size:
            return np.zeros((self.n_teams, self.draws))
        accepted = self.rng.random(flat.size) < self.seats.acceptance[flat % self.n_seats]
        declined = flat[~accepted]
        if declined.size:
            seat = declined % self.n_seats
            took = fill_months(self.rng, self.seats.fill_days[seat], self.seats.fill_spread[seat])
            start = np.maximum(month + np.maximum(took, 1), self.seats.earliest[seat])
            self._bucket(self.starts, declined, self.open_month[np.minimum(start, self.plan.months)])
        flat = flat[accepted]
        tenure = np.zeros(flat.size, dtype=np.int64)
        after = months_until_leaving(
            self.rng.standard_exponential(flat.size, dtype=np.float32),
            tenure,
            _rows(self.seats.hazards, flat % self.n_seats),
        )
        key = self._team_key(flat)
        self._join(flat, key, month, month + after)
        return np.bincount(key, minlength=self.headcount.size).reshape(self.headcount.shape).astype(np.float64)

    def _join(self, flat: np.ndarray, key: np.ndarray, month: int, leaves: np.ndarray) -> None:
        """New hires start in the seats ``flat`` (team keys ``key``) in ``month``, leave in ``leaves``."""
        seat = flat % self.n_seats
        self.present.reshape(-1)[flat] = True
        self.original.reshape(-1)[flat] = False
        np.add.at(self.headcount.reshape(-1), key, 1)
        np.add.at(self.full_capacity.reshape(-1), key, self.seats.capacity[seat])
        np.add.at(self.yearly_cost.reshape(-1), key, self.seats.hire_cost[seat])
        self.ramping.add(
            month, key, np.full(flat.size, month), leaves, self.seats.capacity[seat], self.seats.ramp[seat]
        )
        self._bucket(self.leaves, flat, np.minimum(leaves, NEVER).astype(np.int64))

    def _leave(self, month: int) -> np.ndarray:
        """The people leaving during ``month``: gone at its end; their seats' requisitions open
        the next month with chance ``backfill``."""
        flat = _take(self.leaves, month)
        shape = self.headcount.shape
        if not flat.size:
            return np.zeros(shape)
        seat, key, size = flat % self.n_seats, self._team_key(flat), self.headcount.size
        was_original = self.original.reshape(-1)[flat]
        cost = np.where(was_original, self.seats.start_cost[seat], self.seats.hire_cost[seat])
        left = np.bincount(key, minlength=size).reshape(shape)
        self.headcount -= left
        np.subtract.at(self.full_capacity.reshape(-1), key, self.seats.capacity[seat])
        np.subtract.at(self.yearly_cost.reshape(-1), key, cost)
        self.present.reshape(-1)[flat] = False
        self.original.reshape(-1)[flat] = False
        refilled = flat[self.rng.random(flat.size) < self.plan.backfill]
        self._search(refilled, np.full(refilled.size, month + 1))
        return left.astype(np.float64)

    def _team_key(self, flat: np.ndarray) -> np.ndarray:
        """Flat (team, draw) index of each flat (draw, seat) index."""
        if self.team_of is not None:
            return self.team_of.reshape(-1)[flat].astype(np.int64) * self.draws + flat // self.n_seats
        return self.seats.team[flat % self.n_seats] * self.draws + flat // self.n_seats

    def _move(self) -> None:
        """Moves between teams at the end of the month: in each draw, Binomial(engineers,
        monthly chance) people in seats with capacity move, each to another team drawn in
        proportion to the teams' engineers at the start; their seat goes with them."""
        movers = moving_people(self.rng, self.plan.mobility, self.seats, self.present, self.full_capacity)
        if movers is None:
            return
        draw, seat = movers
        source = self.team_of[draw, seat]
        target = destinations(self.rng, self.seats.destination_weights, source)
        keep = target != source
        draw, seat, source, target = draw[keep], seat[keep], source[keep], target[keep]
        flat = draw * self.n_seats + seat
        cost = np.where(self.original.reshape(-1)[flat], self.seats.start_cost[seat], self.seats.hire_cost[seat])
        capacity = self.seats.capacity[seat]
        for teams, sign in ((source, -1), (target, 1)):
            key = teams.astype(np.int64) * self.draws + draw
            np.add.at(self.headcount.reshape(-1), key, sign)
            np.add.at(self.full_capacity.reshape(-1), key, sign * capacity)
            np.add.at(self.yearly_cost.reshape(-1), key, sign * cost)
        self.team_of[draw, seat] = target

    def _bucket(self, buckets: list[list[np.ndarray]], flat: np.ndarray, months: np.ndarray) -> None:
        """File each event under its month; months past the horizon are dropped."""
        inside = months < self.plan.months
        flat, months = flat[inside], months[inside]
        if not flat.size:
            return
        order = np.argsort(months.astype(np.int16), kind="stable")  # a radix sort: months < 2**15
        flat, months = flat[order], months[order]
        cuts = np.flatnonzero(np.diff(months)) + 1
        for group in np.split(np.arange(flat.size), cuts):
            buckets[int(months[group[0]])].append(flat[group])


class _Ramping:
    """What the people still ramping up fall short of full capacity, filed per month as it is
    known at their start: in month m, capacity x (1 - productivity) per (team, draw) key."""

    def __init__(self, months: int) -> None:
        self.months = months
        self.parts: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(months)]

    def add(self, now: int, key, joined, leaves, capacity, ramp) -> None:
        """People in their first month ``now`` or earlier (``joined``), leaving in ``leaves``."""
        keep = (ramp > 0) & (capacity > 0) & (now - joined < ramp)
        if not keep.any():
            return
        key, joined, leaves, capacity, ramp = key[keep], joined[keep], leaves[keep], capacity[keep], ramp[keep]
        # months each still ramps in the plan from now: until tenure reaches ramp, they leave, or the plan ends
        ramping = np.ceil(ramp - (now - joined))
        months = np.minimum(np.minimum(ramping, leaves - now + 1), self.months - now).astype(np.int16)
        order = np.argsort(-months, kind="stable")  # the longest first: those of month now + i are a prefix
        key, joined, capacity, ramp, months = key[order], joined[order], capacity[order], ramp[order], months[order]
        lasting = np.bincount(months, minlength=1)[::-1].cumsum()[::-1]  # lasting[i]: entries with months >= i
        for offset in range(1, len(lasting)):
            count, month = int(lasting[offset]), now + offset - 1
            productivity = np.minimum(1.0, (month - joined[:count] + 0.5) / ramp[:count])
            self.parts[month].append((key[:count], capacity[:count] * (1.0 - productivity)))

    def shortfall(self, month: int, size: int) -> np.ndarray:
        parts, self.parts[month] = self.parts[month], []
        if not parts:
            return np.zeros(size)
        return np.bincount(np.concatenate([k for k, _ in parts]), np.concatenate([w for _, w in parts]), size)


def moving_people(
    rng: np.random.Generator, mobility: float, seats: SeatArrays, present: np.ndarray, full_capacity: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """(draw, seat) of this month's movers, distinct: per draw Binomial(n, 1 - (1 - mobility)^(1/12))
    with n its people in seats with capacity (their full capacity, rounded), each a uniformly
    drawn such seat that is taken (the first taken of four drawn, drawn again while none is,
    up to 50 times)."""
    movable = seats.movable
    if movable.size == 0:
        return None
    engineers = np.rint(full_capacity.sum(axis=0)).astype(np.int64)
    count = rng.binomial(np.maximum(engineers, 0), 1.0 - (1.0 - mobility) ** (1 / 12))
    if not count.any():
        return None
    draw = np.repeat(np.arange(count.size), count)
    tries = movable[rng.integers(0, movable.size, (draw.size, 4))]  # four at once: most movers need one round
    found = present[draw[:, None], tries]
    first = found.argmax(axis=1)
    seat = tries[np.arange(draw.size), first]
    for _ in range(50):
        empty = ~present[draw, seat]
        if not empty.any():
            break
        seat[empty] = movable[rng.integers(0, movable.size, int(empty.sum()))]
    taken = present[draw, seat]
    flat = np.sort(draw[taken] * present.shape[1] + seat[taken])
    flat = flat[np.r_[True, flat[1:] != flat[:-1]]]  # each mover once
    return flat // present.shape[1], flat % present.shape[1]


def destinations(rng: np.random.Generator, weights: np.ndarray, source: np.ndarray) -> np.ndarray:
    """A team for each mover, drawn in proportion to ``weights`` among the teams other than
    their ``source``: a uniform over the other teams' total weight, skipping the source's
    stretch of the cumulative weights (no other team with weight: they stay)."""
    cumulative = np.cumsum(weights)
    own = weights[source]
    below = cumulative[source] - own  # where the source's stretch begins
    point = rng.random(source.size) * (cumulative[-1] - own)
    point = point + own * (point >= below)
    target = np.minimum(np.searchsorted(cumulative, point, side="right"), weights.size - 1)
    return np.where(cumulative[-1] - own > 0, target, source).astype(np.int32)  # no other team: they stay


def _rows(table: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """``table[:, columns]`` as a tuple of rows: three 1-D gathers are much faster than one 2-D."""
    return tuple(row[columns] for row in table)


def _take(buckets: list[list[np.ndarray]], month: int) -> np.ndarray:
    parts, buckets[month] = buckets[month], []
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
