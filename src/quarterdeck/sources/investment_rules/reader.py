"""Reading the investment rules file: one unit, refused whole when any part is wrong; a file
read in full replaces every stored category, rule and objective of the source."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from quarterdeck.core.errors import ConfigError, SourceError
from quarterdeck.sources.investment_rules.rules import Problem, RuleSet, parse_rules
from quarterdeck.sources.reading import Batch, Connection, Replace, Rows, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import SHOWN_PROBLEMS, read_text

RESOURCES = ("investment rules", "investment categories", "investment objectives")
TABLES = ("investment_categories", "investment_rules", "investment_objectives")


@contextmanager
def read_investment_rules(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield one_file_unit(connection, "the investment rules are one file, and each replaces the stored rules",
                        RESOURCES, read_file)  # fmt: skip


def one_file_unit(
    connection: Connection,
    rule: str,
    resources: tuple[str, ...],
    read: Callable[[Connection, Path, StoredState], Batch],
) -> Iterator[Unit]:
    """The one unit of a source whose file replaces everything it stored (the investment
    rules, the capitalization policy): ``rule`` says so when more than one file is given."""
    config = connection.config
    if len(config.scopes) != 1:
        raise ConfigError(f"{config.where()}: {rule}: give one file, not {len(config.scopes)}")
    path = Path(config.scopes[0])
    return iter([Unit(path.name, resources, lambda state: read(connection, path, state))])


def file_text(path: Path) -> str:
    """The file's text; a file that cannot be read is refused, naming why."""
    try:
        return read_text(path)
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None


def read_file(connection: Connection, path: Path, state: StoredState) -> Batch:
    found = parse_rules(file_text(path))
    if found.problems:
        raise SourceError(refusal(str(path), found.problems, "the stored rules stay"))
    return batch(connection, str(path), found)


def refusal(file: str, problems: list[Problem], kept: str) -> str:
    """A file refused: its first problems (file:line each), how many more, and what stays."""
    problems = sorted(problems, key=lambda p: p.line)
    shown = "\n".join(f"  {file}:{p.line}: {p.message}" for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    rest = f"\n  ... and {more} more" if more > 0 else ""
    return f"{file} refused, nothing of it stored, {kept} ({len(problems)} problem(s)):\n{shown}{rest}"


def batch(connection: Connection, file: str, found: RuleSet) -> Batch:
    name = connection.config.name
    constants = {"source": name, "loaded_at": connection.context.loaded_at, "file": file}
    results = [SyncResult(name, Path(file).name, resource) for resource in RESOURCES]
    rules, categories, objectives = results
    rules.read, categories.read, objectives.read = len(found.rules), len(found.categories), len(found.objectives)
    category_rows = [
        {"category": key, "name": shown, "position": n, "line": line}
        for n, (key, shown, line) in enumerate(found.categories, start=1)
    ]
    objective_rows = [
        {"epic": epic, "objective": objective, "name": shown, "line": line}
        for epic, objective, shown, line in found.objectives
    ]
    return Batch(
        results,
        rows=[
            Rows("investment_categories", category_rows, constants, counts=categories),
            Rows("investment_rules", found.rules, constants, counts=rules),
            Rows("investment_objectives", objective_rows, constants, counts=objectives),
        ],
        replace=[Replace(table, {"source": name}) for table in TABLES],
        problems={resource: [] for resource in RESOURCES},
    )
