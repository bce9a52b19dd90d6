"""The plans folder (setting ``plans.folder``): which file is a plan, a build-vs-buy decision,
an initiatives file or a proposed org, as the dashboard's Plans area lists them.

A file's kind is told from its top-level keys by each reader's ``looks_like`` (a plan has
``hiring``, ``horizon`` or ``scenarios``; a decision ``options`` with a build and a buy; an
initiatives file ``initiatives``; a proposed org ``moves`` or a ``teams`` mapping). A file that
is none of them, or that cannot be read as YAML, is listed with what is wrong, never skipped
silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quarterdeck.config.yaml_files import read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.planning import decide_file, initiative_file, plan_file, reorg_file

#: (kind, what it is in words, the command that runs it, its dashboard page or None)
KINDS: tuple[tuple[str, str, str, str | None], ...] = (
    ("plan", "headcount, capacity and cost plan", "quarterdeck plan run", "/plans/plan/"),
    ("build-vs-buy", "build-vs-buy decision", "quarterdeck decide build-vs-buy", "/plans/decision/"),
    ("initiatives", "initiative ROI", "quarterdeck decide roi", "/plans/roi/"),
    ("proposed-org", "proposed reorganization", "quarterdeck org what-if", "/plans/org/"),
)
#: The most particular first: an initiatives file has a horizon too, as a plan does.
_TESTS: dict[str, Callable[[Any], bool]] = {
    "initiatives": initiative_file.looks_like,
    "build-vs-buy": decide_file.looks_like,
    "plan": plan_file.looks_like,
    "proposed-org": reorg_file.looks_like,
}
SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PlanEntry:
    """One YAML file of the plans folder."""

    file: str
    kind: str | None  # None: not a file Quarterdeck knows
    title: str  # the file's own name: field, else the file name
    what: str = ""
    command: str = ""
    page: str | None = None  # the dashboard page's path
    problem: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "kind": self.kind, "title": self.title, "what": self.what,
                "command": f"{self.command} {self.file}" if self.command else None,
                "page": self.page, "problem": self.problem}  # fmt: skip


def plan_entries(folder: Path) -> list[PlanEntry]:
    """Every YAML file directly in ``folder``, by name; none when the folder does not exist."""
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in SUFFIXES and not p.name.startswith("."))
    return [entry_of(path) for path in files]


def entry_of(path: Path) -> PlanEntry:
    try:
        data = read_yaml(path, "plans file")
    except ConfigError as exc:
        return PlanEntry(path.name, None, path.name, problem=str(exc).replace(f"{path.parent}/", ""))
    kind = kind_of(data)
    title = str(data.get("name") or data.get("title") or path.name) if isinstance(data, Mapping) else path.name
    if kind is None:
        expected = "a plan (hiring, horizon or scenarios), a decision (options), initiatives or a proposed org (moves)"
        return PlanEntry(
            path.name, None, title, problem=f"{path.name}: not a file of a known kind: expected {expected}"
        )
    _, what, command, page = next(k for k in KINDS if k[0] == kind)
    return PlanEntry(path.name, kind, title, what, command, f"{page}{path.name}" if page else None)


def kind_of(data: Any) -> str | None:
    """The kind of a parsed plans-folder document, or None."""
    if not isinstance(data, Mapping):
        return None
    return next((kind for kind, test in _TESTS.items() if test(data)), None)
