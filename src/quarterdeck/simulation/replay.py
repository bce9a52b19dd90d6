"""The API-shaped files of a simulation and the small server that answers from them.

The simulator writes what GitHub's and Jira Cloud's REST APIs would answer, so that
``quarterdeck ingest all`` reads the simulated organization through the real connectors.
Each answer is one line of a gzip-compressed *response file*
(``api/github/<repository>.responses.gz``, ``api/jira/<project>.responses.gz``,
``api/jira/site.responses.gz``)::

    <path with query>\\t<status>\\t<headers as JSON>\\t<body as JSON>\\n

JSON escapes tabs and line breaks, so a line is an answer. ``api/routes.json`` says which
file answers which requests (by the longest path prefix), so the server reads a file only
when it is first asked for something in it, and keeps the last few in memory.
Addresses of the API inside bodies and ``Link`` headers are written with the placeholder
``PLACEHOLDER`` and rewritten to the server's own address as they are sent; the project file
``api/quarterdeck.yaml`` names the placeholder too (``ApiServer.write_project_file``).
"""

from __future__ import annotations

import gzip
import io
import json
import multiprocessing
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

T = TypeVar("T")
PLACEHOLDER = "http://replay.invalid"
ROUTES = "routes.json"
LOCAL_HOSTS = ("127.0.0.1", "localhost")
COMPRESSION = 1  # gzip level: JSON this repetitive shrinks about tenfold even at the fastest
KEPT_FILES = 8
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
PLAIN_HEADERS = json.dumps(JSON_HEADERS, separators=(",", ":"))
_ENCODE = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode  # bodies are trees


def request_key(path_with_query: str) -> str:
    """The form a request is filed under: the path, and the query re-encoded as the connectors'
    HTTP client encodes it (``+`` for spaces, ``%2A`` for ``*``), in the order given."""
    path, _, query = path_with_query.partition("?")
    if not query:
        return path
    return f"{path}?{urlencode(parse_qsl(query, keep_blank_values=True))}"


def with_query(path: str, params: dict[str, Any]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


class ResponseFile:
    """Writes the answers of one response file (gzip-compressed, with no time or name in its
    header, so the same answers give the same bytes), in the order they are added."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._raw = path.open("wb")
        self._zip = gzip.GzipFile(filename="", mode="wb", compresslevel=COMPRESSION, fileobj=self._raw, mtime=0)
        self._out = io.TextIOWrapper(self._zip, encoding="utf-8", newline="\n")
        self.answers = 0

    def add(self, request: str, body: Any, headers: dict[str, str] | None = None, status: int = 200) -> None:
        """One answer; ``request`` is a path with its query encoded as ``with_query`` does."""
        head = json.dumps({**JSON_HEADERS, **headers}, separators=(",", ":")) if headers else PLAIN_HEADERS
        text = _ENCODE(body)
        self._out.write(f"{request}\t{status}\t{head}\t{text}\n")
        self.answers += 1

    def close(self) -> None:
        self._out.close()
        self._raw.close()

    def __enter__(self) -> ResponseFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_TASKS: list[Callable[[], Any]] = []  # the tasks of the running ``in_parallel`` (inherited by its workers)


def in_parallel(tasks: list[Callable[[], T]], workers: int) -> list[T]:
    """The results of ``tasks``, in order, run on ``workers`` forked processes (in this one
    when ``workers`` is 1 or the system cannot fork). Each task writes its own files, so the
    output does not depend on the number of workers."""
    if workers <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [task() for task in tasks]
    global _TASKS
    _TASKS = list(tasks)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_run_task, range(len(tasks))))
    finally:
        _TASKS = []


def _run_task(index: int) -> Any:
    return _TASKS[index]()


def write_routes(api: Path, routes: Iterable[tuple[str, str]]) -> Path:
    """``api/routes.json``: (path prefix, response file relative to ``api``) pairs, sorted."""
    document = {"placeholder": PLACEHOLDER, "routes": [{"prefix": p, "file": f} for p, f in sorted(routes)]}
    path = api / ROUTES
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return path


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

    def find(self, key: str) -> tuple[int, dict[str, str], bytes] | None:
        line = self.load().get(key)
        if line is None:
            return None
        _, status, headers, body = line.split(b"\t", 3)
        return int(status), json.loads(headers), body


class ApiServer:
    """A running replay server (use as a context manager): ``base_url`` is its address."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0):
        if host not in LOCAL_HOSTS:
            raise ValueError(f"the replay server listens on 127.0.0.1 or localhost only, not {host!r}")
        self.folder = folder
        document = json.loads((folder / ROUTES).read_text(encoding="utf-8"))
        self.placeholder = document["placeholder"].encode()
        routes = [(r["prefix"], _Answers(folder / r["file"])) for r in document["routes"]]
        self.routes = sorted(routes, key=lambda r: len(r[0]), reverse=True)
        self._loaded: list[_Answers] = []  # the files held in memory, least recently used first
        self._lock = threading.Lock()
        self.answered = 0  # requests answered from the files
        self.missing: list[str] = []  # requests answered 404
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self.base_url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def answer(self, path_with_query: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a request, with the placeholder made this server's address."""
        key = request_key(path_with_query)
        for prefix, answers in self.routes:
            if key.startswith(prefix):
                with self._lock:
                    found = self._remember(answers).find(key)
                if found is not None:
                    status, headers, body = found
                    self.answered += 1
                    own = self.base_url
                    headers = {k: v.replace(PLACEHOLDER, own) for k, v in headers.items()}
                    return status, headers, body.replace(self.placeholder, own.encode())
                break
        self.missing.append(key)
        message = {"message": f"Not Found (the simulation has no answer for {key})"}
        return 404, dict(JSON_HEADERS), json.dumps(message).encode()

    def _remember(self, answers: _Answers) -> _Answers:
        """Keep the last ``KEPT_FILES`` files used in memory (the syncs read a file, then the next)."""
        if answers in self._loaded:
            self._loaded.remove(answers)
        self._loaded.append(answers)
        while len(self._loaded) > KEPT_FILES:
            self._loaded.pop(0).lines = None
        return answers

    def write_project_file(self, target: Path) -> Path:
        """The simulation's ``quarterdeck.yaml`` with this server's address as the base URLs."""
        text = (self.folder / "quarterdeck.yaml").read_text(encoding="utf-8")
        target.write_text(text.replace(PLACEHOLDER, self.base_url), encoding="utf-8")
        return target

    def __enter__(self) -> ApiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve_api(folder: Path, host: str = "127.0.0.1", port: int = 0) -> ApiServer:
    """A replay server for the ``api/`` folder of a simulation (start it with ``with``)."""
    return ApiServer(folder, host, port)


def _handler(server: ApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: one connection for a whole sync
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def do_GET(self) -> None:
            status, headers, body = server.answer(self.path)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client went away

        def log_message(self, *args: object) -> None:
            pass

    return Handler
