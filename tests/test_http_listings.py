"""What the HTTP client of every connector does when an API's answers go wrong, against a real
server on 127.0.0.1 replaying GitHub's recorded issue listing (five pages of three issues,
with their Link headers) with faulty answers put in front: a listing that pages in
circles, a body cut off in transit, an answer of the wrong shape, a token echoed back."""

from __future__ import annotations

import gzip
import io
import json
import logging

import pytest

from quarterdeck.core.errors import SourceError
from quarterdeck.core.secrets import forget_all, install_log_masking, masked, remember
from quarterdeck.sources.http.client import HttpClient
from quarterdeck.sources.http.paging import Offset, link_header
from tests.replay import Exchange, Replay, octokit_exchanges, serve
from tests.test_http_client import FIRST, PAGE, REPO, client, github_replay, synthetic

RECORDED = {exchange.path: exchange for exchange in octokit_exchanges("paginate-issues")}


def recorded_page(n: int) -> Exchange:
    return RECORDED[FIRST if n == 1 else PAGE.format(n)]


def page_as(n: int, path: str, link: str | None = None) -> Exchange:
    """Page ``n`` as recorded, answered at ``path`` (its Link header replaced by ``link``)."""
    page = recorded_page(n)
    headers = {k: v for k, v in page.headers.items() if k.lower() != "link"}
    if link is not None:
        headers["Link"] = link
    return Exchange("GET", path, 200, headers, page.body)


def issues_of(http: HttpClient) -> list[int]:
    """The issue numbers of the listing, each page read as a connector reads it."""
    pages = http.pages(f"{REPO}/issues", {"per_page": 3}, link_header)
    return [issue["number"] for page in pages for issue in http.body(page, list)]


def test_the_recorded_pages_hold_thirteen_different_issues():
    """The scenarios below start from these recordings: 13 issues, none on two pages."""
    assert [len(json.loads(recorded_page(n).body)) for n in range(1, 6)] == [3, 3, 3, 3, 1]
    with serve(github_replay()) as replay, client(replay) as http:
        assert sorted(issues_of(http)) == list(range(1, 14))


def test_a_link_that_points_back_to_an_earlier_page_stops_the_listing():
    replay = github_replay()
    back = f'<https://api.github.com{PAGE.format(2)}>; rel="next"'
    replay.add(page_as(4, PAGE.format(4), back), first=True)
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        issues_of(http)
    assert str(error.value) == (
        f"GitHub: the listing GET {REPO}/issues went round in circles at GET {PAGE.format(2)[1:]}: the next page "
        "it names is page 2 of this listing again (page 4 links back to it); nothing of it was stored this run "
        "and its cursor stays; run again later"
    )
    assert [p for _, p, _ in replay.received] == [FIRST, *(PAGE.format(n) for n in (2, 3, 4))]


def test_a_page_that_repeats_an_earlier_one_stops_the_listing():
    """Page 3 answers what page 2 answered (its Link header too), as a caching proxy might."""
    replay = github_replay()
    replay.add(page_as(2, PAGE.format(3), recorded_page(2).headers["Link"].replace("page=3", "page=4")), first=True)
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        issues_of(http)
    assert "went round in circles at GET " + PAGE.format(3)[1:] in str(error.value)
    assert str(error.value).endswith(": page 3 repeats page 2 of this listing; nothing of it was stored this run "
                                     "and its cursor stays; run again later")  # fmt: skip


def test_a_page_of_issues_all_read_already_stops_the_listing():
    """Page 3 answers page 1's issues in another order: not the same page, the same items."""
    replay = github_replay()
    reordered = json.dumps(list(reversed(json.loads(recorded_page(1).body)))).encode()
    page3 = recorded_page(3)
    replay.add(Exchange("GET", PAGE.format(3), 200, dict(page3.headers), reordered), first=True)
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        issues_of(http)
    assert "every item of page 3 was read already on an earlier page of this listing" in str(error.value)


def test_a_page_that_overlaps_the_one_before_is_no_loop():
    """An issue updated while the listing is read moves the others down: page 3 starts with
    the last issue of page 2. That is no loop; the listing goes on to the end."""
    replay = github_replay()
    shifted = json.loads(recorded_page(2).body)[-1:] + json.loads(recorded_page(3).body)[:2]
    page3 = recorded_page(3)
    replay.add(Exchange("GET", PAGE.format(3), 200, dict(page3.headers), json.dumps(shifted).encode()), first=True)
    with serve(replay), client(replay) as http:
        issues = issues_of(http)
    assert len(issues) == 13 and len(set(issues)) == 12


