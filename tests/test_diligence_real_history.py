"""Due diligence on a real public history: pallets/itsdangerous, recorded as data and rebuilt
as a real git repository (tests/real_history.py, decision 0081). Every expected value is
computed here from the recording itself, independently of Quarterdeck's SQL."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_quarterdeck
from tests.real_history import Recording, rebuild

NAME = "pallets__itsdangerous"


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Recording, Path]:
    root = tmp_path_factory.mktemp("real")
    recording = rebuild(NAME, root / "repos" / "itsdangerous")
    done = run_quarterdeck(
        "report", "diligence", "--repos", str(root / "repos"), "--out", str(root / "out"), "--format", "json,html"
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), recording, root


def utc_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone(UTC).date()


def people_commits(recording: Recording) -> list[dict]:
    """Non-merge commits by people: bots are the authors whose name or e-mail says [bot]."""
    return [c for c in recording.commits if len(c["parents"]) <= 1 and "[bot]" not in " ".join(c["author"][:2])]


def changed_by_author(commits: list[dict]) -> dict[str, int]:
    changed: dict[str, int] = defaultdict(int)
    for commit in commits:
        who = commit["author"][1].lower()
        changed[who] += sum((a or 0) + (d or 0) for _, _, a, d in commit["files"])
    return changed


def bus_factor(changed: dict[str, int]) -> int:
    total, running = sum(changed.values()), 0
    for n, lines in enumerate(sorted(changed.values(), reverse=True), start=1):
        running += lines
        if 2 * running >= total:
            return n
    raise AssertionError("no changed lines")


def test_the_rebuilt_repository_gives_back_the_recorded_line_counts(ran) -> None:
    _, recording, root = ran
    log = subprocess.run(
        ["git", "log", "--no-merges", "--no-renames", "--numstat", "--format=C%H"],
        cwd=root / "repos" / "itsdangerous",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    added = sum(int(p[0]) for p in (line.split("\t") for line in log.splitlines()) if len(p) == 3 and p[0] != "-")
    expected = sum(a or 0 for c in recording.commits if len(c["parents"]) <= 1 for _, _, a, _ in c["files"])
    assert added == expected == 15277


def test_commits_and_contributors_per_quarter_match_the_recording(ran) -> None:
    found, recording, _ = ran
    commits: dict[str, int] = defaultdict(int)
    people: dict[str, set[str]] = defaultdict(set)
    for commit in people_commits(recording):
        day = utc_day(commit["author"][2])
        quarter = f"{day.year}Q{(day.month - 1) // 3 + 1}"
        commits[quarter] += 1
        people[quarter].add(commit["author"][1].lower())
    shown = {q["quarter"]: (q["commits"], q["active_contributors"]) for q in found["quarters"]}
    assert {q: v for q, v in shown.items() if v != (0, 0)} == {q: (commits[q], len(people[q])) for q in commits}
    assert sum(c for c, _ in shown.values()) == len(people_commits(recording)) == 303
    assert found["quarters"][0]["quarter"] == "2011Q2" and found["quarters"][-1] == {
        "quarter": "2025Q2",
        "start": "2025-04-01",
        "commits": commits["2025Q2"],
        "active_contributors": len(people["2025Q2"]),
        "partial": True,
    }


def test_contributors_top_authors_and_bus_factor_match_the_recording(ran) -> None:
    found, recording, _ = ran
    commits = people_commits(recording)
    changed = changed_by_author(commits)
    total = sum(changed.values())
    assert found["contributors"] == len(changed) == 41
    top = sorted(changed.values(), reverse=True)[:5]
    assert found["top_authors"] == [round(v / total, 4) for v in top]
    repo = found["repositories"][0]
    assert repo["commits"] == len(commits)
    assert repo["bus_factor_all"] == bus_factor(changed) == 1
    assert repo["top_author_share_all"] == round(top[0] / total, 4)
    ends = max(utc_day(c[k][2]) for c in recording.commits for k in ("author", "committer"))
    assert found["data_ends"] == ends.isoformat() == "2025-06-14"
    recent = changed_by_author([c for c in commits if utc_day(c["author"][2]) > ends - timedelta(days=365)])
    assert repo["bus_factor_12m"] == bus_factor(recent)


def test_people_who_stopped_are_found_by_inactivity_without_an_hr_export(ran) -> None:
    found, recording, _ = ran
    commits = people_commits(recording)
    ends = date.fromisoformat(found["data_ends"])
    last: dict[str, date] = {}
    for commit in commits:
        who = commit["author"][1].lower()
        last[who] = max(last.get(who, date.min), utc_day(commit["author"][2]))
    left = {who for who, day in last.items() if (ends - day).days >= 182}
    changed = changed_by_author(commits)
    share = sum(changed[w] for w in left) / sum(changed.values())
    assert found["departed"] == {
        "method": "inactive",
        "inactive_days": 182,
        "authors": len(left),
        "share_of_changed_lines": round(share, 4),
    }
    assert any("No HR export was given" in note for note in found["notes"])


def test_licence_manifests_ci_and_no_secrets_at_head(ran) -> None:
    found, recording, root = ran
    repo = found["repositories"][0]
    assert (repo["licence"], repo["licence_file"]) == ("BSD-3-Clause", "LICENSE.txt")
    assert "Redistribution and use in source and binary forms" in (recording.folder / "LICENSE.txt").read_text()
    pyproject = tomllib.loads((recording.folder / "head" / "pyproject.toml").read_text())
    declared = len(pyproject["project"].get("dependencies", [])) + sum(
        len(group) for group in pyproject["dependency-groups"].values()
    )
    assert repo["lock_files"] == ["uv.lock"] and repo["manifests"] == {"pyproject.toml": declared} == {
        "pyproject.toml": 15
    }
    groups = pyproject["dependency-groups"].values()
    names = {re.split(r"[ ;<>=!~\[]", item)[0].lower() for group in groups for item in group}
    assert repo["dependencies"] == len(names) == 14  # pytest is in two groups: one dependency
    assert repo["dependency_licences"] == {"unknown": 14} and repo["locked_dependencies"] == 14
    head = sorted(p for p in recording.head_files() if p.startswith(".github/workflows/"))
    assert sorted(repo["ci_files"]) == head and len(head) == 4
    assert found["secrets"] == []
    html = (root / "out" / "diligence.html").read_text()
    assert "BSD-3-Clause" in html and "One person wrote at least half" in html
