"""Benchmark: the dashboard under load, 20 clients on 127.0.0.1 (the target of issue 7).

Usage:
    python benchmarks/dashboard_load.py --db FILE [--clients 20] [--requests 2000] [--max-seconds 120]
                                        [--start-seconds 600] [--port 0] [--json OUT]

1. Starts ``python -m quarterdeck --db FILE serve --port P`` (``--port 0``: a free port on
   127.0.0.1), waits until it listens, then polls ``GET /`` until it answers 200: the cold
   start (the server computes the dashboard ahead as it starts; the first visitor waits).
   Then it asks for each tile's metric page once, which the server computes ahead after the
   overview: until then, requests queue behind that work (seconds on a large warehouse).
   Then the drill-down: the overview of each top unit (the links under the organization's
   title, computed ahead too), and each tile's page of the first of them (computed on this
   first view): each first view is timed and reported.
2. The load: ``--clients`` threads, each with one keep-alive HTTP/1.1 connection, share a
   fixed, seeded mix of ``--requests`` requests: 50 % overviews (``GET /`` or a top unit's,
   drawn at random), 40 % ``GET /metrics/NAME`` (a tile's link of the organization or of
   the first unit, drawn at random), 10 % ``GET /api/v1/scorecard``; it stops
   after them or after ``--max-seconds``, whichever comes first. Latency is the time from
   sending a request to having read its whole body.
3. The reference, measured in the same run: as many ``GET /static/quarterdeck.css`` (a
   static file of the same server) with the same clients: the cost of the server and of
   the HTTP stack alone, client threads included.

It prints p50/p95/p99/max per kind of route, the throughput, each p95 against the
reference's, and PASS/FAIL against the targets: overview p95 < 300 ms, metric page p95 <
500 ms. The exit code is 1 when a request was not answered 200, the server failed, or a
target was missed. The server is stopped with SIGINT at the end (its last log lines are
printed if it failed).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STATIC = "/static/quarterdeck.css"
TARGETS_MS = {"overview": 300.0, "metric": 500.0}
MIX = (("overview", 0.5), ("metric", 0.4), ("scorecard", 0.1))
HEADINGS = ("requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "p95/ref")
TILE_LINK = re.compile(r'<a class="tile[^"]*" href="([^"]+)"')
UNITS_BELOW = re.compile(r'<nav class="units-below"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'href="([^"]+)"')


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "quarterdeck", "--db", str(db), "serve", "--port", str(port)]
    with log.open("wb") as out:
        # Its own session: a Ctrl-C here reaches it once, as stop()'s SIGINT (a second would force it to quit).
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def cold_start(server: subprocess.Popen, port: int, timeout: float) -> tuple[float, float, bytes]:
    """Seconds until the server listened, then until ``GET /`` answered 200 (polled), and the page."""
    started, deadline, listening = time.monotonic(), time.monotonic() + timeout, None
    while time.monotonic() < deadline and server.poll() is None:
        conn = http.client.HTTPConnection(HOST, port, timeout=max(1.0, deadline - time.monotonic()))
        try:
            conn.connect()
            listening = listening or time.monotonic() - started
            status, body = get(conn, "/")
            if status == 200:
                return listening, time.monotonic() - started - listening, body
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.05 if listening is None else 0.2)
    state = "listening" if listening else "not listening"
    raise RuntimeError(f"GET / did not answer 200 within {timeout:.0f} s ({state}; server exit code {server.poll()})")


def tile_paths(overview_html: bytes) -> list[str]:
    paths = [unescape(href) for href in TILE_LINK.findall(overview_html.decode())]
    if not paths:
        raise RuntimeError("the overview has no tile links (a.tile href)")
    return paths


def unit_paths(overview_html: bytes) -> list[str]:
    """The overviews of the units one level below, as linked under the title."""
    found = UNITS_BELOW.search(overview_html.decode())
    return [unescape(href) for href in LINK.findall(found[1])] if found else []


def first_views(port: int, paths: list[str], timeout: float) -> tuple[dict[str, float], dict[str, bytes]]:
    """Each path once, in turn: its seconds and, for those that answered 200, its page."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    seconds, pages = {}, {}
    for path in paths:
        started = time.perf_counter()
        status, body = get(conn, path)
        seconds[path] = time.perf_counter() - started
        if status == 200:
            pages[path] = body
    conn.close()
    return seconds, pages


