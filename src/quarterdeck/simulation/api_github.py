"""The simulated pull requests as GitHub's REST API returns them, for the replay server.

For every repository with work, the answers to each request the GitHub sync makes on a
first run (``docs/sources/github.md``): the pull requests, most recently updated first, in
pages of 100 with ``Link`` headers; each pull request's reviews, commits and timeline events
(``review_requested``, ``ready_for_review`` when it was opened as a draft, ``merged``,
``closed``); and empty listings of review comments, issues (the organization tracks its
issues in Jira), Actions runs, deployments and releases. Items have the fields and shapes
GitHub sends (user objects of accounts, ``head``/``base`` with the repository), trimmed of
the templated URLs nothing reads; the values come from the plan (``pull_requests``) and the
SHAs from the written repositories. Times are whole seconds, as GitHub gives them.

The snapshot is taken once all planned work is done: every pull request has its reviews and
its merge or closing, even those the plan finishes after the simulated span.
"""

from __future__ import annotations

import base64
import bisect
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from quarterdeck.simulation.git_writer import WrittenRepository
from quarterdeck.simulation.history import Author, Change
from quarterdeck.simulation.model import World
from quarterdeck.simulation.pull_requests import BOT, PlannedPullRequest
from quarterdeck.simulation.replay import PLACEHOLDER, ResponseFile, in_parallel, with_query

PAGE = 100
BOT_ID = 49699333  # dependabot[bot]'s account id on github.com
PULLS_QUERY = {"state": "all", "sort": "updated", "direction": "desc", "per_page": PAGE}
PER_PAGE = f"?per_page={PAGE}"
EMPTY_LISTINGS = (
    ("pulls/comments", {"sort": "updated", "direction": "asc", "per_page": PAGE}, []),
    ("issues", {"state": "all", "sort": "updated", "direction": "asc", "per_page": PAGE}, []),
    ("actions/runs", {"per_page": PAGE}, {"total_count": 0, "workflow_runs": []}),
    ("deployments", {"per_page": PAGE}, []),
    ("releases", {"per_page": PAGE}, []),
)


def github_time(moment: datetime) -> str:
    """``2024-01-05T10:08:05Z``: GitHub's form, whole seconds (the fraction is dropped)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def node_id(kind: str, number: int) -> str:
    """GitHub's (legacy) global ids: base64 of ``<type code>:<Type><id>``."""
    return base64.b64encode(f"{len(kind):02d}:{kind}{number}".encode()).decode("ascii")


class Accounts:
    """The GitHub accounts of the people (by work e-mail and person id) and of the bot."""

    def __init__(self, world: World):
        self.by_person: dict[str, dict[str, Any]] = {}
        self.by_email: dict[str, dict[str, Any]] = {}
        for person in world.people:
            user = _user(person.github, 50_000_000 + int(person.person_id[1:]), "User")
            self.by_person[person.person_id] = user
            self.by_email[person.email] = user
        self.bot = _user(BOT.name, BOT_ID, "Bot")
        self.by_email[BOT.email] = self.bot

    def of(self, person_id: str | None) -> dict[str, Any]:
        return self.bot if person_id is None else self.by_person[person_id]

    def of_author(self, author: Author) -> dict[str, Any] | None:
        return self.by_email.get(author.email)


def _user(login: str, number: int, kind: str) -> dict[str, Any]:
    """An account as GitHub embeds it in items (without its avatar and templated URLs)."""
    return {"login": login, "id": number, "node_id": node_id(kind, number), "type": kind, "site_admin": False}


def write_github_api(
    world: World,
    planned: dict[str, list[PlannedPullRequest]],
    written: dict[str, WrittenRepository],
    api: Path,
    workers: int = 1,
) -> tuple[list[tuple[str, str]], int]:
    """Write ``api/github/<repository>.responses.gz`` for every written repository (on
    ``workers`` processes); returns the routes (path prefix, file) for ``api/routes.json``
    and the number of answers."""
    accounts = Accounts(world)
    owners = {s.service_id: s.owner_team_id for s in world.services}
    tasks, routes = [], []
    for index, repository in enumerate(world.repositories):
        if repository.name not in written:
            continue
        full = f"{world.organization}/{repository.name}"
        site = _Repository(full, 600_000_000 + index, index, written[repository.name], accounts)
        relative = f"github/{repository.name}.responses.gz"
        pulls, team = planned.get(repository.name, []), owners.get(repository.service_id, "")
        tasks.append(partial(_write_file, api / relative, site, pulls, team))
        routes.append((f"/repos/{full}/", relative))
    return routes, sum(in_parallel(tasks, workers))


