"""Seeded randomness that gives the same numbers on every machine and Python version.

Only ``random.Random.random()`` is used (its Mersenne Twister stream is stable across
Python versions, unlike the helpers built on it); every distribution is derived from it
here. Each part of the simulation draws from its own stream (``child("git", "api")``), so
adding draws to one part never changes another's output.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Rng:
    """A stream of random numbers named by a seed and a path of names."""

    def __init__(self, seed: int, *names: str):
        self.seed, self.names = seed, names
        digest = hashlib.sha256("/".join([str(seed), *names]).encode()).digest()
        self._random = random.Random(int.from_bytes(digest[:8], "big"))

    def child(self, *names: str) -> Rng:
        """An independent stream for a part of the simulation."""
        return Rng(self.seed, *self.names, *names)

    def random(self) -> float:
        """Uniform in [0, 1)."""
        return self._random.random()

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def integer(self, low: int, high: int) -> int:
        """Uniform whole number in [low, high] (both included)."""
        return low + min(int(self.random() * (high - low + 1)), high - low)

    def choice(self, items: Sequence[T]) -> T:
        return items[self.integer(0, len(items) - 1)]

    def weighted(self, items: Sequence[T], weights: Sequence[float]) -> T:
        """One item, drawn with probability proportional to its weight."""
        point = self.random() * sum(weights)
        for item, weight in zip(items, weights, strict=True):
            point -= weight
            if point < 0:
                return item
        return items[-1]

    def shuffle(self, items: list[T]) -> list[T]:
        """Shuffle in place (Fisher-Yates) and return the list."""
        for i in range(len(items) - 1, 0, -1):
            j = self.integer(0, i)
            items[i], items[j] = items[j], items[i]
        return items

    def sample(self, items: Sequence[T], count: int) -> list[T]:
        """``count`` distinct items (all of them when there are fewer)."""
        return self.shuffle(list(items))[: max(0, count)]

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        """Box-Muller, one value per two uniforms (no cached state to depend on)."""
        u1, u2 = 1.0 - self.random(), self.random()
        return mean + sd * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def lognormal(self, median: float, sigma: float) -> float:
        """A positive value whose median is ``median`` and log standard deviation ``sigma``:
        the shape of waits and durations (most short, a long tail)."""
        return median * math.exp(sigma * self.normal())

    def exponential(self, mean: float) -> float:
        return -mean * math.log(1.0 - self.random())

    def poisson(self, mean: float) -> int:
        """Counts of events (Knuth's method below 30, a rounded normal above)."""
        if mean <= 0:
            return 0
        if mean > 30:
            return max(0, round(self.normal(mean, math.sqrt(mean))))
        limit, count, product = math.exp(-mean), 0, self.random()
        while product > limit:
            count += 1
            product *= self.random()
        return count


# -- integer draws on a plain random.Random ------------------------------------------------
# The fixture generators (``fixtures_org``, ``synthetic_repo``) predate ``Rng`` and their
# committed outputs are fixed by the exact draws below: integer draws only (``randrange``),
# which give the same numbers on every platform. Keep them as they are.


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, uniformly: one ``randrange`` draw."""
    return items[rng.randrange(len(items))]


def per_mille(rng: random.Random, chance: int) -> bool:
    """True with probability ``chance`` / 1000."""
    return rng.randrange(1000) < chance


class Weighted:
    """A weighted choice with integer draws only (``random.choices`` draws floats)."""

    def __init__(self, pairs: Sequence[tuple[T, int]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random):  # the item type of the pairs
        return self.items[bisect.bisect_right(self.cum, rng.randrange(self.cum[-1]))]
