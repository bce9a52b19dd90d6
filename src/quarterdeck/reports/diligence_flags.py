"""Red flags graded by rule over the report's numbers, and the summary written from them.

Each rule is one function of the facts; a flag carries the rule's text and the numbers that
fired it (decision 0080). The summary's sentences each say which fact or flag they come from.
"""

from __future__ import annotations

from quarterdeck.reports.diligence_inventory import copyleft
from quarterdeck.reports.diligence_model import GRADES, DiligenceReport, RedFlag, RepositoryFacts, Sentence

DEPARTED_HIGH, DEPARTED_MEDIUM = 0.5, 0.25
LOW_TEST_SHARE = 0.10
DECLINE = 0.5  # the last full quarter below half the mean of the four before
STALE_DAYS = 365
OLD_CODE_SHARE = 0.5
OLD_BANDS = ("2-4 years", "4 years or more")


def grade(report: DiligenceReport) -> list[RedFlag]:
    """Every red flag, most serious first (then by repository and title)."""
    flags = secret_flags(report) + activity_flags(report) + old_code_flags(report)
    for repo in report.repositories:
        flags += repository_flags(repo, report)
    order = {g: i for i, g in enumerate(GRADES)}
    return sorted(flags, key=lambda f: (order[f.grade], f.repository or "", f.title))


def secret_flags(report: DiligenceReport) -> list[RedFlag]:
    return [
        RedFlag(
            s.grade,
            f"{s.title} in the code",
            f"any {s.kind} pattern at HEAD is {s.grade}: rotate it, then remove it from the history",
            {"matches": s.matches, "files": s.files},
            s.repository,
        )
        for s in report.secrets
    ]


def repository_flags(repo: RepositoryFacts, report: DiligenceReport) -> list[RedFlag]:
    flags: list[RedFlag] = []
    name = repo.name
    if repo.bus_factor_12m == 1:
        flags.append(
            RedFlag(
                "high",
                "One person wrote at least half of the last year's changes",
                "bus_factor (12 months) = 1",
                {"bus_factor_12m": 1, "bus_factor_all": repo.bus_factor_all},
                name,
            )
        )
    elif repo.bus_factor_all == 1:
        flags.append(
            RedFlag(
                "medium",
                "One person wrote at least half of all changes",
                "bus_factor (whole history) = 1",
                {"bus_factor_all": 1, "top_author_share_all": repo.top_author_share_all},
                name,
            )
        )
    share = repo.departed_share or 0.0
    who = "people who left" if report.departed.get("method") == "hr_export" else "authors inactive for 6+ months"
    if share >= DEPARTED_MEDIUM:
        level = "high" if share >= DEPARTED_HIGH else "medium"
        limit = DEPARTED_HIGH if level == "high" else DEPARTED_MEDIUM
        flags.append(
            RedFlag(
                level,
                f"Knowledge held by {who}",
                f"share of changed lines by {who} >= {limit:.0%}",
                {"departed_share": share},
                name,
            )
        )
    flags += licence_flags(repo)
    if repo.lines and repo.test_files == 0:
        flags.append(RedFlag("high", "No tests", "no test file at HEAD", {"test_files": 0, "lines": repo.lines}, name))
    elif repo.lines and repo.test_share < LOW_TEST_SHARE:
        flags.append(
            RedFlag(
                "medium",
                "Few tests",
                f"test lines < {LOW_TEST_SHARE:.0%} of lines",
                {"test_share": round(repo.test_share, 4), "test_lines": repo.test_lines},
                name,
            )
        )
    if repo.lines and not repo.ci_files:
        flags.append(
            RedFlag("medium", "No continuous integration", "no CI configuration file at HEAD", {"ci_files": 0}, name)
        )
    if repo.copyleft_dependencies:
        runtime = [d for d in repo.copyleft_dependencies if d.endswith(", runtime)")]
        flags.append(
            RedFlag(
                "high" if runtime else "medium",
                "Copyleft dependencies",
                "a dependency under a strong copyleft licence (GPL, AGPL...): high at runtime, medium in development",
                {"dependencies": list(repo.copyleft_dependencies)},
                name,
            )
        )
    if repo.manifests and not repo.lock_files:
        flags.append(
            RedFlag(
                "low",
                "Dependencies not locked",
                "a dependency manifest and no lock file",
                {"manifests": len(repo.manifests), "lock_files": 0},
                name,
            )
        )
    if repo.last_commit and report.data_ends and (report.data_ends - repo.last_commit).days >= STALE_DAYS:
        flags.append(
            RedFlag(
                "low",
                "Repository untouched for a year or more",
                f"no commit in {STALE_DAYS} days",
                {"last_commit": repo.last_commit.isoformat()},
                name,
            )
        )
    return flags


