"""Benchmark: reading pull requests from a GitHub-shaped API on 127.0.0.1.

Usage:
    python benchmarks/connectors.py [--pulls 5000] [--reviews 2] [--reps 3]

Pages of recorded shape are served by a threaded HTTP server on 127.0.0.1: the pull
requests, reviews, commits and timeline events GitHub returned for panjf2000/ants (recorded
by Apache DevLake, ``tests/fixtures/real-api``), repeated with new numbers, ids and times to
``--pulls`` pull requests with ``--reviews`` reviews, one commit and one event each.

1. **Normalization** (the target: at least 2,000 pull requests a second, with their
   reviews): the items of every page, already parsed, converted to records and stored in
   one transaction, exactly as the GitHub sync does. Reference measured in the same run:
   ``json.loads`` of the same pages' bytes, which any client must do at least.
2. **A first sync** of the repository (every resource, every page over HTTP) on a fresh
   warehouse: seconds, pull requests a second, requests made.
3. **A second sync with nothing new**: the requests per endpoint (the target: at most one
   per endpoint per repository).
Each repetition uses a fresh warehouse; medians are printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from quarterdeck.config import Settings  # noqa: E402
from quarterdeck.pipeline.run import run_source  # noqa: E402
from quarterdeck.sources.github.pulls import pull_request_record, review_record  # noqa: E402
from quarterdeck.sources.github.timeline import commit_record, event_record  # noqa: E402
from quarterdeck.sources.project_file import one_off  # noqa: E402
from quarterdeck.sources.reading import SyncContext  # noqa: E402
from quarterdeck.store import open_warehouse  # noqa: E402
from quarterdeck.store.writes import upsert_records  # noqa: E402

RECORDINGS = ROOT / "tests" / "fixtures" / "real-api" / "github" / "apache__incubator-devlake"
REPO = "bench/app"
PAGE = 100


def recorded(name: str, skip: set[str] = frozenset()) -> list[dict[str, Any]]:
    csv.field_size_limit(sys.maxsize)
    with (RECORDINGS / name).open(encoding="utf-8", newline="") as handle:
        return [json.loads(row["data"]) for row in csv.DictReader(handle) if row["id"] not in skip]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_items(pulls: int, reviews: int) -> dict[str, Any]:
    """Pull requests newest update first, with reviews, a commit and an event each."""
    templates = recorded("_raw_github_api_pull_requests.csv", {"9", "246"})
    review_templates = recorded("_raw_github_api_pull_request_reviews.csv")
    commit_templates = recorded("_raw_github_api_pull_request_commits.csv")
    event_templates = [e for e in recorded("_raw_github_api_events.csv") if e.get("event")]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    items: dict[str, Any] = {"pulls": [], "reviews": {}, "commits": {}, "events": {}}
    for n in range(1, pulls + 1):
        created = start + timedelta(minutes=7 * n)
        pull = {**templates[n % len(templates)], "number": n, "id": 10_000_000 + n}
        pull.update(created_at=iso(created), updated_at=iso(created + timedelta(hours=5)))
        items["pulls"].append(pull)
        items["reviews"][n] = [
            {**review_templates[(n + k) % len(review_templates)], "id": 20_000_000 + n * 10 + k,
             "submitted_at": iso(created + timedelta(hours=1 + k))}
            for k in range(reviews)
        ]  # fmt: skip
        commit = json.loads(json.dumps(commit_templates[n % len(commit_templates)]))
        commit["sha"] = f"{n:040x}"
        items["commits"][n] = [commit]
        event = {**event_templates[n % len(event_templates)], "id": 30_000_000 + n, "created_at": iso(created)}
        items["events"][n] = [event]
    items["pulls"].reverse()  # newest update first, as the listing sorts them
    return items


class Api:
    """The pages of one repository, as bytes, and the requests received."""

    def __init__(self, items: dict[str, Any]):
        self.pages: dict[str, bytes] = {}
        self.links: dict[str, str] = {}
        self.received: list[str] = []
        self.base_url = ""
        self.items = items

    def build(self) -> None:
        pulls = self.items["pulls"]
        listing = f"/repos/{REPO}/pulls?state=all&sort=updated&direction=desc&per_page=100"
        count = (len(pulls) + PAGE - 1) // PAGE
        for page in range(count):
            path = listing if page == 0 else f"/repositories/1/pulls?per_page=100&page={page + 1}"
            self.pages[path] = json.dumps(pulls[page * PAGE : (page + 1) * PAGE]).encode()
            if page + 1 < count:
                self.links[path] = f'<{self.base_url}/repositories/1/pulls?per_page=100&page={page + 2}>; rel="next"'
        for kind, suffix in (("reviews", "pulls/{n}/reviews"), ("commits", "pulls/{n}/commits"),
                             ("events", "issues/{n}/events")):  # fmt: skip
            for n, found in self.items[kind].items():
                self.pages[f"/repos/{REPO}/{suffix.format(n=n)}?per_page=100"] = json.dumps(found).encode()

    def answer(self, path: str) -> tuple[bytes, dict[str, str]]:
        self.received.append(path)
        headers = {"Link": self.links[path]} if path in self.links else {}
        if path in self.pages:
            return self.pages[path], headers
        if "/actions/runs" in path:
            return b'{"total_count": 0, "workflow_runs": []}', headers
        return b"[]", headers  # comments, issues, deployments, releases: none


def serve(api: Api) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, headers = api.answer(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    api.build()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def normalize(db: Path, api: Api) -> tuple[float, float]:
    """Seconds to convert and store every item (from parsed pages), and the reference:
    seconds to parse the same pages' JSON."""
    raw = list(api.pages.values())
    started = time.perf_counter()
    parsed = [json.loads(page) for page in raw]
    parse_seconds = time.perf_counter() - started
    items = api.items
    with open_warehouse(db) as warehouse:
        started = time.perf_counter()
        pulls = [pull_request_record(item) for item in items["pulls"]]
        reviews = [review_record(n, r) for n, found in items["reviews"].items() for r in found]
        commits = [commit_record(n, c) for n, found in items["commits"].items() for c in found]
        events = [event_record(n, e) for n, found in items["events"].items() for e in found]
        constants = {"source": "github", "repository": REPO, "loaded_at": datetime.now(UTC)}
        with warehouse.transaction():
            upsert_records(warehouse, "pull_requests", pulls, {**constants, "repository_url": api.base_url})
            upsert_records(warehouse, "pr_reviews", reviews, constants)
            upsert_records(warehouse, "pr_commits", commits, constants)
            upsert_records(warehouse, "pr_events", events, constants)
        seconds = time.perf_counter() - started
    assert len(parsed) == len(raw)
    return seconds, parse_seconds


