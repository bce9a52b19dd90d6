from __future__ import annotations

import json

from tests.gitrepo import ALICE, BOB


def test_ingest_and_list_identities(make_repo, db_path, quarterdeck):
    repo = make_repo()
    repo.write("a.txt", "one\ntwo\n")
    repo.commit("first", "2024-01-01T10:00:00+01:00", author=ALICE)
    repo.write("a.txt", "one\nthree\n")
    repo.commit("second", "2024-01-02T10:00:00+01:00", author=BOB)
    result = quarterdeck("--db", str(db_path), "ingest", "git", str(repo.path), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [r["new_commits"] for r in report["rows"]] == [2]
    result = quarterdeck("identities", "--db", str(db_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert sorted((r["email"], r["commits"]) for r in rows) == [
        ("alice@example.com", 1),
        ("bob@example.com", 1),
    ]
