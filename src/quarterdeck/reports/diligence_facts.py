"""Facts about the target's repositories read from the warehouse: size, languages, tests, CI.

Plain SQL over the git tables (repositories, commits, repository_files, identities); the
metrics of the catalog (activity, bus factor, code age, hotspots) are in ``diligence``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from quarterdeck.core.head_scan import LOCK_FILES
from quarterdeck.reports.diligence_model import RepositoryFacts
from quarterdeck.store import Warehouse

#: Languages by file extension (and a few file names); what is not listed is "other".
LANGUAGES = {
    "py": "Python",
    "pyi": "Python",
    "js": "JavaScript",
    "mjs": "JavaScript",
    "cjs": "JavaScript",
    "jsx": "JavaScript",
    "ts": "TypeScript",
    "tsx": "TypeScript",
    "go": "Go",
    "java": "Java",
    "kt": "Kotlin",
    "scala": "Scala",
    "rb": "Ruby",
    "rs": "Rust",
    "cs": "C#",
    "c": "C",
    "h": "C",
    "cc": "C++",
    "cpp": "C++",
    "hpp": "C++",
    "php": "PHP",
    "swift": "Swift",
    "m": "Objective-C",
    "sh": "Shell",
    "bash": "Shell",
    "sql": "SQL",
    "html": "HTML",
    "css": "CSS",
    "scss": "CSS",
    "vue": "Vue",
    "md": "Markdown",
    "rst": "reStructuredText",
    "yml": "YAML",
    "yaml": "YAML",
    "json": "JSON",
    "toml": "TOML",
    "xml": "XML",
}
_TEST_PATH = re.compile(
    r"(^|/)(tests?|__tests__|spec|specs|testing)/|(^|/)test_[^/]+\.py$|_test\.(py|go|rb|exs?)$"
    r"|\.(test|spec)\.[jt]sx?$|(Test|Tests|Spec)\.(java|kt|cs|scala|swift)$|_spec\.rb$"
)
_CI_PATH = re.compile(
    r"^(\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.yml|Jenkinsfile|\.circleci/config\.ya?ml|\.travis\.yml"
    r"|azure-pipelines\.ya?ml|bitbucket-pipelines\.yml|\.buildkite/[^/]+\.ya?ml|\.drone\.yml)$"
)
_PEOPLE_COMMITS = """
    SELECT c.* FROM commits c JOIN identities i ON i.identity_id = c.author_identity_id
    WHERE c.reachable AND NOT c.is_merge AND NOT i.is_bot
"""


def language_of(path: str) -> str:
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    return LANGUAGES.get(suffix, "other")


def is_test_file(path: str) -> bool:
    return bool(_TEST_PATH.search(path))


def is_ci_file(path: str) -> bool:
    return bool(_CI_PATH.match(path))


def repository_facts(warehouse: Warehouse) -> list[RepositoryFacts]:
    """One entry per repository: size at HEAD, its people's commits, tests and CI files."""
    facts = {
        name: RepositoryFacts(name)
        for (name,) in warehouse.con.execute("SELECT name FROM repositories ORDER BY name").fetchall()
    }
    rows = warehouse.con.execute(f"""
        SELECT r.name, count(*), count(DISTINCT c.author_identity_id),
               CAST(min(c.author_time) AS DATE), CAST(max(c.author_time) AS DATE)
        FROM ({_PEOPLE_COMMITS}) c JOIN repositories r USING (repository_id) GROUP BY r.name
    """).fetchall()
    for name, commits, authors, first, last in rows:
        f = facts[name]
        f.commits, f.authors, f.first_commit, f.last_commit = commits, authors, first, last
    files = warehouse.con.execute("""
        SELECT r.name, f.path, coalesce(f.lines, 0) FROM repository_files f
        JOIN repositories r USING (repository_id) WHERE NOT f.is_binary
    """).fetchall()
    for name, path, lines in files:
        f = facts[name]
        f.files += 1
        f.lines += lines
        if is_test_file(path):
            f.test_files += 1
            f.test_lines += lines
        if is_ci_file(path):
            f.ci_files.append(path)
    return list(facts.values())