def sync(db: Path, api: Api) -> tuple[float, int]:
    source = one_off("github", (REPO,), api.base_url)
    settings = Settings(db=db)
    before = len(api.received)
    with open_warehouse(db) as warehouse:
        started = time.perf_counter()
        run_source(warehouse, settings, source, SyncContext(None, datetime.now(UTC)))
        seconds = time.perf_counter() - started
    return seconds, len(api.received) - before


def endpoint(path: str) -> str:
    """A request as its endpoint: numbers as {n}, no query."""
    return re.sub(r"/\d+(?=/|$)", "/{n}", path.split("?", 1)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pulls", type=int, default=5000)
    parser.add_argument("--reviews", type=int, default=2)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    api = Api(build_items(args.pulls, args.reviews))
    server = serve(api)
    normal, parse, first, again = [], [], [], []
    try:
        for rep in range(args.reps):
            with tempfile.TemporaryDirectory() as folder:
                seconds, reference = normalize(Path(folder) / "n.duckdb", api)
                normal.append(seconds)
                parse.append(reference)
                db = Path(folder) / "s.duckdb"
                seconds, requests = sync(db, api)
                first.append((seconds, requests))
                mark = len(api.received)
                _, second = sync(db, api)
                again.append(Counter(endpoint(p) for p in api.received[mark:]))
            seconds, requests = first[-1]
            print(f"rep {rep + 1}: normalize {normal[-1]:.3f} s, parse {parse[-1]:.3f} s, "
                  f"first sync {seconds:.2f} s ({requests} requests), second sync {second} requests")  # fmt: skip
    finally:
        server.shutdown()
    n, p = statistics.median(normal), statistics.median(parse)
    s = statistics.median(t for t, _ in first)
    print(
        f"\n{args.pulls} pull requests, {args.pulls * args.reviews} reviews, {args.pulls} commits, {args.pulls} events"
    )
    print(f"normalization: {n:.3f} s = {args.pulls / n:,.0f} pull requests/s (target >= 2,000); "
          f"reference json.loads of the pages {p:.3f} s; ratio {n / p:.2f}")  # fmt: skip
    print(f"first sync over HTTP: {s:.2f} s = {args.pulls / s:,.0f} pull requests/s, {first[0][1]} requests")
    worst = max(max(c.values()) for c in again)
    print(f"second sync, nothing new: {sum(again[0].values())} requests, at most {worst} per endpoint (target <= 1)")
    for name, count in sorted(again[0].items()):
        print(f"  {count}  {name}")


if __name__ == "__main__":
    main()