def gzipped(exchange: Exchange, cut: int | None = None) -> Exchange:
    body = gzip.compress(exchange.body)
    headers = {**exchange.headers, "Content-Encoding": "gzip"}
    return Exchange("GET", exchange.path, 200, headers, body[:cut] if cut else body)


@pytest.mark.parametrize(
    "how",
    ["shorter than its Content-Length", "JSON cut off, the connection closed", "gzip cut off"],
)
def test_a_body_cut_off_in_transit_is_tried_again(how):
    page = recorded_page(3)
    if how == "shorter than its Content-Length":
        faulty = Exchange("GET", page.path, 200, dict(page.headers), page.body, cut=len(page.body) // 2)
    elif how == "JSON cut off, the connection closed":
        faulty = Exchange("GET", page.path, 200, dict(page.headers), page.body[: len(page.body) // 2])
    else:
        faulty = gzipped(page, cut=40)
    replay = github_replay()
    replay.add(faulty, first=True)
    waits: list[tuple[float, str]] = []
    with serve(replay), client(replay, waits) as http:
        assert sorted(issues_of(http)) == list(range(1, 14))
    assert [p for _, p, _ in replay.received].count(page.path) == 2
    assert len(waits) == 1 and waits[0][1].startswith("GitHub: the answer was cut off (")
    assert waits[0][1].endswith("; retrying in 0.05 s")


def test_malformed_json_that_is_not_cut_off_fails_at_once():
    replay = github_replay()
    replay.add(Exchange("GET", PAGE.format(2), 200, {}, b"<html>Service Unavailable</html>"), first=True)
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        issues_of(http)
    assert f"GitHub: GET {PAGE.format(2)} answered with malformed JSON" in str(error.value)
    assert [p for _, p, _ in replay.received].count(PAGE.format(2)) == 1


def test_an_answer_of_the_wrong_shape_names_the_source_the_url_and_what_was_expected():
    """Jira's search answered with a JSON list: neither the caller's check nor the offset
    paging may end in a traceback."""
    replay = Replay()
    replay.add(Exchange("GET", "/rest/api/2/search?jql=x&startAt=0", 200, {}, b'[{"key": "A-1"}]'))
    with serve(replay), client(replay) as http:
        with pytest.raises(SourceError) as error:
            list(http.pages("/rest/api/2/search", {"jql": "x", "startAt": 0}, Offset()))
        assert str(error.value) == (
            f"GitHub: GET {replay.base_url}/rest/api/2/search?jql=x&startAt=0 answered a page its paging cannot "
            "read (a JSON list; expected a JSON object with a list 'issues'): 'list' object has no attribute 'get'"
        )
        with pytest.raises(SourceError) as error:
            http.body(http.get("/rest/api/2/search", {"jql": "x", "startAt": 0}), dict)
        assert str(error.value) == (
            f"GitHub: GET {replay.base_url}/rest/api/2/search?jql=x&startAt=0 answered a JSON list where "
            "a JSON object was expected"
        )


def test_a_token_echoed_back_in_an_error_body_is_masked():
    replay = Replay()
    echoed = {"message": "Bad credentials: token 's3cret-token' is expired (Bearer s3cret-token)"}
    replay.add(synthetic(FIRST, 401, body=echoed))
    with serve(replay), client(replay) as http, pytest.raises(SourceError) as error:
        http.get(f"{REPO}/issues", {"per_page": 3})
    assert "s3cret" not in str(error.value)
    assert "Bad credentials: token '***' is expired (***)" in str(error.value)


def test_log_records_have_remembered_secrets_masked():
    remember("Basic " + "cWQtYm90OmppcmEtc2VjcmV0LTQy")  # qd-bot:jira-secret-42
    install_log_masking()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = logging.getLogger("quarterdeck.test.secrets")
    log.addHandler(handler)
    try:
        log.warning("the server said %s", "wrong password jira-secret-42")
        try:
            raise ValueError("rejected cWQtYm90OmppcmEtc2VjcmV0LTQy")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
        forget_all()
    written = stream.getvalue()
    assert "jira-secret-42" not in written and "cWQtYm90" not in written
    assert "the server said wrong password ***" in written and "ValueError: rejected ***" in written
    assert masked("jira-secret-42") == "jira-secret-42"  # forgotten again
