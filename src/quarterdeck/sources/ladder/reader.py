"""Reading a ladder file: checked whole (file:line errors), then stored as the one current
ladder; the HR levels of the stored people must all map onto it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from quarterdeck.config.ladder_file import Ladder, default_ladder, parse_ladder
from quarterdeck.core.errors import ConfigError, SourceError
from quarterdeck.sources.reading import Batch, Connection, Rows, StoredState, SyncResult, Unit
from quarterdeck.sources.table_files import read_text

RESOURCE = "ladder"


@contextmanager
def read_ladder(connection: Connection) -> Iterator[Iterator[Unit]]:
    files = [Path(file) for file in connection.config.scopes]
    if len(files) > 1:
        raise SourceError("a ladder is one file: give one (the last one imported is the ladder)")
    yield (Unit(file.name, (RESOURCE,), partial(read_file, connection, file)) for file in files)


def read_file(connection: Connection, path: Path, state: StoredState) -> Batch:
    result = SyncResult(connection.config.name, path.name, RESOURCE)
    try:
        text = read_text(path)
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        ladder = parse_ladder(text, str(path))
    except ConfigError as exc:
        raise SourceError(f"ladder refused, nothing of it stored: {exc}") from None
    missing = unmapped_levels(ladder, state.stored("person_periods", "level", "person_id"))
    if missing:
        raise SourceError(f"ladder refused, nothing of it stored: {path}: {missing}")
    result.read = 1
    row = {"slot": "current", "name": ladder.name, "document": text, "file": str(path)}
    stamp = {"source": connection.config.name, "loaded_at": connection.context.loaded_at}
    return Batch([result], rows=[Rows("ladders", [row], stamp, counts=result)], problems={RESOURCE: []})


def unmapped_levels(ladder: Ladder, people_by_level: dict[str, str]) -> str:
    """What is wrong when HR levels (each with a person holding it) are not on the ladder."""
    lacking = sorted((str(level), person) for level, person in people_by_level.items() if level is not None
                     and ladder.ladder_level(str(level)) is None)  # fmt: skip
    if not lacking:
        return ""
    shown = ", ".join(f"{level} (held by {person} in the people exports)" for level, person in lacking)
    return (
        f"HR level(s) the ladder lacks: {shown}; add them to the ladder's levels or map them "
        "under hr_levels (such as L4: IC3)"
    )


def stored_ladder(state: StoredState) -> Ladder:
    """The imported ladder, else the built-in one."""
    documents = state.stored("ladders", "file", "document")
    if not documents:
        return default_ladder()
    file, text = next(iter(documents.items()))
    return parse_ladder(text, file)