def _write_file(path: Path, site: _Repository, pulls: list[PlannedPullRequest], team: str) -> int:
    with ResponseFile(path) as out:
        _write_repository(out, site, pulls, team)
        return out.answers


class _Repository:
    """One repository's account, ids and the default branch's tip over time."""

    def __init__(self, full: str, number: int, index: int, written: WrittenRepository, accounts: Accounts):
        self.full, self.index, self.written, self.accounts = full, index, written, accounts
        self.api = f"{PLACEHOLDER}/repos/{full}"
        owner = _user(full.split("/")[0], 70_000_000, "Organization")
        self.object = {
            "id": number,
            "node_id": node_id("Repository", number),
            "name": full.split("/")[1],
            "full_name": full,
            "private": True,
            "owner": owner,
            "fork": False,
            "url": self.api,
            "default_branch": written.default_branch,
        }
        self.tips: list[tuple[datetime, str]] = []  # (merge time, SHA on the default branch), in order

    def learn_merges(self, pulls: list[PlannedPullRequest]) -> None:
        merges = [(p.merged_at, self.written.shas[p.work.merge.key]) for p in pulls if p.work.merge and p.merged_at]
        self.tips = sorted(merges)

    def tip_at(self, moment: datetime) -> str:
        """The default branch's SHA at ``moment`` (the last merge before it)."""
        position = bisect.bisect_left(self.tips, (moment, ""))
        return self.tips[position - 1][1] if position else self.written.initial_sha

    def sha(self, change: Change) -> str:
        return self.written.shas[change.key]


def _write_repository(out: ResponseFile, site: _Repository, pulls: list[PlannedPullRequest], team: str) -> None:
    site.learn_merges(pulls)
    items = [(_updated(p), p.number, p) for p in pulls]
    items.sort(key=lambda t: (t[0], t[1]), reverse=True)
    path = f"/repos/{site.full}/pulls"
    pages = [items[i : i + PAGE] for i in range(0, len(items), PAGE)] or [[]]
    for number, page in enumerate(pages, start=1):
        query = PULLS_QUERY if number == 1 else {**PULLS_QUERY, "page": number}
        body = [_pull_item(site, pull, updated) for updated, _, pull in page]
        out.add(with_query(path, query), body, _links(site.api + "/pulls", number, len(pages)))
    for _, _, pull in items:
        base = f"/repos/{site.full}"
        out.add(f"{base}/pulls/{pull.number}/reviews{PER_PAGE}", list(_reviews(site, pull)))
        out.add(f"{base}/pulls/{pull.number}/commits{PER_PAGE}", list(_commits(site, pull)))
        out.add(f"{base}/issues/{pull.number}/events{PER_PAGE}", list(_events(site, pull, team)))
    for tail, query, body in EMPTY_LISTINGS:
        out.add(with_query(f"/repos/{site.full}/{tail}", query), body)


def _links(listing: str, page: int, last: int) -> dict[str, str]:
    """GitHub's ``Link`` header for page ``page`` of ``last``."""
    url = with_query(listing, PULLS_QUERY)
    links = []
    if page > 1:
        links.append(f'<{url}&page={page - 1}>; rel="prev"')
    if page < last:
        links += [f'<{url}&page={page + 1}>; rel="next"', f'<{url}&page={last}>; rel="last"']
    if page > 1:
        links.append(f'<{url}&page=1>; rel="first"')
    return {"Link": ", ".join(links)} if links else {}


def _updated(pull: PlannedPullRequest) -> datetime:
    """The last thing that happened to the pull request."""
    moments = [pull.created_at, pull.ready_at, pull.work.commits[-1].committed_at]
    moments += [r.submitted_at for r in pull.reviews]
    moments += [t for t in (pull.merged_at, pull.closed_at) if t is not None]
    return max(moments)


def _pull_item(site: _Repository, pull: PlannedPullRequest, updated: datetime) -> dict[str, Any]:
    number, user = pull.number, site.accounts.of(pull.author_id)
    head = site.sha(pull.work.commits[-1])
    merged = pull.work.merge is not None and pull.merged_at is not None
    return {
        "url": f"{site.api}/pulls/{number}",
        "id": 1_500_000_000 + site.index * 1_000_000 + number,
        "node_id": node_id("PullRequest", 1_500_000_000 + site.index * 1_000_000 + number),
        "html_url": f"https://github.com/{site.full}/pull/{number}",
        "number": number,
        "state": "closed" if pull.closed_at is not None else "open",
        "locked": False,
        "title": pull.title,
        "user": user,
        "body": "",
        "created_at": github_time(pull.created_at),
        "updated_at": github_time(updated),
        "closed_at": github_time(pull.closed_at) if pull.closed_at else None,
        "merged_at": github_time(pull.merged_at) if merged and pull.merged_at else None,
        "merge_commit_sha": site.sha(pull.work.merge) if merged and pull.work.merge else None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [_label(site)] if pull.author_id is None else [],
        "milestone": None,
        "draft": False,  # drafts were all marked ready before the snapshot
        "head": _branch(site, pull.work.key, head, user),
        "base": _branch(site, site.written.default_branch, site.tip_at(pull.created_at), site.object["owner"]),
        "author_association": "NONE" if pull.author_id is None else "MEMBER",
        "auto_merge": None,
        "active_lock_reason": None,
    }


