"""The HTTP client of every connector, against a real server on 127.0.0.1 replaying recorded
API responses (GitHub's issue listing in five pages with its Link headers, Jira's search
envelope), with a 502, a timeout and rate limits put in front of recorded answers."""

from __future__ import annotations

import json
import time

import pytest

from quarterdeck.core.errors import SourceError
from quarterdeck.sources.http.client import HttpClient, RetryPolicy
from quarterdeck.sources.http.paging import Offset, Token, link_header
from tests.replay import FIXTURES, Exchange, Replay, octokit_exchanges, serve

REPO = "/repos/octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe"
FIRST = f"{REPO}/issues?per_page=3"
PAGE = "/repositories/515435940/issues?per_page=3&page={}"
FAST = RetryPolicy(attempts=3, backoff=0.05, longest_wait=5)


def github_replay() -> Replay:
    replay = Replay()
    for exchange in octokit_exchanges("paginate-issues"):
        replay.add(exchange)
    return replay


def client(replay: Replay, waits: list[tuple[float, str]] | None = None, **options) -> HttpClient:
    on_wait = (lambda seconds, why: waits.append((seconds, why))) if waits is not None else None
    options.setdefault("policy", FAST)
    return HttpClient(
        "GitHub",
        replay.base_url,
        headers={"Authorization": "Bearer s3cret-token"},
        permission_hint="the token in GITHUB_TOKEN needs read access to the repository's issues",
        on_wait=on_wait,
        **options,
    )


def numbers(responses) -> list[int]:
    return [issue["number"] for response in responses for issue in response.json()]


def synthetic(path: str, status: int, headers: dict[str, str] | None = None, body: dict | None = None) -> Exchange:
    return Exchange(
        "GET", path, status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(body or {}).encode()
    )


def test_link_header_pagination_reads_every_recorded_page():
    with serve(github_replay()) as replay, client(replay) as http:
        issues = numbers(http.pages(f"{REPO}/issues", {"per_page": 3}, link_header))
    assert issues == [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert [path for _, path, _ in replay.received] == [FIRST, *(PAGE.format(n) for n in range(2, 6))]
    assert all(headers["authorization"] == "Bearer s3cret-token" for _, _, headers in replay.received)


def test_a_502_in_the_middle_of_a_run_is_retried():
    replay = github_replay()
    replay.add(synthetic(PAGE.format(3), 502, body={"message": "Server Error"}), first=True)
    waits: list[tuple[float, str]] = []
    with serve(replay), client(replay, waits) as http:
        issues = numbers(http.pages(f"{REPO}/issues", {"per_page": 3}, link_header))
    assert len(issues) == 13
    assert [path for _, path, _ in replay.received].count(PAGE.format(3)) == 2
    assert waits == [(0.05, "GitHub: 502 Bad Gateway; retrying in 0.05 s")]


def test_a_rate_limit_with_retry_after_is_waited_out():
    replay = github_replay()
    replay.add(synthetic(PAGE.format(2), 429, {"Retry-After": "1"}, {"message": "API rate limit exceeded"}), first=True)
    waits: list[tuple[float, str]] = []
    started = time.monotonic()
    with serve(replay), client(replay, waits) as http:
        issues = numbers(http.pages(f"{REPO}/issues", {"per_page": 3}, link_header))
    assert len(issues) == 13 and time.monotonic() - started >= 1.0
    assert waits == [(1.0, "GitHub: rate limited; waiting 1 s as the API asks")]


def test_a_secondary_limit_403_and_an_exhausted_quota_wait_too():
    replay = github_replay()
    secondary = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}
    replay.add(synthetic(PAGE.format(2), 403, {"Retry-After": "1"}, secondary), first=True)
    reset = str(int(time.time()) + 1)
    quota = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    replay.add(synthetic(PAGE.format(4), 403, quota, {"message": "API rate limit exceeded for user."}), first=True)
    waits: list[tuple[float, str]] = []
    with serve(replay), client(replay, waits) as http:
        assert len(numbers(http.pages(f"{REPO}/issues", {"per_page": 3}, link_header))) == 13
    assert waits[0] == (1.0, "GitHub: rate limited; waiting 1 s as the API asks")
    assert 0 < waits[1][0] <= 2.0  # until the reset, plus a second


