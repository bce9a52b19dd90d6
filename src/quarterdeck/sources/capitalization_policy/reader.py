"""Reading the capitalization policy file: one unit, refused whole when any part is wrong;
a file read in full replaces the stored policy and phase rules of the source."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quarterdeck.core.errors import SourceError
from quarterdeck.sources.capitalization_policy.policy import Policy, parse_policy
from quarterdeck.sources.investment_rules.reader import file_text, one_file_unit, refusal
from quarterdeck.sources.investment_rules.rules import DEFAULT_CATEGORIES
from quarterdeck.sources.reading import Batch, Connection, Replace, Rows, StoredState, SyncResult, Unit

RESOURCES = ("capitalization policy", "capitalization phases")
TABLES = ("capitalization_policy", "capitalization_phases")


@contextmanager
def read_capitalization_policy(connection: Connection) -> Iterator[Iterator[Unit]]:
    yield one_file_unit(connection, "the capitalization policy is one file, and each replaces the stored one",
                        RESOURCES, read_file)  # fmt: skip


def read_file(connection: Connection, path: Path, state: StoredState) -> Batch:
    text = file_text(path)
    stored = set(state.stored("investment_categories", "category", "name"))
    categories = (stored or set(DEFAULT_CATEGORIES)) - {"uncategorized"}
    found = parse_policy(text, categories)
    if found.problems:
        raise SourceError(refusal(str(path), found.problems, "the stored policy stays"))
    return batch(connection, str(path), found)


def batch(connection: Connection, file: str, found: Policy) -> Batch:
    name = connection.config.name
    constants = {"source": name, "loaded_at": connection.context.loaded_at, "file": file}
    policy, phases = (SyncResult(name, Path(file).name, resource) for resource in RESOURCES)
    policy.read, phases.read = 1, len(found.rules)
    row = {
        "categories": found.categories,
        "phases": found.phases,
        "default_phase": found.default_phase,
        "project_by": found.project_by,
        "line": found.line,
    }
    return Batch(
        [policy, phases],
        rows=[
            Rows("capitalization_policy", [row], constants, counts=policy),
            Rows("capitalization_phases", found.rules, constants, counts=phases),
        ],
        replace=[Replace(table, {"source": name}) for table in TABLES],
        problems={resource: [] for resource in RESOURCES},
    )
