"""Each red-flag rule of the due-diligence report (decision 0080) at its threshold: it fires at
the limit and not just short of it. The rules are pure functions of the report's numbers, so
the reports are built here by hand; the crafted repositories of test_diligence_crafted check
the same rules end to end."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.reports.diligence_flags import grade
from quarterdeck.reports.diligence_inventory import copyleft
from quarterdeck.reports.diligence_model import DiligenceReport, QuarterActivity, RepositoryFacts, SecretFinding

ENDS = date(2026, 11, 20)


def sound(**changes) -> RepositoryFacts:
    """A repository no rule flags: two people, MIT, 20 % tests, CI, locked, active."""
    facts = RepositoryFacts(
        "svc",
        files=10,
        lines=1000,
        commits=50,
        authors=3,
        last_commit=ENDS,
        bus_factor_12m=2,
        bus_factor_all=2,
        departed_share=0.0,
        test_files=3,
        test_lines=200,
        ci_files=["ci.yml"],
        licence="MIT",
        licence_file="LICENSE",
        manifests={"pyproject.toml": 3},
        lock_files=["uv.lock"],
    )
    for key, value in changes.items():
        setattr(facts, key, value)
    return facts


def report(*repos: RepositoryFacts, quarters=(), code_age=(), secrets=(), method="inactive") -> DiligenceReport:
    return DiligenceReport(
        "t", ENDS, list(repos), [], list(quarters), 3, [], {"method": method}, list(code_age), [], list(secrets), None
    )


def flags(rep: DiligenceReport) -> set[tuple[str, str]]:
    return {(f.grade, f.title) for f in grade(rep)}


def quarters(*commits: int, people: tuple[int, ...] = (), partial_last: bool = False) -> list[QuarterActivity]:
    people = people or tuple(3 for _ in commits)
    rows = [
        QuarterActivity(f"2025Q{n}", date(2025, 1, 1), c, p)
        for n, (c, p) in enumerate(zip(commits, people, strict=True))
    ]
    if partial_last:
        rows[-1].partial = True
    return rows


def test_a_sound_repository_raises_no_flag() -> None:
    assert flags(report(sound())) == set()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"bus_factor_12m": 1}, {("high", "One person wrote at least half of the last year's changes")}),
        ({"bus_factor_all": 1}, {("medium", "One person wrote at least half of all changes")}),
        ({"departed_share": 0.5}, {("high", "Knowledge held by authors inactive for 6+ months")}),
        ({"departed_share": 0.4999}, {("medium", "Knowledge held by authors inactive for 6+ months")}),
        ({"departed_share": 0.25}, {("medium", "Knowledge held by authors inactive for 6+ months")}),
        ({"departed_share": 0.2499}, set()),
        ({"test_files": 0, "test_lines": 0}, {("high", "No tests")}),
        ({"test_lines": 99}, {("medium", "Few tests")}),
        ({"test_lines": 100}, set()),
        ({"ci_files": []}, {("medium", "No continuous integration")}),
        ({"licence": None, "licence_file": None}, {("medium", "No licence file")}),
        ({"licence": "AGPL-3.0"}, {("high", "Copyleft licence (AGPL-3.0)")}),
        ({"licence": "LGPL-2.1"}, {("low", "Licence to review (LGPL-2.1)")}),
        ({"licence": "unknown"}, {("low", "Licence to review (unknown)")}),
        ({"licence": "Apache-2.0 OR GPL-2.0"}, set()),
        ({"lock_files": []}, {("low", "Dependencies not locked")}),
        ({"last_commit": date(2025, 11, 20)}, {("low", "Repository untouched for a year or more")}),
        ({"last_commit": date(2025, 11, 21)}, set()),
        ({"copyleft_dependencies": ["x (GPL-3.0, runtime)"]}, {("high", "Copyleft dependencies")}),
        ({"copyleft_dependencies": ["x (GPL-3.0, dev)"]}, {("medium", "Copyleft dependencies")}),
        ({"lines": 0, "licence": None, "test_files": 0, "ci_files": []}, set()),
    ],
)
def test_each_repository_rule_fires_at_its_threshold(changes: dict, expected: set) -> None:
    assert flags(report(sound(**changes))) == expected


def test_people_who_left_are_named_by_how_they_were_found() -> None:
    found = flags(report(sound(departed_share=0.6), method="hr_export"))
    assert found == {("high", "Knowledge held by people who left")}


def test_activity_flags_need_five_full_quarters_and_half_the_mean() -> None:
    fell = ("medium", "Commits fell by more than half")
    assert flags(report(sound(), quarters=quarters(8, 8, 8, 8, 3))) == {fell}
    assert flags(report(sound(), quarters=quarters(8, 8, 8, 8, 4))) == set()
    assert flags(report(sound(), quarters=quarters(8, 8, 8, 3))) == set()  # four quarters: too few
    assert flags(report(sound(), quarters=quarters(8, 8, 8, 8, 8, 0, partial_last=True))) == set()
    people = quarters(8, 8, 8, 8, 8, people=(4, 4, 4, 4, 1))
    assert flags(report(sound(), quarters=people)) == {("medium", "Active contributors fell by more than half")}


def test_old_code_flag_at_half_the_lines() -> None:
    old = ("low", "Most code untouched for two years or more")
    bands = [("under 1 month", 50, 0.5), ("2-4 years", 30, 0.3), ("4 years or more", 20, 0.2)]
    assert flags(report(sound(), code_age=bands)) == {old}
    bands = [("under 1 month", 51, 0.5001), ("2-4 years", 30, 0.3), ("4 years or more", 19, 0.1999)]
    assert flags(report(sound(), code_age=bands)) == set()


def test_secret_kinds_are_graded_and_flags_sorted_most_serious_first() -> None:
    secrets = [
        SecretFinding("svc", "config_secret", "Passwords", 2, 1, ["a.yml"], "high"),
        SecretFinding("svc", "private_key", "Private key headers", 1, 1, ["id_rsa"], "critical"),
    ]
    raised = grade(report(sound(lock_files=[]), secrets=secrets))
    assert [(f.grade, f.evidence) for f in raised] == [
        ("critical", {"matches": 1, "files": 1}),
        ("high", {"matches": 2, "files": 1}),
        ("low", {"manifests": 1, "lock_files": 0}),
    ]


def test_copyleft_counts_a_choice_as_its_least_and_a_combination_as_its_most() -> None:
    assert [copyleft(x) for x in ("GPL-3.0", "MIT OR GPL-3.0", "MIT AND GPL-3.0", "MPL-2.0", "unknown", None)] == [
        "strong",
        "none",
        "strong",
        "weak",
        "none",
        "none",
    ]