def _label(site: _Repository) -> dict[str, Any]:
    number = 800_000_000 + site.index
    return {
        "id": number,
        "node_id": node_id("Label", number),
        "url": f"{site.api}/labels/dependencies",
        "name": "dependencies",
        "color": "0366d6",
        "default": False,
        "description": "Pull requests that update a dependency file",
    }


def _branch(site: _Repository, ref: str, sha: str, user: dict[str, Any]) -> dict[str, Any]:
    owner = site.full.split("/")[0]
    return {"label": f"{owner}:{ref}", "ref": ref, "sha": sha, "user": user, "repo": site.object}


def _reviews(site: _Repository, pull: PlannedPullRequest) -> Iterator[dict[str, Any]]:
    for position, review in enumerate(pull.reviews):
        number = 2_000_000_000 + site.index * 10_000_000 + pull.number * 4 + position
        html = f"https://github.com/{site.full}/pull/{pull.number}#pullrequestreview-{number}"
        yield {
            "id": number,
            "node_id": node_id("PullRequestReview", number),
            "user": site.accounts.of(review.reviewer_id),
            "body": "",
            "state": review.state,
            "html_url": html,
            "pull_request_url": f"{site.api}/pulls/{pull.number}",
            "author_association": "MEMBER",
            "submitted_at": github_time(review.submitted_at),
            "commit_id": site.sha(_head_at(pull, review.submitted_at)),
        }


def _head_at(pull: PlannedPullRequest, moment: datetime) -> Change:
    """The branch's last commit at ``moment``."""
    done = [c for c in pull.work.commits if c.committed_at <= moment]
    return done[-1] if done else pull.work.commits[0]


def _commits(site: _Repository, pull: PlannedPullRequest) -> Iterator[dict[str, Any]]:
    parent = site.tip_at(pull.work.commits[0].committed_at)
    for change in pull.work.commits:
        sha = site.sha(change)
        user = site.accounts.of_author(change.author)
        authored = _signature(change.author, change.authored_at)
        same = change.committed_at == change.authored_at
        yield {
            "sha": sha,
            "commit": {
                "author": authored,
                "committer": authored if same else _signature(change.author, change.committed_at),
                "message": change.message,
                "comment_count": 0,
            },
            "url": f"{site.api}/commits/{sha}",
            "author": user,
            "committer": user,
            "parents": [{"sha": parent}],
        }
        parent = sha


def _signature(author: Author, moment: datetime) -> dict[str, str]:
    return {"name": author.name, "email": author.email, "date": github_time(moment)}


def _events(site: _Repository, pull: PlannedPullRequest, team: str) -> Iterator[dict[str, Any]]:
    """The timeline: labelled (bots), ready for review (drafts), review requested, merged, closed."""
    author = site.accounts.of(pull.author_id)
    found: list[tuple[str, datetime, dict[str, Any]]] = []
    if pull.author_id is None:
        found.append(("labeled", pull.created_at, {"label": {"name": "dependencies", "color": "0366d6"}}))
        found.append(("review_requested", pull.created_at, {"requested_team": {"name": team, "slug": team}}))
    else:
        if pull.draft:
            found.append(("ready_for_review", pull.ready_at, {}))
        if pull.reviews:
            reviewer = site.accounts.of(pull.reviews[0].reviewer_id)
            found.append(("review_requested", pull.ready_at, {"requested_reviewer": reviewer}))
    if pull.merged_at is not None and pull.work.merge is not None:
        found.append(("merged", pull.merged_at, {"commit_id": site.sha(pull.work.merge)}))
    if pull.closed_at is not None:
        found.append(("closed", pull.closed_at, {}))
    for position, (event, moment, extra) in enumerate(found):
        number = 9_000_000_000 + site.index * 10_000_000 + pull.number * 8 + position
        yield {
            "id": number,
            "node_id": node_id("IssueEvent", number),
            "actor": author,
            "event": event,
            "commit_id": extra.get("commit_id"),
            "commit_url": f"{site.api}/commits/{extra['commit_id']}" if "commit_id" in extra else None,
            "created_at": github_time(moment),
            **{k: v for k, v in extra.items() if k != "commit_id"},
        }
