"""What a simulated repository's files look like: its folder layout, its lines, its hotspots.

* **Layout by language.** Python: ``src/<package>/<area>/*.py`` with ``tests/test_*.py``;
  Go: ``cmd/<service>/main.go`` and ``internal/<area>/*.go`` with ``*_test.go``;
  TypeScript: ``src/<area>/*.ts`` with ``*.test.ts``; Java: ``src/main/java/...`` with
  ``src/test/java/...``; other languages a plain ``src/<area>/`` tree. Every repository
  also has a README, a build file, a CI workflow and a few docs. A new repository starts
  with tens of files; files are added, deleted and moved over time (``git_history``).
* **Lines.** Code-like text in the language's style (assignments, calls, conditions,
  comments; Markdown for docs, ``key: value`` for configuration), drawn from templates
  that the repository's own random stream fills with words, so another seed gives other
  text. Every line carries a number that is never used twice in a repository (``_<n>``:
  ``order_total_4711 = fetch_ledger(batch, 17)``), so no line repeats inside a file and a
  new line never equals an old one. That is what makes the line counts exact: git's diff
  of two versions of a file is then the lines one has and the other lacks.
* **Hotspots.** Each file gets a fixed weight when it is created: the initial files a
  Zipf-like weight by a random rank (1/rank^1.1), files added later the weight of a random
  rank among the files then present; docs and configuration a fifth of it. Commits choose
  the files they change in proportion to these weights, which stay with a file when it is
  moved, so the same few files keep changing, as in real code bases where about a fifth of
  the files take most of the changes (hence the hotspot metric).
"""

from __future__ import annotations

import bisect

from quarterdeck.simulation.rng import Rng
from quarterdeck.simulation.stack_manifests import STYLES, Declarations, style_of_manifest

# fmt: off
WORDS = (
    "account", "adapter", "alert", "audit", "batch", "billing", "buffer", "cache", "catalog",
    "channel", "client", "config", "context", "cursor", "digest", "dispatch", "encoder", "event",
    "export", "feature", "filter", "gateway", "handler", "health", "index", "invoice", "job",
    "ledger", "limit", "loader", "lookup", "mapper", "metric", "model", "monitor", "notify",
    "order", "parser", "payment", "pipeline", "policy", "pool", "profile", "query", "queue",
    "quota", "record", "registry", "render", "report", "request", "retry", "route", "schema",
    "scope", "search", "session", "shard", "signal", "snapshot", "stream", "task", "tenant",
    "token", "trace", "user", "vault", "webhook", "window", "worker",
)
# fmt: on

#: Line templates per style. ``%d`` is the line's unique number and always follows ``_``;
#: nothing else in a template is ``_`` followed by a digit, and ``%d`` is never followed by
#: a digit, so two lines are equal only when their template and number are.
TEMPLATES = {
    "python": (
        "{i}{a}_{b}_%d = {c}_{d}({e}, {n})\n",
        "{i}if {a}_%d is None:\n",
        "{i}return {a}.{b}_%d({c})\n",
        "{i}# {A} the {b} before the {c} (case_%d)\n",
        "{i}for {a}_%d in {b}.{c}s():\n",
        '{i}self.{a}_%d = {b}.get("{c}", {n})\n',
        "def {a}_{b}_%d(self, {c}: int = {n}) -> {A}:\n",
        '{i}logger.debug("{a} %%s", {b}_%d)\n',
        "{i}assert {a}_%d == {n}\n",
    ),
    "go": (
        "{i}{a}{B}_%d := {c}.{D}({e}, {n})\n",
        "{i}if err := {a}.{B}(ctx); err != nil {{ // case_%d\n",
        "{i}return {a}_%d, nil\n",
        "func ({a} *{B}) {C}{D}_%d(ctx context.Context) error {{\n",
        "{i}// {A} the {b} before the {c} (step_%d)\n",
        "{i}for _, {a}_%d := range {b}.{C} {{\n",
    ),
    "typescript": (
        "{i}const {a}{B}_%d = await {c}.{d}({n});\n",
        "{i}if (!{a}_%d) {{ return {n}; }}\n",
        "export function {a}{B}_%d({c}: number): {D} {{\n",
        "{i}// {A} the {b} ({c}_%d)\n",
        "{i}this.{a}_%d = {b}.get('{c}') ?? {n};\n",
    ),
    "java": (
        "{i}{A} {a}{B}_%d = {c}.{d}({e}, {n});\n",
        "{i}if ({a}_%d == null) {{ return {n}; }}\n",
        "{i}public {A} {b}{C}_%d({D} {c}) {{\n",
        "{i}// {A} the {b} before the {c} (step_%d)\n",
        '{i}log.debug("{a} {{}}", {b}_%d);\n',
    ),
    "doc": (
        "{A} the {b} before the {c} (see note_%d).\n",
        "## {A} {b} section_%d\n",
        "- {A} {b} and {c}: item_%d\n",
    ),
    "config": (
        "{a}_{b}_%d: {n}\n",
        '{a}_%d = "{b}-{c}"\n',
        "{i}{a}_%d: {b}\n",
    ),
}
INDENT = {"python": "    ", "go": "\t", "typescript": "  ", "java": "    "}
EXTENSIONS = {"python": ".py", "go": ".go", "typescript": ".ts", "java": ".java"}
TEMPLATES_PER_STYLE = 256  # filled templates per style and repository (a power of two)


