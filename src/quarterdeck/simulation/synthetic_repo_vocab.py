"""The synthetic repository's fixed vocabulary (``synthetic_repo``): authors and their
weights, words, dependency pins, file kinds, and the table of line texts. Nothing here
depends on the seed."""

from __future__ import annotations

import random

AUTHORS: tuple[tuple[str, str, str], ...] = (
    # name, e-mail, time zone
    ("Maya Okafor", "maya.okafor@corp.example", "+0100"),
    ("Daniel Kowalski", "daniel.kowalski@corp.example", "+0100"),
    ("Priya Raman", "priya@corp.example", "+0530"),
    ("Tom Becker", "tom.becker@corp.example", "+0100"),
    ("Lucía Fernández", "lucia.fernandez@corp.example", "+0100"),
    ("Kenji Watanabe", "kenji.watanabe@corp.example", "+0900"),
    ("Sarah O'Connor", "sarah.oconnor@corp.example", "-0500"),
    ("Ahmed Hassan", "ahmed.hassan@corp.example", "+0200"),
    ("Emily Zhang", "emily.zhang@corp.example", "-0800"),
    ("Jonas Lindqvist", "jonas.lindqvist@corp.example", "+0100"),
    ("Olga Petrova", "olga.petrova@corp.example", "+0300"),
    ("Rafael Souza", "rafael.souza@corp.example", "-0300"),
    ("Chloé Martin", "chloe.martin@corp.example", "+0100"),
    ("Wei Chen", "wei.chen@corp.example", "+0800"),
    ("Grace Mensah", "grace.mensah@corp.example", "+0000"),
    ("Noah Fischer", "noah.fischer@corp.example", "+0100"),
    ("Isabella Rossi", "isabella.rossi@corp.example", "+0100"),
    ("Arjun Mehta", "arjun.mehta@corp.example", "+0530"),
    ("Hannah Schmidt", "hannah.schmidt@corp.example", "+0100"),
    ("Mateo García", "mateo.garcia@corp.example", "-0600"),
    ("Fatima Al-Sayed", "fatima.alsayed@corp.example", "+0400"),
    ("Liam Murphy", "liam.murphy@corp.example", "+0000"),
    ("Yuki Tanaka", "yuki.tanaka@corp.example", "+0900"),
    ("Sofia Nowak", "sofia.nowak@corp.example", "+0100"),
    ("Ethan Brooks", "ethan.brooks@corp.example", "-0500"),
    ("Amara Nwosu", "amara.nwosu@corp.example", "+0100"),
    ("Lukas Novák", "lukas.novak@corp.example", "+0100"),
    ("Zoe Williams", "zoe.williams@corp.example", "+1000"),
    ("Omar Farouk", "omar.farouk@corp.example", "+0200"),
    ("Ingrid Hansen", "ingrid.hansen@corp.example", "+0100"),
    ("Diego Ramírez", "diego.ramirez@corp.example", "-0500"),
    ("Mei Lin", "mei.lin@corp.example", "+0800"),
    ("Patrick Dubois", "patrick.dubois@corp.example", "+0100"),
    ("Nadia Ivanova", "nadia.ivanova@corp.example", "+0300"),
    ("Samuel Adeyemi", "samuel.adeyemi@corp.example", "+0100"),
    ("Julia Costa", "julia.costa@corp.example", "+0000"),
    ("Viktor Horváth", "viktor.horvath@corp.example", "+0100"),
    ("Aisha Khan", "aisha.khan@corp.example", "+0500"),
    ("Ben Carter", "ben.carter@corp.example", "-0700"),
    ("Elena Popescu", "elena.popescu@corp.example", "+0200"),
)
#: Zipf-like integer weights: the first few people write most of the commits.
AUTHOR_WEIGHTS: tuple[int, ...] = tuple(2520 // (i + 1) for i in range(len(AUTHORS)))
#: Some people also commit from a personal address (a classic .mailmap case).
ALT_EMAILS: dict[int, str] = {
    1: "dkowalski@users.noreply.github.com",
    4: "lucia.f@gmail.example",
    9: "Jonas.Lindqvist@Corp.Example",
    13: "wei@personal.example",
}
MAINTAINERS = (0, 1, 2, 3)
RELEASE_MANAGERS = (0, 2)
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "+0000")
FORGE = ("GitHub", "noreply@github.com", "+0000")