def licence_flags(repo: RepositoryFacts) -> list[RedFlag]:
    if not repo.lines:
        return []
    if repo.licence is None:
        return [
            RedFlag("medium", "No licence file", "no LICENSE or COPYING file at the root", {"licence": None}, repo.name)
        ]
    if copyleft(repo.licence) == "strong":
        return [
            RedFlag(
                "high",
                f"Copyleft licence ({repo.licence})",
                "the repository's own licence is a strong copyleft (GPL, AGPL...)",
                {"licence": repo.licence, "file": repo.licence_file},
                repo.name,
            )
        ]
    if copyleft(repo.licence) == "weak" or repo.licence == "unknown":
        return [
            RedFlag(
                "low",
                f"Licence to review ({repo.licence})",
                "weak copyleft or a licence text not recognised",
                {"licence": repo.licence, "file": repo.licence_file},
                repo.name,
            )
        ]
    return []


def full_quarters(report: DiligenceReport) -> list:  # type: ignore[type-arg]
    return [q for q in report.quarters if not q.partial]


def activity_flags(report: DiligenceReport) -> list[RedFlag]:
    quarters = full_quarters(report)
    if len(quarters) < 5:
        return []
    last, before = quarters[-1], quarters[-5:-1]
    flags = []
    for field, title in (("commits", "Commits"), ("active_contributors", "Active contributors")):
        mean = sum(getattr(q, field) for q in before) / 4
        value = getattr(last, field)
        if mean and value < DECLINE * mean:
            flags.append(
                RedFlag(
                    "medium",
                    f"{title} fell by more than half",
                    f"last full quarter < {DECLINE:.0%} of the mean of the four before",
                    {"quarter": last.quarter, field: value, "mean_before": round(mean, 2)},
                )
            )
    return flags


def old_code_flags(report: DiligenceReport) -> list[RedFlag]:
    share = round(sum(s for band, _, s in report.code_age if band in OLD_BANDS), 4)
    if share >= OLD_CODE_SHARE:
        return [
            RedFlag(
                "low",
                "Most code untouched for two years or more",
                f"share of lines last changed 2+ years ago >= {OLD_CODE_SHARE:.0%}",
                {"old_share": share},
            )
        ]
    return []


def summarize(report: DiligenceReport) -> list[Sentence]:
    """A few sentences a reviewer would write, each from one fact or from the flags."""
    said = [size_sentence(report)]
    said += activity_sentences(report)
    said += people_sentences(report)
    said.append(key_person_sentence(report))
    said.append(quality_sentence(report))
    said.append(licence_sentence(report))
    said.append(old_code_sentence(report))
    said.append(secrets_sentence(report))
    said.append(flags_sentence(report))
    return [s for s in said if s is not None]


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def size_sentence(report: DiligenceReport) -> Sentence:
    lines = sum(r.lines for r in report.repositories)
    top = ", ".join(f"{lang} ({share:.0%})" for lang, _, share in report.languages[:3] if lang != "other")
    n = len(report.repositories)
    text = f"{n} {'repository' if n == 1 else 'repositories'} with {lines:,} lines at HEAD"
    return Sentence(text + (f"; its code is mostly {top}." if top else "."), "repositories.lines, languages")


def activity_sentences(report: DiligenceReport) -> list[Sentence]:
    quarters = full_quarters(report)
    if not quarters:
        return []
    last = quarters[-1]
    before = quarters[-5:-1]
    quiet = len(before) == 4 and not any(q.commits for q in before)
    if not last.commits and quiet:
        return [
            Sentence(
                f"No commit in {last.quarter}, the last full quarter, nor in the year before.",
                f"quarters[{last.quarter}]",
            )
        ]
    if not last.commits:
        text = f"No commit in {last.quarter}, the last full quarter"
    else:
        people, commits = plural(last.active_contributors, "person", "people"), plural(last.commits, "commit")
        text = f"In {last.quarter}, the last full quarter, {people} made {commits}"
    if len(before) == 4:
        commits_before = sum(q.commits for q in before) / 4
        people_before = sum(q.active_contributors for q in before) / 4
        text += f", against {commits_before:.1f} commits by {people_before:.1f} people a quarter in the year before"
    return [Sentence(text + ".", f"quarters[{last.quarter}]")]


