"""Real dependency declarations in a simulated repository's build file (docs/tech-stack.md).

A Python repository's ``pyproject.toml`` and a Go repository's ``go.mod`` start with real
declarations (the project's name and licence, its framework and libraries at versions drawn
from a small catalog, so the same library sits at different versions in different
repositories), then lines of the file's own syntax that a build tool ignores: TOML keys of
their own, Go comments. Any line may later be edited away, as in every simulated file, and
the file stays valid, so the dependencies at HEAD are the declaration lines that survived
(``surviving``: the truth of ``truth/stack.csv``). Each line carries the line maker's unique
number, so the histories' line counts are what they were before these files had content.

TypeScript and Java build files (JSON, XML) cannot stay valid under random line edits; they
keep generated configuration lines, and the inventory records them as unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass

from quarterdeck.simulation.rng import Rng

#: Build files with real declarations, by language: (path, ecosystem).
MANIFESTS = {"python": ("pyproject.toml", "python"), "go": ("go.mod", "go")}
#: Line templates of each build file's ignorable lines (``%d``: the line's unique number).
STYLES = {
    "pyproject.toml": (
        "{a}_{b}_%d = {n}\n",
        '{a}_%d = "{b}-{c}"\n',
        "{a}_{c}_%d = true\n",
    ),
    "go.mod": (
        "// {A} the {b} before the {c} (note_%d)\n",
        "// {a} {b}: step_%d\n",
    ),
}
#: (name, versions, scope) per ecosystem; the first of each list is a framework.
CATALOG = {
    "python": (
        (("django", ("4.2.7", "4.2.11", "5.0.1"), "runtime"), ("fastapi", ("0.104.1", "0.109.0"), "runtime")),
        (
            ("requests", ("2.31.0", "2.28.2"), "runtime"),
            ("sqlalchemy", ("2.0.23", "1.4.50"), "runtime"),
            ("pydantic", ("2.5.2", "1.10.13"), "runtime"),
            ("celery", ("5.3.6",), "runtime"),
            ("pytest", ("7.4.3", "8.0.0"), "dev"),
        ),
    ),
    "go": (
        (("github.com/gin-gonic/gin", ("v1.9.1", "v1.8.2"), "runtime"),
         ("github.com/labstack/echo/v4", ("v4.11.3",), "runtime")),
        (
            ("go.uber.org/zap", ("v1.26.0", "v1.24.0"), "runtime"),
            ("github.com/lib/pq", ("v1.10.9",), "runtime"),
            ("github.com/stretchr/testify", ("v1.8.4",), "runtime"),
        ),
    ),
}  # fmt: skip
LICENCES = ("MIT", "Apache-2.0", "MIT", "BSD-3-Clause")


@dataclass(frozen=True)
class Declared:
    manifest: str
    ecosystem: str
    dependency: str
    version: str
    scope: str


def style_of_manifest(path: str, language: str) -> str | None:
    """The line style of a build file with real declarations (None: any other file)."""
    manifest = MANIFESTS.get(language)
    return manifest[0] if manifest is not None and path == manifest[0] else None


class Declarations:
    """A repository's declaration lines: written at the start of its build file."""

    def __init__(self, rng: Rng, slug: str, language: str):
        self.rng, self.slug, self.language = rng, slug, language
        self.lines: dict[bytes, Declared] = {}  # a declaration line -> the dependency it declares

    def first_lines(self, path: str, numbers: range) -> list[bytes]:
        """The build file's first lines (at most ``len(numbers)``), each with its number."""
        manifest, ecosystem = MANIFESTS[self.language]
        frameworks, libraries = CATALOG[ecosystem]
        chosen = [self.rng.choice(frameworks), *self.rng.sample(list(libraries), self.rng.integer(2, 4))]
        wanted: list[tuple[str, Declared | None]] = []
        if ecosystem == "python":
            wanted.append((f'project.name = "{self.slug}"  # name_%d\n', None))
            wanted.append((f'project.license = "{self.rng.choice(LICENCES)}"  # licence_%d\n', None))
        else:
            wanted.append((f"module example.com/{self.slug} // module_%d\n", None))
            wanted.append(("go 1.21 // go_%d\n", None))
        for name, versions, scope in chosen:
            version = self.rng.choice(versions)
            found = Declared(manifest, ecosystem, name, version, scope)
            if ecosystem == "python":
                table = "tool.poetry.group.dev.dependencies" if scope == "dev" else "tool.poetry.dependencies"
                wanted.append((f'{table}.{name} = "{version}"  # dep_%d\n', found))
            else:
                wanted.append((f"require {name} {version} // dep_%d\n", found))
        made = []
        for (template, found), number in zip(wanted, numbers, strict=False):
            line = (template % number).encode()
            made.append(line)
            if found is not None:
                self.lines[line] = found
        return made

    def surviving(self, tree: dict[str, tuple[bytes, ...]]) -> list[Declared]:
        """The dependencies still declared in the build file of ``tree`` (HEAD's files)."""
        manifest = MANIFESTS.get(self.language)
        if manifest is None or manifest[0] not in tree:
            return []
        return [self.lines[line] for line in tree[manifest[0]] if line in self.lines]