def test_a_wait_longer_than_allowed_fails_with_when_to_run_again():
    replay = github_replay()
    replay.add(synthetic(FIRST, 429, {"Retry-After": "3600"}), first=True)
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        list(http.pages(f"{REPO}/issues", {"per_page": 3}, link_header))
    assert str(error.value).startswith(f"GitHub: rate limit reached at GET {REPO}/issues: the API asks to wait 3600 s")


def test_a_rejected_token_names_the_source_and_the_permission_and_not_the_token():
    replay = Replay()
    replay.add(
        synthetic(FIRST, 401, body={"message": "Bad credentials", "documentation_url": "https://docs.github.com"})
    )
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        http.get(f"{REPO}/issues", {"per_page": 3})
    assert str(error.value) == (
        f'GitHub: GET {REPO}/issues answered 401 Unauthorized ("Bad credentials"): the token was not accepted; '
        "the token in GITHUB_TOKEN needs read access to the repository's issues"
    )
    assert "s3cret" not in str(error.value)


def test_it_gives_up_after_the_attempts_of_its_policy():
    replay = Replay()
    replay.add(synthetic(FIRST, 503, body={"message": "unavailable"}))
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        http.get(f"{REPO}/issues", {"per_page": 3})
    assert (
        str(error.value) == f"GitHub: GET {REPO}/issues failed 3 times, last: 503 Service Unavailable; try again later"
    )
    assert len(replay.received) == 3


def test_a_timeout_is_retried():
    replay = github_replay()
    slow = octokit_exchanges("paginate-issues")[0]
    replay.add(Exchange(slow.method, slow.path, slow.status, slow.headers, slow.body, delay=1.5), first=True)
    waits: list[tuple[float, str]] = []
    with serve(replay), client(replay, waits, timeout=0.5) as http:
        assert len(numbers(http.pages(f"{REPO}/issues", {"per_page": 3}, link_header))) == 13
    assert waits[0][1].startswith("GitHub: no answer within 0.5 s; retrying")


def jira_pages(size: int) -> Replay:
    """Jira's recorded search envelope (11 issues), served ``size`` issues a page."""
    envelope = json.loads((FIXTURES / "jira" / "sumoheavy__jira-ruby" / "issue.json").read_text())
    replay = Replay()
    for start in range(0, envelope["total"] + size, size):
        page = {**envelope, "startAt": start, "maxResults": size, "issues": envelope["issues"][start : start + size]}
        replay.add(
            synthetic(f"/rest/api/2/search?jql=project%3DSAMPLE&maxResults={size}&startAt={start}", 200, body=page)
        )
    return replay


def test_offset_pagination_stops_at_the_total():
    with serve(jira_pages(4)) as replay, client(replay) as http:
        params = {"jql": "project=SAMPLE", "maxResults": 4, "startAt": 0}
        keys = [i["key"] for r in http.pages("/rest/api/2/search", params, Offset()) for i in r.json()["issues"]]
    assert len(keys) == 11 and len(set(keys)) == 11
    assert [path.rsplit("=", 1)[1] for _, path, _ in replay.received] == ["0", "4", "8"]


def test_token_pagination_follows_the_token_until_it_is_gone():
    replay = Replay()
    replay.add(synthetic("/rest/api/3/search/jql?jql=x", 200, body={"issues": [{"key": "A-1"}], "nextPageToken": "t2"}))
    replay.add(synthetic("/rest/api/3/search/jql?jql=x&nextPageToken=t2", 200, body={"issues": [{"key": "A-2"}]}))
    with serve(replay), client(replay) as http:
        keys = [
            i["key"] for r in http.pages("/rest/api/3/search/jql", {"jql": "x"}, Token()) for i in r.json()["issues"]
        ]
    assert keys == ["A-1", "A-2"]
