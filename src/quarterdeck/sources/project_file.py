"""The sources of the project file ``quarterdeck.yaml``, checked against their declarations.

::

    sources:
      - type: github                 # any declared source: quarterdeck ingest --help lists them
        repositories: [our-org/api, our-org/web]
        since: 2025-01-01            # first sync only (default: everything)
      - type: github                 # a second connection: GitHub Enterprise Server
        name: ghe                    # names must be unique (default: the type)
        base_url: https://ghe.example.com/api/v3
        token_env: GHE_TOKEN         # which environment variable holds the token
        repositories: [platform/deploy]

Each type's list of what to read is its *scope* key; the other keys are its options. Tokens
never come from this file: only the *name* of the environment variable holding one does
(``token_env``, with a default per type).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from quarterdeck.config.sources import SourceConfig
from quarterdeck.config.yaml_files import read_yaml
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources import declared, source_named
from quarterdeck.sources.frame import Source, env_name

COMMON_KEYS = {"type", "name", "base_url", "token_env", "since"}


def load_sources(path: Path) -> list[SourceConfig]:
    """The sources of a project file; any mistake raises ConfigError naming the file and entry."""
    document = read_yaml(path, "project file")
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise ConfigError(f"{path}: expected a mapping with a list 'sources:' (see docs/connectors.md)")
    sources = [
        configured(entry, f"{path}, source {i}", path.parent) for i, entry in enumerate(document["sources"], start=1)
    ]
    names = [s.name for s in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"{path}: two sources are named {twice[0]!r}; give each connection its own 'name:'")
    return sources


def configured(entry: Any, origin: str, folder: Path | None = None) -> SourceConfig:
    """One entry of ``sources:`` as a connection, checked against its source's declaration.
    A file source's files, and options that are paths, are read relative to ``folder`` (the
    project file's)."""
    if not isinstance(entry, dict):
        raise ConfigError(f"{origin}: expected a mapping with 'type:', not {type(entry).__name__}")
    every = declared().sources
    kinds = [name for name, source in every.items() if source.runs_in_pipeline]
    kind = entry.get("type")
    if kind in every and kind not in kinds:
        raise ConfigError(f"{origin}: {kind} is read with `quarterdeck ingest {kind} ...`, not from the project file")
    if kind not in kinds:
        raise ConfigError(f"{origin}: 'type' must be one of {', '.join(kinds)}, not {kind!r}")
    source = every[kind]
    token_env = entry.get("token_env", source.token_env or "")
    if ("token_env" in entry or token_env) and not env_name(token_env):
        raise ConfigError(f"{origin}: 'token_env' must name an environment variable, such as {source.token_env}")
    scope_key = source.scope.key if source.scope else ""
    scopes = entry.get(scope_key) or [] if scope_key else []
    if not isinstance(scopes, list):
        raise ConfigError(f"{origin}: '{scope_key}' must be a list")
    if source.kind == "file" and folder is not None:
        scopes = [str(folder / s) if isinstance(s, str) else s for s in scopes]
    base_url = _base_url(source, entry.get("base_url", source.default_base_url), origin)
    options = {k: v for k, v in entry.items() if k not in COMMON_KEYS and k != scope_key}
    for option in source.options if folder is not None else ():
        if option.path and isinstance(options.get(option.name), str):
            options[option.name] = str(folder / options[option.name])
    name = str(entry.get("name") or kind)
    since = _since(entry.get("since"), origin)
    config = SourceConfig(kind, name, base_url, token_env, tuple(scopes), since, options, origin)
    check_options(source, config)
    return config


def one_off(kind: str, scopes: tuple[Any, ...], base_url: str | None = None, **options: Any) -> SourceConfig:
    """A source given on the command line (``quarterdeck ingest github --repo ...``)."""
    source = source_named(kind)
    config = SourceConfig(
        kind, kind, base_url or source.default_base_url, source.token_env or "", scopes, None, options
    )
    check_options(source, config)
    return config


def check_options(source: Source, config: SourceConfig) -> None:
    """Every option of ``config`` is one ``source`` declares, with a value it accepts; every
    scope entry is one it accepts."""
    known = {o.name for o in source.options}
    unknown = sorted(set(config.options) - known)
    if unknown:
        allowed = f" (known: {', '.join(sorted(known))})" if known else ""
        raise ConfigError(f"{config.where()}: unknown option {unknown[0]!r} for a {source.name} source{allowed}")
    for option in source.options:
        if option.name in config.options and not option.valid(config.options[option.name]):
            raise ConfigError(f"{config.where()}: '{option.name}' must be {option.expected}")
    scope = source.scope
    for entry in config.scopes:
        if scope is not None and scope.valid is not None and not scope.valid(entry):
            raise ConfigError(f"{config.where()}: {scope.entry} must be {scope.expected}, not {entry!r}")


def _base_url(source: Source, base_url: Any, origin: str) -> str | None:
    if source.kind != "api":
        return None
    if base_url is None:
        raise ConfigError(
            f"{origin}: a {source.name} source needs 'base_url' (the address of your {source.name} instance)"
        )
    if not isinstance(base_url, str) or not re.match(r"^https?://", base_url):
        raise ConfigError(f"{origin}: 'base_url' must be an http(s) address, not {base_url!r}")
    return base_url


def _since(value: Any, origin: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{origin}: 'since' must be a date such as 2025-01-01, not {value!r}") from None
