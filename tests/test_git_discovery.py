"""Finding repositories: bare ones, work trees, linked work trees, submodules and folders
searched recursively; the same repository reached twice is ingested once."""

from __future__ import annotations

import os
from pathlib import Path

from tests.gitrepo import ALICE, BOB, Repo, git
from tests.test_git_edge_support import git_numstat, ingest, query, stored_files


def _repo_paths(db: Path) -> list[tuple[str, str | None]]:
    return sorted(query(db, "SELECT path, work_tree FROM repositories"))


def _commits_of(db: Path, git_dir: Path) -> list[str]:
    rows = query(
        db,
        "SELECT c.sha FROM commits c JOIN repositories r USING (repository_id) WHERE r.path = ?",
        [str(git_dir.resolve())],
    )
    return sorted(r[0] for r in rows)


def _simple_repo(path: Path, files: dict[str, str], when: str = "2024-01-01T09:00:00+00:00") -> Repo:
    repo = Repo.create(path)
    for name, content in files.items():
        repo.write(name, content)
    repo.commit(f"init {path.name}", when, author=ALICE)
    return repo


# --- 5. submodules -------------------------------------------------------------------------


def _superproject(tmp_path: Path) -> tuple[Repo, Repo, list[str]]:
    upstream = _simple_repo(tmp_path / "upstream-lib", {"lib.py": "x = 1\n"})
    upstream.write("lib.py", "x = 2\n")
    upstream.commit("lib v2", "2024-01-02T09:00:00+00:00", author=BOB)
    sup = _simple_repo(tmp_path / "workspace" / "super", {"README.md": "super\n"})
    git(sup.path, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(upstream.path), "libs/lib")
    add = sup.commit("add lib", "2024-01-03T09:00:00+00:00")
    git(sup.path / "libs" / "lib", "checkout", "-q", upstream.commits[0])  # pin the older version
    pin = sup.commit("pin lib to v1", "2024-01-04T09:00:00+00:00")
    return sup, upstream, [add, pin]


def test_submodule_is_found_with_its_superproject(tmp_path, db_path):
    sup, upstream, (add, pin) = _superproject(tmp_path)

    ingest(db_path, tmp_path / "workspace")

    module_git_dir = sup.path / ".git" / "modules" / "libs" / "lib"
    assert _repo_paths(db_path) == sorted(
        [
            (str((sup.path / ".git").resolve()), str(sup.path.resolve())),
            (str(module_git_dir.resolve()), str((sup.path / "libs" / "lib").resolve())),
        ]
    )
    assert _commits_of(db_path, module_git_dir) == sorted(upstream.commits)
    assert _commits_of(db_path, sup.path / ".git") == sorted(sup.commits)
    # The gitlink rows are exactly what git log --numstat prints for them.
    expected = git_numstat(sup.path, add, pin)
    assert expected[add] == [(".gitmodules", None, 3, 0), ("libs/lib", None, 1, 0)]
    assert expected[pin] == [("libs/lib", None, 1, 1)]
    assert stored_files(db_path, add) == expected[add]
    assert stored_files(db_path, pin) == expected[pin]
    # The submodule is checked out on a detached HEAD at v1.
    assert query(
        db_path,
        "SELECT default_branch, head_sha FROM repositories WHERE path = ?",
        [str(module_git_dir.resolve())],
    ) == [(None, upstream.commits[0])]


def test_submodule_is_found_when_the_superproject_is_given_directly(tmp_path, db_path):
    sup, upstream, _ = _superproject(tmp_path)
    report = ingest(db_path, sup.path)
    assert len(report["rows"]) == 2
    assert _commits_of(db_path, sup.path / ".git" / "modules" / "libs" / "lib") == sorted(upstream.commits)
    assert [p for p, _ in _repo_paths(db_path)] == sorted(
        [str((sup.path / ".git").resolve()), str((sup.path / ".git" / "modules" / "libs" / "lib").resolve())]
    )


# --- 9. bare repositories, work trees, the same repository twice ---------------------------


def test_bare_repository(tmp_path, db_path):
    src = _simple_repo(tmp_path / "src", {"a.txt": "a\n"})
    bare = tmp_path / "server" / "project.git"
    git(tmp_path, "clone", "-q", "--bare", str(src.path), str(bare))

    report = ingest(db_path, bare)

    # named after its folder, without ".git"
    assert [(r["repository"], r["new_commits"]) for r in report["rows"]] == [("project", 1)]
    assert query(db_path, "SELECT name, path, work_tree, default_branch, head_sha FROM repositories") == [
        ("project", str(bare.resolve()), None, "main", src.commits[0])
    ]
    assert _commits_of(db_path, bare) == src.commits


