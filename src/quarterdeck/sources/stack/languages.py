"""Which language a file is written in: by its name, by its extension, or, for a file
without an extension, by the interpreter its first line names (``#!/usr/bin/env python3``).

Only languages people write code or markup in are counted; data and prose (JSON, YAML,
Markdown, plain text) and unknown extensions are not (docs/decisions/0078).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

EXTENSIONS: dict[str, str] = {
    ".py": "Python", ".pyi": "Python", ".pyx": "Python",
    ".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript", ".jsx": "JavaScript",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".mts": "TypeScript", ".cts": "TypeScript",
    ".go": "Go",
    ".java": "Java",
    ".kt": "Kotlin", ".kts": "Kotlin",
    ".scala": "Scala", ".sc": "Scala",
    ".groovy": "Groovy", ".gradle": "Groovy",
    ".rb": "Ruby", ".rake": "Ruby", ".gemspec": "Ruby",
    ".rs": "Rust",
    ".cs": "C#", ".csx": "C#",
    ".fs": "F#", ".fsx": "F#",
    ".vb": "Visual Basic",
    ".c": "C", ".h": "C",
    ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".hpp": "C++", ".hh": "C++", ".hxx": "C++",
    ".m": "Objective-C", ".mm": "Objective-C",
    ".swift": "Swift",
    ".php": "PHP",
    ".pl": "Perl", ".pm": "Perl",
    ".lua": "Lua",
    ".r": "R",
    ".dart": "Dart",
    ".ex": "Elixir", ".exs": "Elixir",
    ".erl": "Erlang", ".hrl": "Erlang",
    ".clj": "Clojure", ".cljs": "Clojure",
    ".hs": "Haskell",
    ".ml": "OCaml", ".mli": "OCaml",
    ".sh": "Shell", ".bash": "Shell", ".zsh": "Shell",
    ".ps1": "PowerShell", ".psm1": "PowerShell",
    ".sql": "SQL",
    ".html": "HTML", ".htm": "HTML",
    ".css": "CSS", ".scss": "SCSS", ".sass": "SCSS", ".less": "Less",
    ".vue": "Vue", ".svelte": "Svelte",
    ".tf": "HCL", ".hcl": "HCL",
    ".proto": "Protocol Buffers",
}  # fmt: skip

#: Files known by their whole name.
NAMES: dict[str, str] = {
    "Dockerfile": "Dockerfile",
    "Containerfile": "Dockerfile",
    "Makefile": "Makefile",
    "GNUmakefile": "Makefile",
    "Rakefile": "Ruby",
    "Gemfile": "Ruby",
    "Jenkinsfile": "Groovy",
    "CMakeLists.txt": "CMake",
}

#: Interpreters a shebang may name.
INTERPRETERS: dict[str, str] = {
    "python": "Python",
    "node": "JavaScript",
    "nodejs": "JavaScript",
    "deno": "TypeScript",
    "bash": "Shell",
    "sh": "Shell",
    "dash": "Shell",
    "zsh": "Shell",
    "ksh": "Shell",
    "ruby": "Ruby",
    "perl": "Perl",
    "php": "PHP",
    "lua": "Lua",
    "Rscript": "R",
    "pwsh": "PowerShell",
}

_VERSION_SUFFIX = re.compile(r"[\d.]+$")


def language_of_name(path: str) -> str | None:
    """The language of a file told by its name or extension (None: unknown, or none)."""
    name = PurePosixPath(path).name
    if name in NAMES:
        return NAMES[name]
    if name.startswith("Dockerfile.") or name.endswith(".dockerfile"):
        return "Dockerfile"
    suffix = PurePosixPath(name).suffix.lower()
    return EXTENSIONS.get(suffix) if suffix else None


def needs_shebang(path: str) -> bool:
    """Whether a file's language can only be told by its first line (no extension)."""
    name = PurePosixPath(path).name
    return "." not in name.lstrip(".") and name not in NAMES and not name.startswith(".")


def language_of_shebang(first_line: bytes) -> str | None:
    """The language a ``#!`` line names: ``#!/bin/sh``, ``#!/usr/bin/env -S python3 -u``."""
    if not first_line.startswith(b"#!"):
        return None
    words = first_line[2:].decode("utf-8", "replace").split()
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    if program == "env":
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if not rest:
            return None
        program = rest[0].rsplit("/", 1)[-1]
    return INTERPRETERS.get(program) or INTERPRETERS.get(_VERSION_SUFFIX.sub("", program))