def style_of(path: str, language: str) -> str:
    """Which kind of lines a file holds: the language's code, docs, configuration, or a build
    file with real declarations (``stack_manifests``)."""
    manifest = style_of_manifest(path, language)
    if manifest is not None:
        return manifest
    if path.endswith((".md", ".rst", ".txt")):
        return "doc"
    if path.endswith(EXTENSIONS.get(language, "\0")):
        return language if language in TEMPLATES else "python"
    return "config"


class LineMaker:
    """Fresh lines, each never seen before in this repository, in a file's style."""

    def __init__(self, rng: Rng, language: str, slug: str = "service"):
        self.language = language
        self.next_number = rng.integer(100, 999)
        self.tables = {style: self._fill(rng.child(style), style) for style in sorted(TEMPLATES)}
        for style in STYLES:  # streams of their own: the other styles' lines stay as they were
            self.tables[style] = self._fill(rng.child(style), style, STYLES[style])
        self.declarations = Declarations(rng.child("stack"), slug, language)
        self._declared: set[str] = set()

    @staticmethod
    def _fill(rng: Rng, style: str, templates: tuple[str, ...] | None = None) -> list[bytes]:
        indent = INDENT.get(style, "  ")
        filled = []
        for _ in range(TEMPLATES_PER_STYLE):
            a, b, c, d, e = (rng.choice(WORDS) for _ in range(5))
            text = rng.choice(templates or TEMPLATES[style]).format(
                i=indent * rng.integer(1, 3), a=a, b=b, c=c, d=d, e=e,
                A=a.capitalize(), B=b.capitalize(), C=c.capitalize(), D=d.capitalize(), n=rng.integer(0, 999),
            )  # fmt: skip
            filled.append(text.encode())
        return filled

    def lines(self, path: str, count: int) -> list[bytes]:
        """``count`` new lines for the file at ``path``."""
        style = style_of(path, self.language)
        table = self.tables[style]
        first = self.next_number
        self.next_number += count
        mask = TEMPLATES_PER_STYLE - 1
        made = [table[(n * 2654435761 >> 11) & mask] % n for n in range(first, first + count)]
        if style in STYLES and path not in self._declared:  # the build file's first lines: declarations
            self._declared.add(path)
            start = self.declarations.first_lines(path, range(first, first + count))
            made[: len(start)] = start
        return made