PROJECT = "tidewater"
# fmt: off
WORDS = (
    "account", "adapter", "alert", "audit", "auth", "batch", "billing", "buffer", "cache",
    "catalog", "channel", "client", "cluster", "config", "context", "cursor", "digest",
    "dispatch", "encoder", "event", "export", "feature", "filter", "gateway", "graph",
    "handler", "health", "index", "invoice", "job", "ledger", "limit", "loader", "lookup",
    "mapper", "metric", "model", "monitor", "notify", "order", "parser", "payment", "pipeline",
    "policy", "pool", "profile", "query", "queue", "quota", "record", "registry", "render",
    "report", "request", "retry", "route", "schema", "scope", "search", "session", "shard",
    "signal", "snapshot", "stream", "task", "tenant", "token", "trace", "user", "vault",
    "webhook", "window", "worker",
)
VERBS = (
    "Add", "Fix", "Refactor", "Update", "Remove", "Improve", "Simplify", "Document", "Test",
    "Handle", "Speed up", "Clean up", "Rename", "Validate", "Log", "Cache", "Support",
)
DEP_PACKAGES = (
    "requests", "urllib3", "certifi", "idna", "charset-normalizer", "pyyaml", "jinja2",
    "markupsafe", "click", "rich", "pydantic", "sqlalchemy", "alembic", "psycopg", "redis",
    "celery", "kombu", "boto3", "botocore", "s3transfer", "fastapi", "starlette", "uvicorn",
    "httpx", "anyio", "sniffio", "attrs", "packaging", "pytest", "coverage", "mypy", "ruff",
    "black", "isort", "numpy", "pandas", "pyarrow", "python-dateutil", "pytz", "tzdata",
    "cryptography", "cffi", "pycparser", "orjson", "structlog", "sentry-sdk", "gunicorn",
    "werkzeug", "flask", "itsdangerous", "marshmallow", "tenacity", "protobuf", "grpcio",
    "six",
)
# fmt: on
#: Line ids: 0 = blank line, 1..DEP_BASE-1 = code-like lines, DEP_BASE.. = "package==version".
DEP_BASE = 60000
DEP_VERSIONS = 100
TEXT_EXTENSIONS = {
    "src": (".py", ".py", ".py", ".pyi"),
    "tests": (".py",),
    "docs": (".md", ".rst"),
    "web": (".ts", ".tsx", ".css", ".js"),
    "config": (".yaml", ".toml", ".json"),
    "scripts": (".sh", ".py"),
}
BINARY_KINDS = (
    (".png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    (".woff2", b"wOF2\x00\x01\x00\x00"),
    (".pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\x00"),
    (".ico", b"\x00\x00\x01\x00\x01\x00"),
)
#: Files only the release and dependabot steps change.
PROTECTED = frozenset({"requirements.txt", "VERSION", "CHANGELOG.md"})
UNUSUAL_NAMES = (
    "docs/Design Notes.md",
    "docs/überblick-ärchitektur.md",
    "docs/roadmap 2024 (draft).md",
    "web/static/i18n/日本語.json",
    "scripts/-run-local.sh",
)


def build_line_table() -> list[bytes]:
    """The text of every line id; fixed, so the same ids always render the same bytes."""
    rng = random.Random(0x51DE)
    table: list[bytes] = [b"\n"]
    templates = (
        "{i}{a}_{b} = {c}({d}, {n})",
        "{i}if {a}.{b} is None:",
        "{i}return {a}_{b}({c}, limit={n})",
        "{i}# {A} the {b} before the {c} is {d}ed",
        "{i}for {a} in {b}_{c}:",
        "{i}self.{a}_{b} = {c}.get('{d}', {n})",
        "{i}raise {A}Error(f'{b} {c} failed: {{{d}}}')",
        "{i}def {a}_{b}(self, {c}: int = {n}) -> {A}:",
        "{i}logger.debug('{a} %s {b}', {c}_{d})",
        "{i}{a}.append({b}[{n}])",
        "{i}}}",
        "{i}assert {a}_{b} == {n}",
        "{i}const {a}{A} = await {b}.{c}({n});",
    )
    for _ in range(1, DEP_BASE):
        indent = "    " * rng.randrange(4)
        a, b, c, d = (WORDS[rng.randrange(len(WORDS))] for _ in range(4))
        text = templates[rng.randrange(len(templates))].format(
            i=indent, a=a, b=b, c=c, d=d, A=a.capitalize(), n=rng.randrange(1000)
        )
        table.append(text.encode() + b"\n")
    for pkg in range(len(DEP_PACKAGES)):
        for ver in range(DEP_VERSIONS):
            table.append(f"{DEP_PACKAGES[pkg]}=={dep_version(ver)}\n".encode())
    return table


def dep_version(ver: int) -> str:
    return f"{1 + ver // 25}.{(ver // 5) % 5}.{ver % 5}"


def dep_line(pkg: int, ver: int) -> int:
    return DEP_BASE + pkg * DEP_VERSIONS + ver