def languages(warehouse: Warehouse) -> list[tuple[str, int, float]]:
    """Lines at HEAD by language (by extension), largest first, with their share of all lines;
    lock files are generated, not written, and left out."""
    totals: dict[str, int] = defaultdict(int)
    for path, lines in warehouse.con.execute(
        "SELECT path, coalesce(lines, 0) FROM repository_files WHERE NOT is_binary"
    ).fetchall():
        if PurePosixPath(path).name not in LOCK_FILES:
            totals[language_of(path)] += lines
    everything = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(lang, lines, round(lines / everything, 4) if everything else 0.0) for lang, lines in ranked]


def people_count(warehouse: Warehouse) -> int:
    return int(warehouse.value(f"SELECT count(DISTINCT author_identity_id) FROM ({_PEOPLE_COMMITS})") or 0)


def top_author_shares(warehouse: Warehouse, limit: int = 5) -> list[float]:
    """The largest authors' shares of all changed lines (added + deleted, whole history), by
    person (identities linked to one person count as one), largest first."""
    rows = warehouse.con.execute(f"""
        SELECT coalesce(l.person_id, c.author_identity_id) AS who, sum(coalesce(f.lines_added, 0)
               + coalesce(f.lines_deleted, 0)) AS changed
        FROM ({_PEOPLE_COMMITS}) c
        JOIN commit_files f ON f.repository_id = c.repository_id AND f.commit_sha = c.sha
        LEFT JOIN identity_links l ON l.identity_id = c.author_identity_id
        GROUP BY 1 ORDER BY changed DESC, who
    """).fetchall()
    total = sum(r[1] for r in rows)
    return [round(r[1] / total, 4) for r in rows[:limit]] if total else []


def first_commit_day(warehouse: Warehouse):  # type: ignore[no-untyped-def]
    return warehouse.value(f"SELECT CAST(min(author_time) AS DATE) FROM ({_PEOPLE_COMMITS})")


def has_org_data(warehouse: Warehouse) -> bool:
    return bool(warehouse.value("SELECT count(*) FROM person_periods"))


def departed_identities(warehouse: Warehouse, data_ends, inactive_days: int = 182) -> tuple[set[str], dict]:  # type: ignore[no-untyped-def]
    """The git identities of people who left, and how they were found.

    With the HR export: identities linked to a person whose every period of employment has
    ended. Without it: identities whose last commit is ``inactive_days`` or more before the
    end of the data (an assumption, said in the report)."""
    if has_org_data(warehouse):
        rows = warehouse.con.execute(f"""
            WITH leavers AS (SELECT person_id FROM person_periods GROUP BY 1 HAVING bool_and(valid_to IS NOT NULL))
            SELECT DISTINCT c.author_identity_id, l.person_id IS NOT NULL, l.person_id IN (SELECT * FROM leavers)
            FROM ({_PEOPLE_COMMITS}) c LEFT JOIN identity_links l ON l.identity_id = c.author_identity_id
        """).fetchall()
        left = {r[0] for r in rows if r[2]}
        unlinked = sum(1 for r in rows if not r[1])
        how = {"method": "hr_export", "unlinked_authors": unlinked}
        return left, how
    rows = warehouse.con.execute(
        f"SELECT author_identity_id, CAST(max(author_time) AS DATE) FROM ({_PEOPLE_COMMITS}) c GROUP BY 1"
    ).fetchall()
    left = {ident for ident, last in rows if data_ends is not None and (data_ends - last).days >= inactive_days}
    return left, {"method": "inactive", "inactive_days": inactive_days}


def changed_line_shares(warehouse: Warehouse, identities: set[str]) -> dict[str, float]:
    """Per repository name, the share of all changed lines authored by ``identities``;
    the key '' holds the share over every repository."""
    rows = warehouse.con.execute(f"""
        SELECT r.name, c.author_identity_id,
               sum(coalesce(f.lines_added, 0) + coalesce(f.lines_deleted, 0))
        FROM ({_PEOPLE_COMMITS}) c
        JOIN commit_files f ON f.repository_id = c.repository_id AND f.commit_sha = c.sha
        JOIN repositories r ON r.repository_id = c.repository_id
        GROUP BY 1, 2
    """).fetchall()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, ident, changed in rows:
        for key in (name, ""):
            totals[key][1] += changed
            if ident in identities:
                totals[key][0] += changed
    return {k: round(part / whole, 4) if whole else 0.0 for k, (part, whole) in totals.items()}