class Layout:
    """The repository's folders and how new file names are made in them."""

    def __init__(self, rng: Rng, name: str, language: str):
        self.rng, self.language = rng, language
        self.slug = "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_") or "service"
        self.ext = EXTENSIONS.get(language, ".py")
        self.areas = [self._area_dir(word) for word in rng.sample(WORDS, rng.integer(2, 6))]
        self.used: set[str] = set()  # every path ever created: never reused (membership only)

    def _area_dir(self, word: str) -> str:
        if self.language == "python":
            return f"src/{self.slug}/{word}"
        if self.language == "go":
            return f"internal/{word}"
        if self.language == "java":
            return f"src/main/java/com/example/{self.slug}/{word}"
        return f"src/{word}"

    def skeleton(self) -> list[str]:
        """The files every repository of the language starts with besides its code."""
        common = ["README.md", ".github/workflows/ci.yml", "docs/architecture.md", "docs/runbook.md"]
        build = {
            "python": ["pyproject.toml", f"src/{self.slug}/__init__.py"],
            "go": ["go.mod", "Makefile", f"cmd/{self.slug}/main.go"],
            "typescript": ["package.json", "tsconfig.json", "src/index.ts"],
            "java": ["pom.xml", f"src/main/java/com/example/{self.slug}/Application.java"],
        }.get(self.language, ["Makefile"])
        paths = common + build
        self.used.update(paths)
        return paths

    def new_module(self) -> list[str]:
        """A new source file and, usually, its test (both paths never used before)."""
        area = self._pick_area()
        while True:
            stem = f"{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}"
            source, test = self._source_and_test(area, stem)
            if source not in self.used and test not in self.used:
                break
        paths = [source, test] if self.rng.chance(0.7) else [source]
        self.used.update(paths)
        return paths

    def _pick_area(self) -> str:
        if self.rng.chance(0.03):
            word = self.rng.choice(WORDS)
            area = self._area_dir(word)
            if area not in self.areas:
                self.areas.append(area)
            return area
        return self.rng.choice(self.areas)

    def _source_and_test(self, area: str, stem: str) -> tuple[str, str]:
        word = area.rsplit("/", 1)[-1]
        if self.language == "python":
            return f"{area}/{stem}.py", f"tests/{word}/test_{stem}.py"
        if self.language == "go":
            return f"{area}/{stem}.go", f"{area}/{stem}_test.go"
        if self.language == "java":
            name = "".join(part.capitalize() for part in stem.split("_"))
            return f"{area}/{name}.java", f"{area.replace('src/main/', 'src/test/')}/{name}Test.java"
        if self.language == "typescript":
            name = stem.replace("_", "-")
            return f"{area}/{name}.ts", f"{area}/{name}.test.ts"
        return f"{area}/{stem}{self.ext}", f"tests/{stem}_test{self.ext}"

    def new_doc(self) -> str:
        while True:
            path = f"docs/{self.rng.choice(WORDS)}-{self.rng.choice(WORDS)}.md"
            if path not in self.used:
                self.used.add(path)
                return path

    def moved(self, path: str) -> str:
        """Where a refactoring moves ``path``: another area, or a new name in its folder."""
        folder, _, base = path.rpartition("/")
        stem, dot, ext = base.partition(".")
        for _ in range(20):
            if self.rng.chance(0.5) and folder in self.areas:
                target = f"{self._pick_area()}/{base}"
            else:
                target = f"{folder}/{self.rng.choice(WORDS)}_{stem}{dot}{ext}" if folder else f"{stem}_v2{dot}{ext}"
            if target not in self.used:
                self.used.add(target)
                return target
        target = f"{folder}/moved_{len(self.used)}_{base}" if folder else f"moved_{len(self.used)}_{base}"
        self.used.add(target)
        return target


def is_doc_or_config(path: str, language: str) -> bool:
    return style_of(path, language) in ("doc", "config", *STYLES)


class Heat:
    """Each file's fixed share of attention, and a weighted choice among present files."""

    EXPONENT = 1.1

    def __init__(self, rng: Rng, language: str):
        self.rng, self.language = rng, language
        self.weight: dict[str, float] = {}
        self._paths: list[str] = []
        self._cumulative: list[float] = []
        self._stale = True

    def assign_ranks(self, paths: list[str]) -> None:
        """Zipf-like weights for the initial files, by a random rank."""
        ranks = self.rng.shuffle(list(range(1, len(paths) + 1)))
        for path, rank in zip(paths, ranks, strict=True):
            self._set(path, rank**-self.EXPONENT)

    def add(self, path: str, present: int) -> None:
        """A new file: the weight of a random rank among the ``present`` files."""
        self._set(path, self.rng.integer(1, max(present, 1) + 1) ** -self.EXPONENT)

    def _set(self, path: str, weight: float) -> None:
        self.weight[path] = weight / 5 if is_doc_or_config(path, self.language) else weight

    def is_code(self, path: str) -> bool:
        """Source and test files: the only ones deleted or moved (build files and docs stay)."""
        return not is_doc_or_config(path, self.language)

    def move(self, old: str, new: str) -> None:
        self.weight[new] = self.weight[old]

    def rebuild(self, present: dict[str, object], frozen: frozenset[str]) -> None:
        """Rebuild the choice table from the files ``present`` (in their insertion order)."""
        self._paths = [p for p in present if p not in frozen]
        total, cumulative = 0.0, []
        for path in self._paths:
            total += self.weight[path]
            cumulative.append(total)
        self._cumulative = cumulative
        self._stale = False

    @property
    def stale(self) -> bool:
        return self._stale

    def invalidate(self) -> None:
        self._stale = True

    def pick(self) -> str | None:
        if not self._paths:
            return None
        point = self.rng.random() * self._cumulative[-1]
        return self._paths[min(bisect.bisect_right(self._cumulative, point), len(self._paths) - 1)]

    def pick_cold(self) -> str | None:
        """A file to delete: a uniformly chosen one, unless it is among the hottest."""
        if not self._paths:
            return None
        path = self.rng.choice(self._paths)
        threshold = max(len(self._paths) * 0.3, 1) ** -self.EXPONENT
        return path if self.weight[path] < threshold else None

    def pick_any(self) -> str | None:
        return self.rng.choice(self._paths) if self._paths else None
