"""What a source declares: the frame every source of Quarterdeck fills in.

A source is one package under ``quarterdeck/sources/`` (or a third party's, registered
through the ``quarterdeck.sources`` entry point) whose ``SOURCE`` is a :class:`Source`:

- **name, kind, summary**: ``jenkins``, ``api`` (or ``file``, ``repository``), one line for
  ``quarterdeck ingest --help`` and the sources table of the docs.
- **settings**: the key of ``quarterdeck.yaml`` that lists what to read (its *scope*: jobs,
  repositories, projects, services...), the default API address, the environment variable
  holding the token, and the options (:class:`Option`), each checked with an error naming
  the file and entry.
- **resources**: what is read, each into one table, with its cursor (:class:`Resource`).
- **identity hints**: how its accounts link to people (:class:`IdentityHint`).
- **reader**: ``"module:function"``, imported only when the source runs, that reads one
  configured connection and hands the pipeline what to store (``quarterdeck.sources.reading``).
- **command line**: the flags of ``quarterdeck ingest <name>`` (:class:`Flag`), its
  examples and its description; the command itself is made from this declaration.

This module imports nothing heavy: ``quarterdeck ingest --help`` reads every declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["api", "file", "repository"]


@dataclass(frozen=True)
class Option:
    """A setting of a source in ``quarterdeck.yaml`` besides its scope: its name, the default,
    what a value must be (``expected``, for the error: "a whole number of builds, such as
    100"), and the check (``valid(value) -> bool``)."""

    name: str
    default: Any
    expected: str
    valid: Callable[[Any], bool]
    help: str = ""
    path: bool = False  # a file's path: in quarterdeck.yaml, relative to that file's folder


@dataclass(frozen=True)
class Scope:
    """The key of ``quarterdeck.yaml`` listing what a source reads (``jobs``), and what an
    entry must be: "{entry} must be {expected}, not ..." when ``valid(entry)`` is false."""

    key: str
    entry: str  # "a repository"
    expected: str  # "OWNER/NAME, such as our-org/api"
    valid: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Resource:
    """One thing a source reads into one table: its name in cursors and summaries
    (``builds``), the table, and what its cursor is (for the docs: "the highest build
    number stored with every build below it")."""

    name: str
    table: str
    cursor: str = ""


@dataclass(frozen=True)
class IdentityHint:
    """A source whose records name accounts (``<source>:<login>`` identities) declares one:
    mapping rows may then name its accounts, and, with ``people_column``, an account links to
    the one person whose column of the people table holds its login (GitHub: github_login)."""

    people_column: str = ""
    description: str = "accounts link to people by e-mail, an explicit mapping row, or name"


@dataclass(frozen=True)
class Flag:
    """A flag of ``quarterdeck ingest <source>``: ``--job NAME`` (repeatable with
    ``multiple``). ``to``: where the value goes: ``scope`` (each value one scope entry),
    ``option:<name>`` (an option), or ``scope_field:<key>`` (a key added to every scope
    entry, which then becomes a mapping ``{<scope field>: value, <key>: ...}``)."""

    name: str
    help: str
    to: str
    metavar: str = "VALUE"
    multiple: bool = False
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()


def mapping_option(example: str, columns: str) -> Option:
    """The ``mapping`` option of a file source whose exports may name their columns otherwise:
    a YAML or TOML file (``example``) mapping them onto ``columns``."""
    return Option(
        "mapping",
        None,
        f"the path of a column mapping file (YAML or TOML), such as {example}",
        lambda value: value is None or isinstance(value, str),
        f"maps the export's column names onto {columns}",
        path=True,
    )


#: ``--mapping FILE``: the command-line flag of :func:`mapping_option`.
MAPPING_FLAG = Flag(
    "--mapping", "A column mapping file (YAML or TOML) for another export layout.", "option:mapping", "FILE"
)


@dataclass(frozen=True)
class Source:
    """The declaration of one source (see the module's description)."""

    name: str
    kind: Kind
    summary: str
    reader: str  # "module:function"
    title: str = ""  # as people write it: "GitHub" (default: the name, capitalized)
    scope: Scope | None = None
    default_base_url: str | None = None
    token_env: str | None = None
    options: tuple[Option, ...] = ()
    resources: tuple[Resource, ...] = ()
    identities: IdentityHint | None = None
    flags: tuple[Flag, ...] = ()
    description: str = ""  # the command's help, after its summary
    examples: tuple[str, ...] = ()
    docs: str = ""  # docs/sources/<name>.md
    cli_scope: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None = None  # builds the scope from all flags
    scope_field: str = ""  # the key an entry's own value takes when a scope_field flag makes it a mapping
    # A source the pipeline does not run (git, the organization and delivery files, each with
    # a loader of its own): its command, "module:function" (a command, or a maker of one
    # given the source's name).
    command: str = ""

    @property
    def runs_in_pipeline(self) -> bool:
        """Whether the pipeline runs it (and so ``quarterdeck.yaml`` may list it)."""
        return bool(self.reader)

    @property
    def label(self) -> str:
        return self.title or self.name.capitalize()

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)

    def defaults(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}


def whole_number(low: int = 1, high: int | None = None) -> Callable[[Any], bool]:
    """A check: a whole number (not a boolean) from ``low`` to ``high``."""

    def valid(value: Any) -> bool:
        return (
            isinstance(value, int) and not isinstance(value, bool) and value >= low and (high is None or value <= high)
        )

    return valid


def one_of(*choices: Any) -> Callable[[Any], bool]:
    return lambda value: value in choices


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def env_name(value: Any) -> bool:
    return isinstance(value, str) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", value) is not None


def list_of_text(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def text_mapping(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


@dataclass
class Declared:
    """Every declared source by name, in the order of the registry (built-ins first)."""

    sources: dict[str, Source] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # name -> "built in" or the distribution
