"""A career ladder as data (docs/ladders.md): tracks (IC, manager...) with their levels in
order, a rating scale, competencies with what each level expects in words and the rating
that meets it, and how the HR export's levels map onto the ladder's.

:func:`parse_ladder` reads the YAML text of a ladder file; every mistake is a ConfigError
naming ``file:line`` and what was expected. :func:`default_ladder` is the engineering ladder
Quarterdeck ships (``default_ladder.yaml``, written for Quarterdeck), used when none is
imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from quarterdeck.config.yaml_files import LineLoader
from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.core.errors import ConfigError

DEFAULT_NAME = "default engineering ladder (built in)"
_TOP = ("name", "scale", "tracks", "competencies", "hr_levels")
_LEVEL_KEYS = ("id", "title")
_COMPETENCY_KEYS = ("name", "summary", "expectations")
_EXPECTATION_KEYS = ("expect", "rating")


@dataclass(frozen=True)
class Level:
    id: str
    title: str
    track: str
    rank: int  # 0 for the first level of its track


@dataclass(frozen=True)
class Expectation:
    level: str
    text: str
    rating: int


@dataclass(frozen=True)
class Competency:
    name: str
    summary: str
    expectations: tuple[Expectation, ...]


@dataclass(frozen=True)
class Ladder:
    """A ladder; ``where`` names the file it came from."""

    name: str
    where: str
    scale: dict[int, str]  # rating -> its word, lowest first
    levels: tuple[Level, ...]  # every track's levels, each track in order
    competencies: tuple[Competency, ...]
    hr_levels: dict[str, str] = field(default_factory=dict)  # HR level -> ladder level id

    def level(self, level_id: str) -> Level | None:
        return next((level for level in self.levels if level.id == level_id), None)

    def next_level(self, level_id: str) -> Level | None:
        """The level after ``level_id`` in its track (None at the top or when unknown)."""
        level = self.level(level_id)
        if level is None:
            return None
        return next((x for x in self.levels if x.track == level.track and x.rank == level.rank + 1), None)

    def expected_at(self, level_id: str) -> dict[str, int]:
        """The rating each competency expects at ``level_id`` (competencies without one skipped)."""
        return {c.name: e.rating for c in self.competencies for e in c.expectations if e.level == level_id}

    def ladder_level(self, hr_level: str) -> str | None:
        """The ladder level an HR level stands for: the mapping's, else the same id."""
        mapped = self.hr_levels.get(hr_level)
        if mapped is not None:
            return mapped
        return hr_level if self.level(hr_level) else None

    def rating(self, value: str) -> int:
        """A rating on the scale, as its number or its word (any case); ValueError otherwise."""
        words = {word.lower(): rating for rating, word in self.scale.items()}
        text = value.strip()
        if text.lstrip("+").isdigit() and int(text) in self.scale:
            return int(text)
        if text.lower() in words:
            return words[text.lower()]
        shown = ", ".join(f"{rating} ({word})" for rating, word in self.scale.items())
        raise ValueError(f"a rating on the ladder's scale: {shown}")


def parse_ladder(text: str, where: str) -> Ladder:
    """The ladder in the YAML ``text`` of the file ``where``."""
    try:
        data = load_yaml(text, LineLoader)
    except DocumentError as exc:
        line = f":{exc.line}" if exc.line else ""
        raise ConfigError(f"{where}{line}: {exc.problem}") from None
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}:1: a ladder file is a mapping with {', '.join(_TOP)}")
    return _Reader(where).ladder(data)


@cache
def default_ladder() -> Ladder:
    text = files("quarterdeck.config").joinpath("default_ladder.yaml").read_text(encoding="utf-8")
    return parse_ladder(text, DEFAULT_NAME)


