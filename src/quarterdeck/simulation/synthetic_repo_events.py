"""The synthetic repository's events, each written as it happens: the initial import,
direct commits to main, feature and dependabot branches (their commits, merges and
abandonment), release branches with release commits, tags and cherry-picks. Commits and
blobs go through ``git_writer.StreamWriter``, the stream writer of every simulated
repository."""

from __future__ import annotations

from array import array

from quarterdeck.simulation.synthetic_repo_content import SyntheticContent
from quarterdeck.simulation.synthetic_repo_model import (
    Blob,
    Candidate,
    Feature,
    Person,
    Raw,
    Recorder,
    Release,
    Text,
    Tree,
    quote_path,
)  # fmt: skip
from quarterdeck.simulation.synthetic_repo_vocab import (
    AUTHORS,
    BOT,
    DEP_BASE,
    DEP_PACKAGES,
    DEP_VERSIONS,
    FORGE,
    MAINTAINERS,
    PROJECT,
    RELEASE_MANAGERS,
    UNUSUAL_NAMES,
    dep_line,
    dep_version,
)  # fmt: skip

Changes = list[tuple[str, Blob | None]]  # (path, its new version or None: deleted)


class SyntheticEvents(SyntheticContent):
    """What happens to the project, one event at a time."""

    # -- the fast-import stream ------------------------------------------------------------------

    def write_commit(
        self, ref: str, author: Person, author_time: int, committer: Person, commit_time: int, message: str,
        parent: int, changes: Changes, merge: int = 0,
    ) -> int:  # fmt: skip
        """Write the new blobs of ``changes`` (each version once), then the commit; its mark."""
        for _path, blob in changes:
            if blob is not None and not blob.mark:
                blob.mark = self.writer.blob(self.render(blob))
        ops = [("D", quote_path(p)) if b is None else ("M", quote_path(p), b.mark) for p, b in changes]
        after = parent if parent and self.ref_tip.get(ref) != parent else None
        mark = self.writer.commit(
            ref, author.line(author_time), committer.line(commit_time), message.encode(), after, merge or None, ops
        )
        self.ref_tip[ref] = mark
        self.stats.commits += 1
        return mark

    def get_sha(self, mark: int) -> str:
        self.writer.sink.write(b"get-mark :%d\n" % mark)
        self.writer.sink.flush()
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().decode().strip()

    def tag(self, name: str, mark: int, tagger: Person, message: str) -> None:
        msg = message.encode()
        self.writer.sink.write(
            b"tag %s\nfrom :%d\ntagger %s\ndata %d\n%s\n"
            % (name.encode(), mark, tagger.line(self.clock), len(msg), msg)
        )
        self.stats.tags += 1

    def light_tag(self, name: str, mark: int) -> None:
        self.writer.reset(f"refs/tags/{name}", mark)
        self.stats.tags += 1

    # -- events ------------------------------------------------------------------------------------

    def on_main_changed(self, paths: list[str]) -> None:
        for f in self.features:
            f.main_touched.update(paths)

    def initial_commit(self) -> None:
        self.setup_dirs()
        tree = self.main
        files: list[tuple[str, Blob | None]] = []

        def add(path: str, blob: Blob) -> None:
            tree.set(path, blob)
            files.append((path, blob))

        add("README.md", self.new_text())
        add("LICENSE", Raw(b"Apache License\nVersion 2.0, January 2004\n" + b"Licensed terms.\n" * 180))
        add("VERSION", Raw(b"0.1.0\n"))
        add("CHANGELOG.md", Raw(b"# Changelog\n\n"))
        deps = sorted({self.rng.randrange(len(DEP_PACKAGES)) for _ in range(30)})
        reqs = array("H", [dep_line(p, self.rng.randrange(DEP_VERSIONS // 2)) for p in deps])
        add("requirements.txt", Text(reqs))
        for name in UNUSUAL_NAMES:
            add(name, Text(self.new_lines(self.rng.randrange(20, 80))))
        while len(tree.paths) < self.target_files():
            if self.chance(3):
                add(*self.new_binary(tree))
            else:
                add(self.new_path(tree), self.new_text())
        who = self.person(0)
        when = self.clock
        self.main_mark = self.write_commit("refs/heads/main", who, when, who, when, "Initial import\n", 0, files)

    def direct_commit(self) -> None:
        idx, who = self.author()
        if self.chance(70) and idx > 6:
            idx, who = self.author()  # direct pushes to main come mostly from the core team
        old_versions: dict[str, Blob | None] = {}
        if self.chance(0.5):
            changes: list[tuple[str, Blob | None]] = []
            subject = "Trigger CI"
        else:
            changes = self.changes_tracking(self.main, old_versions)
            subject = self.subject()
        when = self.tick()
        committer, ctime = who, when
        if self.chance(10):
            committer = self.person(self.pick(MAINTAINERS))
        msg = self.message(subject)
        self.main_mark = self.write_commit("refs/heads/main", who, when, committer, ctime, msg, self.main_mark, changes)
        self.on_main_changed([p for p, _ in changes])
        if changes and all(b is not None and p in old_versions and old_versions[p] is not None for p, b in changes):
            self.candidates.append(
                Candidate(self.main_mark, who, when, subject, [(p, old_versions[p], b) for p, b in changes])
            )

    def changes_tracking(self, tree: Tree, old: dict[str, Blob | None]) -> list[tuple[str, Blob | None]]:
        """Like :meth:`changes`, also recording each path's version before the commit."""
        snapshot = Recorder(tree, old)
        return self.changes(snapshot)  # type: ignore[arg-type]

    def start_feature(self) -> None:
        self.pr_number += 1
        if self.chance(8):
            f = Feature("", "", Person(*BOT), "dependabot", self.main.copy(), 1, self.pr_number, bot=True)
        else:
            idx, who = self.author()
            slug = f"{self.word()}-{self.word()}"
            login = AUTHORS[idx][1].split("@")[0].split(".")[0]
            prefix = self.pick((f"{login}/", "feature/", "fix/", f"{login}/", "chore/"))
            planned = self.pick((1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8))
            f = Feature(
                f"refs/heads/{prefix}{slug}-{self.pr_number}",
                self.subject(),
                who,
                login,
                self.main.copy(),
                planned,
                self.pr_number,
            )
        f.mark = self.main_mark
        self.features.append(f)

    def feature_commit(self, f: Feature) -> None:
        when = self.tick()
        if f.bot:
            changes = self.bump_dependency(f)
            subject = f.title
            author = committer = f.author
            committer = Person(*FORGE)
            self.stats.bot_commits += 1
        else:
            old: dict[str, Blob | None] = {}
            changes = self.changes_tracking(f.tree, old)
            for p in old:
                if p not in f.touched:
                    f.touched[p] = True
                    f.base[p] = old[p]
            subject = f.title if f.commits == 0 else self.subject()
            author = committer = f.author
        author_time = when
        if not f.bot and self.chance(15):
            author_time = when - self.rng.randrange(600, 3 * 86400)  # rebased later
        f.mark = self.write_commit(f.ref, author, author_time, committer, when, self.message(subject), f.mark, changes)
        f.commits += 1

    def bump_dependency(self, f: Feature) -> list[tuple[str, Blob | None]]:
        path = "requirements.txt"
        blob = f.tree.files[path]
        assert isinstance(blob, Text)
        lines = array("H", blob.lines)
        i = self.rng.randrange(len(lines))
        cur = lines[i] - DEP_BASE
        pkg, ver = divmod(cur, DEP_VERSIONS)
        new = min(DEP_VERSIONS - 1, ver + self.rng.randrange(1, 4))
        if new == ver:
            new = max(0, ver - 1)
        lines[i] = dep_line(pkg, new)
        f.title = f"Bump {DEP_PACKAGES[pkg]} from {dep_version(ver)} to {dep_version(new)}"
        f.ref = f"refs/heads/dependabot/pip/{DEP_PACKAGES[pkg]}-{dep_version(new)}-{f.pr}"
        version = Text(lines)
        f.touched[path] = True
        f.base.setdefault(path, blob)
        f.tree.set(path, version)
        return [(path, version)]

    def merge_feature(self, f: Feature) -> None:
        self.features.remove(f)
        changes: list[tuple[str, Blob | None]] = []
        for p in f.touched:
            fv = f.tree.files.get(p)
            mv = self.main.files.get(p)
            if fv is mv:
                continue
            if p in f.main_touched and mv is not f.base.get(p):
                continue  # both sides changed it: the conflict was resolved in favour of main
            changes.append((p, fv))
        for p, b in changes:
            self.main.set(p, b)
        when = self.tick()
        merger = self.person(self.pick(MAINTAINERS))
        if self.chance(80):
            subject = f"Merge pull request #{f.pr} from {PROJECT}/{f.ref.split('/', 2)[2]}"
            msg = f"{subject}\n\n{f.title}\n"
            committer = Person(*FORGE)
        else:
            msg = f"Merge branch '{f.ref.split('/', 2)[2]}'\n"
            committer = merger
        self.main_mark = self.write_commit(
            "refs/heads/main", merger, when, committer, when, msg, self.main_mark, changes, merge=f.mark
        )
        self.writer.reset(f.ref, None)  # the branch is deleted after merging
        self.stats.merges += 1
        self.on_main_changed([p for p, _ in changes])

    def abandon_feature(self, f: Feature) -> None:
        self.features.remove(f)  # its ref stays: a stale branch nobody merged
        self.stats.branches_left += 1

    def create_release(self) -> None:
        self.release_minor += 1
        major, minor = 1 + self.release_minor // 10, self.release_minor % 10
        name = f"{major}.{minor}"
        tree = self.main.copy()
        rm = self.person(self.pick(RELEASE_MANAGERS))
        self.light_tag(f"v{name}.0-branchpoint", self.main_mark)
        rel = Release(f"refs/heads/release/{name}", major, minor, tree, self.main_mark)
        self.releases.append(rel)
        self.release_commit(rel, rm)

    def release_commit(self, rel: Release, rm: Person) -> None:
        version = f"{rel.major}.{rel.minor}.{rel.patch}"
        changes: list[tuple[str, Blob | None]] = [("VERSION", Raw(f"{version}\n".encode()))]
        log = rel.tree.files["CHANGELOG.md"]
        assert isinstance(log, Raw)
        entry = f"## {version}\n\n- {self.subject()}\n- {self.subject()}\n\n".encode()
        changes.append(("CHANGELOG.md", Raw(log.data[:13] + entry + log.data[13:])))
        for p, b in changes:
            rel.tree.set(p, b)
        when = self.tick()
        rel.mark = self.write_commit(rel.ref, rm, when, rm, when, f"Release {version}\n", rel.mark, changes)
        self.tag(f"v{version}", rel.mark, rm, f"Release {version}\n")
        rel.picks_since_patch = 0

    def cherry_pick(self) -> bool:
        live = self.releases[-2:]
        if not live or not self.candidates:
            return False
        rel = self.pick(live)
        for _ in range(8):
            c = self.pick(self.candidates)
            if all(rel.tree.files.get(p) is old for p, old, _new in c.edits):
                break
        else:
            return False
        self.candidates.remove(c)
        changes: list[tuple[str, Blob | None]] = [(p, new) for p, _old, new in c.edits]
        for p, b in changes:
            rel.tree.set(p, b)
        sha = self.get_sha(c.mark)
        when = self.tick()
        rm = self.person(self.pick(RELEASE_MANAGERS))
        msg = f"{c.subject}\n\n(cherry picked from commit {sha})\n"
        rel.mark = self.write_commit(rel.ref, c.author, c.when, rm, when, msg, rel.mark, changes)
        self.stats.cherry_picks += 1
        rel.picks_since_patch += 1
        if rel.picks_since_patch >= 3 and self.chance(30) and self.stats.commits < self.target:
            rel.patch += 1
            self.release_commit(rel, rm)
        return True
