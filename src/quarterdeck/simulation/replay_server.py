"""The replay server: answers API requests from a simulation's ``api/`` response files.

It speaks just enough HTTP/1.1 for the connectors (GET, keep-alive, ``Content-Length``),
on asyncio, so that one request costs the server a few tens of microseconds: the demo sends
some fifty thousand. It runs either on a thread of the calling process (``serve_api``, for
tests that look at what was asked) or in a process of its own (``serve_api(...,
process=True)``), as a real API would: the connectors then have the interpreter to
themselves. Both listen on 127.0.0.1 or localhost only.

As its own process (``python -m quarterdeck.simulation.replay_server API_FOLDER``) it prints
its address on the first line of its output, serves until its standard input closes, then
prints one JSON line: ``{"answered": N, "missing": [requests answered 404]}``.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from quarterdeck.simulation.replay import JSON_HEADERS, PLACEHOLDER, PLAIN_HEADERS, ROUTES, request_key

LOCAL_HOSTS = ("127.0.0.1", "localhost")
KEPT_FILES = 8  # response files held in memory; the syncs read one repository after another
_REASONS = {200: b"OK", 404: b"Not Found", 405: b"Method Not Allowed"}


class _Answers:
    """The answers of one response file, read when first asked for: request -> line."""

    def __init__(self, path: Path):
        self.path = path
        self.lines: dict[str, bytes] | None = None

    def load(self) -> dict[str, bytes]:
        if self.lines is None:
            lines: dict[str, bytes] = {}
            for line in gzip.decompress(self.path.read_bytes()).split(b"\n"):
                if line:
                    lines.setdefault(line[: line.index(b"\t")].decode("utf-8"), line)
            self.lines = lines
        return self.lines


class Replay:
    """What the response files answer, with the placeholder made the server's address."""

    def __init__(self, folder: Path):
        self.folder = folder
        document = json.loads((folder / ROUTES).read_text(encoding="utf-8"))
        self.placeholder = document["placeholder"].encode()
        routes = [(r["prefix"], _Answers(folder / r["file"])) for r in document["routes"]]
        self.routes = sorted(routes, key=lambda r: len(r[0]), reverse=True)
        self._loaded: list[_Answers] = []  # the files held in memory, least recently used first
        self.base_url = ""
        self.answered = 0  # requests answered from the files
        self.missing: list[str] = []  # requests answered 404

    def answer(self, path_with_query: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a GET of ``path_with_query``."""
        key = request_key(path_with_query)
        for prefix, answers in self.routes:
            if key.startswith(prefix):
                line = self._remember(answers).load().get(key)
                if line is None:
                    break
                _, status, headers, body = line.split(b"\t", 3)
                self.answered += 1
                own = self.base_url
                if headers == PLAIN_HEADERS.encode():
                    found = dict(JSON_HEADERS)
                else:
                    found = {k: v.replace(PLACEHOLDER, own) for k, v in json.loads(headers).items()}
                return int(status), found, body.replace(self.placeholder, own.encode())
        self.missing.append(key)
        message = {"message": f"Not Found (the simulation has no answer for {key})"}
        return 404, dict(JSON_HEADERS), json.dumps(message).encode()

    def _remember(self, answers: _Answers) -> _Answers:
        if self._loaded and self._loaded[-1] is answers:
            return answers
        if answers in self._loaded:
            self._loaded.remove(answers)
        self._loaded.append(answers)
        while len(self._loaded) > KEPT_FILES:
            self._loaded.pop(0).lines = None
        return answers


class _Connection(asyncio.Protocol):
    """One client connection: requests are answered in the order they arrive."""

    def __init__(self, replay: Replay):
        self.replay = replay
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer and self.transport is not None:
            head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            request_line, *header_lines = head.split(b"\r\n")
            method, target, *_ = [*request_line.split(b" "), b"", b""]
            closing = any(h.lower().replace(b" ", b"") == b"connection:close" for h in header_lines)
            if method != b"GET":
                status, headers, body = 405, dict(JSON_HEADERS), b'{"message":"the replay server answers GET only"}'
                closing = True
            else:
                status, headers, body = self.replay.answer(target.decode("utf-8", "replace"))
            self.transport.write(_response(status, headers, body, closing))
            if closing:
                self.transport.close()
                return


def _response(status: int, headers: dict[str, str], body: bytes, closing: bool) -> bytes:
    lines = [b"HTTP/1.1 %d %s" % (status, _REASONS.get(status, b"Unknown"))]
    lines += [f"{name}: {value}".encode("latin-1", "replace") for name, value in headers.items()]
    lines.append(b"Content-Length: %d" % len(body))
    lines.append(b"Connection: close" if closing else b"Connection: keep-alive")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class ApiServer:
    """A replay server on a thread of this process (use as a context manager).

    Its event loop lives on its own thread from the start, so it never meets a loop the
    calling thread may be running (Playwright's synchronous API keeps one there)."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0):
        _check_host(host)
        self.folder = folder
        self.replay = Replay(folder)
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, args=(host, port), name="replay", daemon=True)
        self._thread.start()
        self._started.wait()
        if self._failure is not None:
            raise self._failure
        self.base_url = self.replay.base_url

    def _serve(self, host: str, port: int) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._server = self._loop.run_until_complete(
                self._loop.create_server(lambda: _Connection(self.replay), host, port)
            )
            self.replay.base_url = f"http://{host}:{self._server.sockets[0].getsockname()[1]}"
        except BaseException as exc:  # the port is taken, say: the caller raises it
            self._failure = exc
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()
        self._server.close()
        self._loop.run_until_complete(self._server.wait_closed())
        self._loop.close()

    @property
    def answered(self) -> int:
        return self.replay.answered

    @property
    def missing(self) -> list[str]:
        return self.replay.missing

    def write_project_file(self, target: Path) -> Path:
        return write_project_file(self.folder, self.base_url, target)

    def __enter__(self) -> ApiServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()


class ApiServerProcess:
    """A replay server in a process of its own (use as a context manager); ``answered`` and
    ``missing`` are known once it has stopped."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0):
        _check_host(host)
        self.folder = folder
        command = [sys.executable, "-m", __name__, str(folder), "--host", host, "--port", str(port)]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        first = self._process.stdout.readline().strip()
        if not first.startswith("http://"):
            self._process.kill()
            raise RuntimeError(f"the replay server for {folder} did not start (it said {first!r})")
        self.base_url = first
        self.answered = 0
        self.missing: list[str] = []

    def write_project_file(self, target: Path) -> Path:
        return write_project_file(self.folder, self.base_url, target)

    def __enter__(self) -> ApiServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        output, _ = self._process.communicate(timeout=30)  # closes its input: the signal to stop
        report = json.loads(output.strip().splitlines()[-1]) if output.strip() else {}
        self.answered, self.missing = report.get("answered", 0), report.get("missing", [])


def serve_api(
    folder: Path, host: str = "127.0.0.1", port: int = 0, *, process: bool = False
) -> ApiServer | ApiServerProcess:
    """A replay server for the ``api/`` folder of a simulation (start it with ``with``): on a
    thread of this process, or with ``process`` in a process of its own."""
    return ApiServerProcess(folder, host, port) if process else ApiServer(folder, host, port)


def write_project_file(folder: Path, base_url: str, target: Path) -> Path:
    """The simulation's ``quarterdeck.yaml`` with ``base_url`` as the sources' address."""
    text = (folder / "quarterdeck.yaml").read_text(encoding="utf-8")
    target.write_text(text.replace(PLACEHOLDER, base_url), encoding="utf-8")
    return target


def _check_host(host: str) -> None:
    if host not in LOCAL_HOSTS:
        raise ValueError(f"the replay server listens on 127.0.0.1 or localhost only, not {host!r}")


def main(arguments: list[str]) -> int:
    folder, options = Path(arguments[0]), dict(zip(arguments[1::2], arguments[2::2], strict=False))
    host, port = options.get("--host", "127.0.0.1"), int(options.get("--port", "0"))
    with ApiServer(folder, host, port) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()  # until the caller closes it
        report: dict[str, Any] = {"answered": server.answered, "missing": server.missing}
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