def test_work_tree_and_its_git_dir_are_one_repository(tmp_path, db_path):
    repo = _simple_repo(tmp_path / "repo", {"a.txt": "a\n"})
    link = tmp_path / "link-to-repo"
    os.symlink(repo.path, link)

    report = ingest(db_path, repo.path, repo.path / ".git", link, tmp_path / "repo" / ".")

    assert len(report["rows"]) == 1
    assert _repo_paths(db_path) == [(str((repo.path / ".git").resolve()), str(repo.path.resolve()))]
    assert query(db_path, "SELECT count(*) FROM commits") == [(1,)]


def _with_linked_worktree(tmp_path: Path) -> tuple[Repo, Path, str]:
    repo = _simple_repo(tmp_path / "main-checkout", {"a.txt": "a\n"})
    wt = tmp_path / "feature-checkout"
    git(repo.path, "worktree", "add", "-q", "-b", "feature", str(wt))
    feature = Repo(wt, "feature")
    feature.write("f.txt", "feature\n")
    sha = feature.commit("feature work", "2024-02-01T09:00:00+00:00", author=BOB)
    return repo, wt, sha


def test_linked_worktree_is_the_same_repository(tmp_path, db_path):
    repo, wt, feature_sha = _with_linked_worktree(tmp_path)
    for order in ([repo.path, wt], [wt, repo.path]):
        db = db_path.with_name(f"{order[0].name}.duckdb")
        report = ingest(db, *order)
        assert len(report["rows"]) == 1
        assert [p for p, _ in _repo_paths(db)] == [str((repo.path / ".git").resolve())]
        assert sorted(r[0] for r in query(db, "SELECT sha FROM commits")) == sorted([repo.commits[0], feature_sha])


def test_linked_worktree_on_a_later_run_changes_nothing(tmp_path, db_path):
    repo, wt, _ = _with_linked_worktree(tmp_path)
    ingest(db_path, repo.path)
    before = query(db_path, "SELECT repository_id, path, default_branch, head_sha FROM repositories")

    report = ingest(db_path, wt)

    assert before[0][2] == "main"
    assert report["rows"][0]["new_commits"] == 0
    # The repository's default branch and HEAD do not depend on which checkout was named.
    assert query(db_path, "SELECT repository_id, path, default_branch, head_sha FROM repositories") == before
    assert [r["status"] for r in report["rows"]] == ["unchanged"]


# --- 10. folder search ------------------------------------------------------------------------


def test_folder_search_finds_repositories_at_every_depth(tmp_path, db_path):
    root = tmp_path / "org"
    upstream = _simple_repo(tmp_path / "upstream-sub", {"s.txt": "s\n"})
    alpha = _simple_repo(root / "alpha", {"a.txt": "a\n"})
    git(
        alpha.path,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(upstream.path),
        "deps/sub",
    )
    alpha.commit("add sub", "2024-01-02T09:00:00+00:00")
    # A repository inside alpha's work tree that is not a submodule: not searched.
    _simple_repo(alpha.path / "vendor" / "inner", {"i.txt": "i\n"})
    beta = _simple_repo(root / "group" / "beta", {"b.txt": "b\n"})
    gamma_src = _simple_repo(tmp_path / "gamma-src", {"g.txt": "g\n"})
    gamma = root / "group" / "deeper" / "x" / "gamma.git"
    git(tmp_path, "clone", "-q", "--bare", str(gamma_src.path), str(gamma))
    (root / "notes").mkdir()
    (root / "notes" / "todo.txt").write_text("not a repository\n")
    (root / "group" / "empty-folder").mkdir()

    report = ingest(db_path, root)

    assert report["status"] == "succeeded"
    assert _repo_paths(db_path) == sorted(
        [
            (str((alpha.path / ".git").resolve()), str(alpha.path.resolve())),
            (
                str((alpha.path / ".git" / "modules" / "deps" / "sub").resolve()),
                str((alpha.path / "deps" / "sub").resolve()),
            ),
            (str((beta.path / ".git").resolve()), str(beta.path.resolve())),
            (str(gamma.resolve()), None),
        ]
    )
    assert all(r["status"] == "ingested" for r in report["rows"])
    assert query(db_path, "SELECT count(*) FROM commits") == [(2 + 1 + 1 + 1,)]
