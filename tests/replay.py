"""A real HTTP server on 127.0.0.1 that replays recorded API responses.

Exchanges are looked up by method and path with query; when a path was recorded several
times, its answers are given in order and the last one repeats. URLs of the recorded host
in headers and bodies (pagination links) are rewritten to the server's own address, so a
client follows them back here. Scenarios may put synthetic answers (a 502, a 429 with
Retry-After, a body cut off) in front of recorded ones; the server records every request it received.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real-api"


@dataclass
class Exchange:
    method: str
    path: str  # with query, as requested
    status: int
    headers: dict[str, str]
    body: bytes
    delay: float = 0.0  # seconds before answering (to provoke client timeouts)
    cut: int | None = None  # send only this many bytes of the body, then close (Content-Length: all)


@dataclass
class Replay:
    exchanges: dict[tuple[str, str], list[Exchange]] = field(default_factory=lambda: defaultdict(list))
    received: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    base_url: str = ""
    recorded_host: str = "https://api.github.com"

    def add(self, exchange: Exchange, first: bool = False) -> None:
        answers = self.exchanges[(exchange.method.upper(), exchange.path)]
        answers.insert(0, exchange) if first else answers.append(exchange)

    def answer(self, method: str, path: str) -> Exchange | None:
        answers = self.exchanges.get((method, path))
        if not answers:
            return None
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def rewrite(self, data: bytes) -> bytes:
        return data.replace(self.recorded_host.encode(), self.base_url.encode())


def octokit_exchanges(scenario: str) -> list[Exchange]:
    """The GET exchanges of an octokit/fixtures raw fixture (set-up calls are left out)."""
    recordings = json.loads((FIXTURES / "github" / "octokit__fixtures" / scenario / "raw-fixture.json").read_text())
    exchanges = []
    for item in recordings:
        if item["method"].lower() != "get":
            continue
        raw = item["rawHeaders"]
        headers = {raw[i]: raw[i + 1] for i in range(0, len(raw), 2)}
        headers = {
            k: v
            for k, v in headers.items()
            if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")
        }
        body = json.dumps(item["response"]).encode()
        exchanges.append(Exchange("GET", item["path"], item["status"], headers, body))
    return exchanges


@contextmanager
def serve(replay: Replay) -> Iterator[Replay]:
    """Run the replay server on 127.0.0.1 (a free port) for the duration of the block."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            replay.received.append(("GET", self.path, {k.lower(): v for k, v in self.headers.items()}))
            exchange = replay.answer("GET", self.path)
            if exchange is None:
                self._send(404, {"Content-Type": "application/json"}, b'{"message": "Not Found (not recorded)"}')
                return
            if exchange.delay:
                threading.Event().wait(exchange.delay)
            headers = {k: replay.rewrite(v.encode()).decode() for k, v in exchange.headers.items()}
            self._send(exchange.status, headers, replay.rewrite(exchange.body), exchange.cut)

        def _send(self, status: int, headers: dict[str, str], body: bytes, cut: int | None = None) -> None:
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body if cut is None else body[:cut])
                if cut is not None:
                    self.close_connection = True  # the rest never comes
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    replay.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()
