"""``quarterdeck ingest <source>``, made from the source's declaration: its flags, help,
examples and checks (``quarterdeck.sources.frame``); every source's command works alike."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.context import db_options, format_option, resolve_settings
from quarterdeck.cli.source_runs import run_sources, since_option
from quarterdeck.core.errors import ConfigError
from quarterdeck.sources import source_named
from quarterdeck.sources.frame import Flag, Source
from quarterdeck.sources.project_file import one_off


def source_command(name: str) -> click.Command:
    """The ingest command of the source ``name``."""
    source = source_named(name)
    if source.command:  # a command of its own: a command, or a maker of one given the name
        module, attribute = source.command.split(":")
        found = getattr(importlib.import_module(module), attribute)
        return found if isinstance(found, click.Command) else found(name)

    def run(since: Any, db: Path | None, config_file: Path | None, output_format: str, **given: Any) -> None:
        paths = given.pop("paths", ())
        base_url, scopes, options = command_line_source(source, given)
        scopes = tuple(str(path) for path in paths) + scopes
        settings = resolve_settings(db, config_file)
        config = one_off(source.name, scopes, base_url, **options)
        run_sources(settings, [config], since.date() if since else None, output_format, source.label)

    decorated: Any = db_options(format_option(run))
    decorated = since_option(decorated) if source.kind == "api" else click.option("--since", hidden=True)(decorated)
    for flag in reversed(source.flags):
        decorated = _option(flag, source)(decorated)
    if source.kind == "file":  # the files to read come first: quarterdeck ingest budget plan.csv
        decorated = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))(decorated)
    return click.command(source.name, help=help_text(source))(decorated)


def command_line_source(source: Source, given: dict[str, Any]) -> tuple[str | None, tuple[Any, ...], dict[str, Any]]:
    """The address, scope entries and options the flags give (each checked as the project
    file's would be, the message naming the flag)."""
    base_url, entries, fields, options = source.default_base_url, [], {}, {}
    for flag in source.flags:
        value = given.get(_parameter(flag))
        if value is None or value == ():
            continue
        if flag.to == "base_url":
            base_url = value
        elif flag.to == "scope":
            entries += list(value) if flag.multiple else [value]
        elif flag.to.startswith("scope_field:"):
            fields[flag.to.split(":", 1)[1]] = value
        elif flag.to.startswith("option:"):
            options[flag.to.split(":", 1)[1]] = value
    if base_url is not None and not str(base_url).startswith(("http://", "https://")):
        raise ConfigError(f"--base-url must be an http(s) address, not {base_url!r}")
    scope = source.scope
    scope_flag = next((f.name for f in source.flags if f.to == "scope"), "")
    for entry in entries if source.cli_scope is None else ():  # cli_scope checks the flags it reads
        if scope is not None and scope.valid is not None and not scope.valid(entry):
            raise ConfigError(f"{scope_flag} must be {scope.expected}, not {entry!r}")
    if source.cli_scope is not None:
        entries = list(source.cli_scope(given))
    elif fields:
        entries = [{source.scope_field: entry, **fields} for entry in entries]
    return base_url, tuple(entries), options


def help_text(source: Source) -> str:
    """The command's help: summary, description, and the examples as written."""
    parts = [source.summary]
    if source.description:
        parts.append(source.description)
    if source.examples:
        lines = "\n".join("  " + line for example in source.examples for line in example.splitlines())
        parts.append(f"\b\nExamples:\n{lines}")
    return "\n\n".join(parts)


def _option(flag: Flag, source: Source) -> Any:
    default, kind = flag.default, None
    if flag.to.startswith("option:"):
        declared = source.option(flag.to.split(":", 1)[1]).default
        kind = {int: click.INT, float: click.FLOAT}.get(type(declared))
    if flag.to == "base_url" and source.default_base_url and default is None:
        default = source.default_base_url
    return click.option(
        flag.name,
        _parameter(flag),
        metavar=flag.metavar,
        multiple=flag.multiple,
        required=flag.required,
        default=default,
        show_default=default is not None and not flag.multiple,
        type=click.Choice(flag.choices) if flag.choices else kind,
        help=flag.help,
    )


def _parameter(flag: Flag) -> str:
    return "flag_" + flag.name.lstrip("-").replace("-", "_")
