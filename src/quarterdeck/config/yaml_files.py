"""Reading the YAML files users write (project file, targets, access): every mistake is a
ConfigError naming the file and, for syntax, the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        hint = "; indent with spaces, not tabs" if "'\\t'" in problem else ""
        raise ConfigError(f"{path}{line}: not valid YAML ({problem}{hint})") from None