def people_sentences(report: DiligenceReport) -> list[Sentence]:
    said = []
    if report.top_authors:
        said.append(
            Sentence(
                f"{report.contributors} people authored commits; the most active one wrote {report.top_authors[0]:.0%} "
                f"of all changed lines, the top {len(report.top_authors)} together "
                f"{sum(report.top_authors):.0%}.",
                "contributors, top_authors",
            )
        )
    departed = report.departed
    if departed.get("method") == "hr_export":
        who = f"{plural(departed['authors'], 'person', 'people')} who have left (HR export)"
    else:
        days = departed.get("inactive_days", 182)
        who = f"{plural(departed['authors'], 'author')} with no commit in {days} days (no HR export given)"
    said.append(Sentence(f"{who} wrote {departed['share_of_changed_lines']:.0%} of all changed lines.", "departed"))
    return said


def key_person_sentence(report: DiligenceReport) -> Sentence | None:
    measured = [r for r in report.repositories if r.bus_factor_12m is not None]
    if not measured:
        return None
    ones = sum(1 for r in measured if r.bus_factor_12m == 1)
    return Sentence(
        f"Over the last 12 months the bus factor is 1 in {ones} of "
        f"{plural(len(measured), 'repository', 'repositories')} with changes.",
        "repositories.bus_factor_12m",
    )


def licence_sentence(report: DiligenceReport) -> Sentence:
    counts: dict[str, int] = {}
    for repo in report.repositories:
        name = repo.licence or "no licence file"
        counts[name] = counts.get(name, 0) + 1
    licences = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items()))
    with_manifests = [r for r in report.repositories if r.manifests]
    if not with_manifests:
        return Sentence(f"Licences: {licences}; no dependency manifest found.", "repositories.licence, manifests")
    declared = sum(r.dependencies or sum(r.manifests.values()) for r in with_manifests)
    text = f"Licences: {licences}; {plural(declared, 'dependency', 'dependencies')} declared"
    if any(r.inventory for r in with_manifests):
        pinned = sum(r.locked_dependencies for r in with_manifests)
        known = sum(n for r in with_manifests for lic, n in r.dependency_licences.items() if lic != "unknown")
        copyleft = sum(len(r.copyleft_dependencies) for r in with_manifests)
        text += (
            f", {pinned:,} pinned by a lock file, {known:,} with a known licence, {copyleft:,} under a strong copyleft"
        )
    return Sentence(text + ".", "repositories.licence, dependencies, dependency_licences")


def old_code_sentence(report: DiligenceReport) -> Sentence | None:
    if not report.code_age:
        return None
    old = sum(s for band, _, s in report.code_age if band in OLD_BANDS)
    recent = sum(s for band, _, s in report.code_age if band in ("under 1 month", "1-3 months", "3-6 months"))
    return Sentence(
        f"{recent:.0%} of the lines were last changed in the last 6 months, {old:.0%} two years ago or more.",
        "code_age",
    )


def quality_sentence(report: DiligenceReport) -> Sentence:
    lines = sum(r.lines for r in report.repositories)
    tests = sum(r.test_lines for r in report.repositories)
    with_ci = sum(1 for r in report.repositories if r.ci_files)
    share = tests / lines if lines else 0.0
    repositories = plural(len(report.repositories), "repository", "repositories")
    return Sentence(
        f"Tests are {share:.0%} of the lines; {with_ci} of {repositories} "
        f"{'has' if with_ci == 1 else 'have'} CI configured.",
        "repositories.test_lines, repositories.ci_files",
    )


def secrets_sentence(report: DiligenceReport) -> Sentence:
    if not report.secrets:
        return Sentence("No secret-like pattern was found at HEAD.", "secrets")
    matches = sum(s.matches for s in report.secrets)
    files = sum(s.files for s in report.secrets)
    kinds = sorted({s.title.lower() for s in report.secrets})
    return Sentence(
        f"{matches} secret-like patterns in {files} files at HEAD ({', '.join(kinds)}); values are not shown.",
        "secrets",
    )


def flags_sentence(report: DiligenceReport) -> Sentence:
    counts = report.flags_by_grade()
    if not report.red_flags:
        return Sentence("No red flag was raised.", "red_flags")
    parts = ", ".join(f"{len(v)} {g}" for g, v in counts.items() if v)
    worst = report.red_flags[0]
    where = f" ({worst.repository})" if worst.repository else ""
    return Sentence(
        f"{len(report.red_flags)} red flags: {parts}; the most serious: {worst.title.lower()}{where}.", "red_flags"
    )