class _Reader:
    def __init__(self, where: str) -> None:
        self.where = where

    def at(self, node: Any, key: Any = None) -> str:
        lines = getattr(node, "key_lines", {})
        line = lines.get(key) if key is not None else None
        return f"{self.where}:{line or getattr(node, 'line', 1)}"

    def fail(self, node: Any, key: Any, message: str) -> ConfigError:
        return ConfigError(f"{self.at(node, key)}: {message}")

    def keys(self, node: Mapping, known: tuple[str, ...], what: str, required: tuple[str, ...]) -> None:
        for key in node:
            if key not in known:
                raise self.fail(node, key, f"unknown key {key!r} in {what}: expected {', '.join(known)}")
        for key in getattr(node, "repeated", []):
            raise self.fail(node, key, f"{key!r} is given twice in {what}")
        for key in required:
            if key not in node:
                raise self.fail(node, None, f"{what} lacks {key!r}")

    def ladder(self, data: Mapping) -> Ladder:
        self.keys(data, _TOP, "a ladder file", ("scale", "tracks", "competencies"))
        scale = self.scale(data)
        levels = self.tracks(data)
        ids = {level.id for level in levels}
        competencies = self.competencies(data, ids, scale)
        hr_levels = self.hr_levels(data, ids)
        name = str(data.get("name") or self.where)
        return Ladder(name, self.where, scale, levels, competencies, hr_levels)

    def scale(self, data: Mapping) -> dict[int, str]:
        node = data["scale"]
        if not isinstance(node, Mapping) or not node:
            raise self.fail(data, "scale", "scale: expected ratings as numbers with their words, such as 3: meets")
        scale: dict[int, str] = {}
        for rating, word in node.items():
            if not isinstance(rating, int) or isinstance(rating, bool) or rating < 0:
                raise self.fail(node, rating, f"scale: {rating!r} is not a rating: expected a whole number")
            if not isinstance(word, str) or not word.strip() or word.strip().isdigit():
                raise self.fail(node, rating, f"scale: rating {rating} needs a word (such as 'meets')")
            scale[rating] = word.strip()
        if len({w.lower() for w in scale.values()}) < len(scale):
            raise self.fail(data, "scale", "scale: two ratings have the same word")
        return dict(sorted(scale.items()))

    def tracks(self, data: Mapping) -> tuple[Level, ...]:
        node = data["tracks"]
        if not isinstance(node, Mapping) or not node:
            raise self.fail(data, "tracks", "tracks: expected tracks by name (IC, manager...), each a list of levels")
        levels: list[Level] = []
        for track, spec in node.items():
            if not isinstance(spec, list) or not spec:
                raise self.fail(node, track, f"track {track}: expected its levels in order, lowest first")
            for rank, item in enumerate(spec):
                line = f"{self.where}:{spec.lines[rank]}" if hasattr(spec, "lines") else self.where
                level = self.level(item, str(track), rank, line)
                if any(known.id == level.id for known in levels):
                    raise ConfigError(f"{line}: level {level.id} is given twice: a level belongs to one track")
                levels.append(level)
        return tuple(levels)

    def level(self, item: Any, track: str, rank: int, line: str) -> Level:
        if isinstance(item, str | int) and not isinstance(item, bool):
            return Level(str(item), str(item), track, rank)
        if not isinstance(item, Mapping) or "id" not in item:
            raise ConfigError(f"{line}: a level is an id (IC3) or a mapping with id and title")
        self.keys(item, _LEVEL_KEYS, f"level {item.get('id')}", ("id",))
        return Level(str(item["id"]), str(item.get("title") or item["id"]), track, rank)

    def competencies(self, data: Mapping, ids: set[str], scale: dict[int, str]) -> tuple[Competency, ...]:
        node = data["competencies"]
        if not isinstance(node, list) or not node:
            raise self.fail(data, "competencies", "competencies: expected a list of competencies")
        found: list[Competency] = []
        for item in node:
            if not isinstance(item, Mapping):
                raise self.fail(data, "competencies", "a competency is a mapping with name and expectations")
            self.keys(item, _COMPETENCY_KEYS, f"competency {item.get('name', '')}".strip(), ("name", "expectations"))
            name = " ".join(str(item["name"]).split())
            if any(c.name.lower() == name.lower() for c in found):
                raise self.fail(item, "name", f"competency {name!r} is given twice")
            found.append(Competency(name, str(item.get("summary") or ""), self.expectations(item, name, ids, scale)))
        return tuple(found)

    def expectations(self, item: Mapping, name: str, ids: set[str], scale: dict[int, str]) -> tuple[Expectation, ...]:
        node = item["expectations"]
        if not isinstance(node, Mapping) or not node:
            raise self.fail(item, "expectations", f"competency {name}: expectations by level, each expect and rating")
        found = []
        for level, spec in node.items():
            if str(level) not in ids:
                raise self.fail(node, level, f"competency {name}: level {level} is not a level of the ladder's tracks")
            if not isinstance(spec, Mapping):
                raise self.fail(node, level, f"competency {name} at {level}: expected expect (words) and rating")
            self.keys(spec, _EXPECTATION_KEYS, f"competency {name} at {level}", _EXPECTATION_KEYS)
            rating = spec["rating"]
            if rating not in scale or isinstance(rating, bool):
                shown = "a rating of the scale: " + ", ".join(str(r) for r in scale)
                raise self.fail(spec, "rating", f"competency {name} at {level}: {rating!r}: expected {shown}")
            found.append(Expectation(str(level), " ".join(str(spec["expect"]).split()), int(rating)))
        return tuple(found)

    def hr_levels(self, data: Mapping, ids: set[str]) -> dict[str, str]:
        node = data.get("hr_levels") or {}
        if not isinstance(node, Mapping):
            raise self.fail(data, "hr_levels", "hr_levels: expected HR level: ladder level, such as L4: IC3")
        for hr_level, level in node.items():
            if str(level) not in ids:
                raise self.fail(node, hr_level, f"hr_levels: {hr_level} maps to {level}, not a level of the ladder")
        return {str(k): str(v) for k, v in node.items()}
