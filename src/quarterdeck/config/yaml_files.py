"""Reading the YAML files users write (project file, targets, access): every mistake is a
ConfigError naming the file and, for syntax, the line. Reading is bounded (nesting depth,
alias expansion: ``quarterdeck.core.documents``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from quarterdeck.core.documents import DocumentError, load_yaml
from quarterdeck.core.errors import ConfigError


def read_yaml(path: Path, what: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The document in ``path`` (``what`` names the file in messages: "targets file"...)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the {what} ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        return load_yaml(text, loader)
    except DocumentError as exc:
        line = f":{exc.line}" if exc.line else ""
        raise ConfigError(f"{path}{line}: {exc.problem}") from None


class LineMapping(dict[Any, Any]):
    """A YAML mapping that knows its line, its keys' lines and the keys given twice."""

    line: int
    key_lines: dict[Any, int]
    repeated: list[Any]


class LineList(list[Any]):
    """A YAML sequence that knows the line of each of its items."""

    lines: list[int]


class LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and sequences remember their lines (1-based)."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Iterator[LineMapping]:
    data = LineMapping()
    data.line = node.start_mark.line + 1
    data.key_lines, data.repeated = {}, []
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            if key_node.value in data.key_lines:
                data.repeated.append(key_node.value)
            data.key_lines.setdefault(key_node.value, key_node.start_mark.line + 1)
    yield data
    data.update(loader.construct_mapping(node))


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