def first_metric_pages(port: int, paths: list[str], timeout: float) -> tuple[list[str], dict[str, int]]:
    """Each tile's page once, in turn: those that answered 200 and the others' statuses (0: no answer)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    statuses = {path: timed(conn, path)[1] for path in dict.fromkeys(paths)}
    conn.close()
    return [p for p, status in statuses.items() if status == 200], {p: s for p, s in statuses.items() if s != 200}


def request_mix(count: int, overviews: list[str], metric_paths: list[str], seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    kinds = rng.choices([kind for kind, _ in MIX], weights=[weight for _, weight in MIX], k=count)
    choices = {"overview": overviews, "metric": metric_paths, "scorecard": ["/api/v1/scorecard"]}
    return [(kind, rng.choice(choices[kind])) for kind in kinds]


def run_load(port: int, plan: list[tuple[str, str]], clients: int, max_seconds: float) -> tuple[list, float]:
    """Send ``plan`` over ``clients`` keep-alive connections; (kind, seconds, status) each, and the wall time."""
    pending, results, lock = iter(plan), [], threading.Lock()
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=max_seconds)
        while time.monotonic() < deadline:
            with lock:
                item = next(pending, None)
            if item is None:
                break
            result = (item[0], *timed(conn, item[1]))
            with lock:
                results.append(result)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def timed(conn: http.client.HTTPConnection, path: str) -> tuple[float, int]:
    """One request, its seconds to the whole body and its status (0: no answer); one retry on a closed connection."""
    for _ in range(2):
        started = time.perf_counter()
        try:
            status, _ = get(conn, path)
            return time.perf_counter() - started, status
        except (OSError, http.client.HTTPException):
            conn.close()
    return time.perf_counter() - started, 0


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    return sorted_values[max(0, -(-len(sorted_values) * p // 100) - 1)]


def summarize(results: list, seconds: float) -> dict[str, dict]:
    kinds: dict[str, dict] = {}
    for kind in sorted({r[0] for r in results}):
        ms = sorted(r[1] * 1000 for r in results if r[0] == kind)
        errors = sum(1 for r in results if r[0] == kind and r[2] != 200)
        kinds[kind] = {"requests": len(ms), "errors": errors, **{f"p{p}_ms": percentile(ms, p) for p in (50, 95, 99)}}
        kinds[kind]["max_ms"] = ms[-1]
    kinds["all"] = {"requests": len(results), "seconds": seconds, "per_second": len(results) / seconds}
    return kinds


def machine(db: Path) -> dict[str, object]:
    git = ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, capture_output=True, text=True).stdout.strip() if shutil.which("git") else ""
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "db": str(db), "db_mb": round(db.stat().st_size / 1e6, 1), "commit": commit or None}  # fmt: skip


def report(info: dict, load: dict, reference: dict) -> bool:
    print(f"machine: {info['cores']} cores, Python {info['python']}, {info['platform']}; commit {info['commit']}")
    print(f"warehouse: {info['db']} ({info['db_mb']} MB); {info['clients']} clients")
    print(
        f"cold start: {info['cold_start_s']:.2f} s to the first GET / 200 "
        f"(listening after {info['listening_s']:.2f} s, then {info['first_page_s']:.2f} s for the page); every "
        f"tile's metric page answered once after {info['ready_s']:.2f} s"
    )
    units = info["unit_first_view_s"]
    if units:
        print(
            f"drill-down: {len(units)} top units' overviews, first view {min(units.values()):.2f}-"
            f"{max(units.values()):.2f} s; the first unit's {info['unit_pages']} metric pages, first views "
            f"{info['unit_pages_s']:.2f} s in all"
        )
    for path, status in info["refused"].items():
        print(f"note: {path} answered {status}, left out of the load")
    print(f"{'route':<12}" + "".join(f"{heading:>9}" for heading in HEADINGS))
    ref_p95 = reference["static"]["p95_ms"]
    for kind, row in [*((k, v) for k, v in load.items() if k != "all"), ("static", reference["static"])]:
        cells = "".join(f"{row[f'{c}_ms']:>9.1f}" for c in ("p50", "p95", "p99", "max"))
        print(f"{kind:<12}{row['requests']:>9}{row['errors']:>9}{cells}{row['p95_ms'] / ref_p95:>9.1f}")
    for name, totals in (("dashboard", load["all"]), ("reference", reference["all"])):
        print(f"{name}: {totals['requests']} requests in {totals['seconds']:.2f} s, {totals['per_second']:.0f}/s")
    passed = True
    for kind, limit in TARGETS_MS.items():
        p95 = load.get(kind, {}).get("p95_ms", float("inf"))
        passed &= p95 < limit
        print(f"{'PASS' if p95 < limit else 'FAIL'}: {kind} p95 {p95:.1f} ms (target < {limit:.0f} ms)")
    return passed


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def benchmark(args: argparse.Namespace, log: Path) -> int:
    with socket.socket() as sock:
        sock.bind((HOST, args.port))  # 0: a free port, left for the server
        port = sock.getsockname()[1]
    started = time.monotonic()
    server = start_server(args.db, port, log)
    try:
        listening, waited, page = cold_start(server, port, args.start_seconds)
        info = {**machine(args.db), "clients": args.clients, "listening_s": listening, "first_page_s": waited}
        info["cold_start_s"] = listening + waited
        paths, info["refused"] = first_metric_pages(port, tile_paths(page), args.start_seconds)
        info["ready_s"] = time.monotonic() - started
        if not paths:
            raise RuntimeError(f"no tile's metric page answered 200: {info['refused']}")
        info["unit_first_view_s"], unit_pages = first_views(port, unit_paths(page), args.start_seconds)
        overviews, unit_metric_paths = ["/", *unit_pages], []
        if unit_pages:
            clock = time.monotonic()
            unit_metric_paths, refused = first_metric_pages(port, tile_paths(next(iter(unit_pages.values()))),
                                                            args.start_seconds)  # fmt: skip
            info["unit_pages"], info["unit_pages_s"] = len(unit_metric_paths), time.monotonic() - clock
            info["refused"].update(refused)
        plan = request_mix(args.requests, overviews, paths + unit_metric_paths)
        load = summarize(*run_load(port, plan, args.clients, args.max_seconds))
        if not load["all"]["requests"]:
            raise RuntimeError(f"no request answered within {args.max_seconds:.0f} s")
        static_plan = [("static", STATIC)] * load["all"]["requests"]
        reference = summarize(*run_load(port, static_plan, args.clients, args.max_seconds))
    finally:
        stop(server)
    passed = report(info, load, reference)
    errors = sum(row.get("errors", 0) for row in [*load.values(), *reference.values()])
    failed = server.returncode not in (0, -signal.SIGINT)
    if failed:
        print(f"the server exited with {server.returncode}")
    if errors or failed:
        print_log_tail(log)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "load": load, "reference": reference}, indent=2))
    return 1 if errors or failed or not passed else 0


def print_log_tail(log: Path, lines: int = 20) -> None:
    """The server's last lines but its access log's 200s."""
    kept = [line for line in log.read_text(errors="replace").splitlines() if not line.endswith('" 200 OK')]
    print("server log, last lines:\n" + "\n".join(kept[-lines:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the warehouse to serve")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="requests of the dashboard mix in total")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="bound on each of the load and reference")
    parser.add_argument("--start-seconds", type=float, default=600.0, help="bound on the cold start")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    if not args.db.is_file():
        parser.error(f"--db {args.db}: no such file")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "serve.log"
        try:
            return benchmark(args, log)
        except KeyboardInterrupt:
            print("dashboard_load: interrupted; the server was stopped", file=sys.stderr)
        except RuntimeError as exc:
            print(f"dashboard_load: {exc}", file=sys.stderr)
            print_log_tail(log)
        return 1


if __name__ == "__main__":
    sys.exit(main())
