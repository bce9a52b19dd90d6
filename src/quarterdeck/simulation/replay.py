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
``api/quarterdeck.yaml`` names the placeholder too. The server is ``replay_server``.
"""

from __future__ import annotations

import gzip
import io
import json
import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

T = TypeVar("T")
PLACEHOLDER = "http://replay.invalid"
ROUTES = "routes.json"
COMPRESSION = 1  # gzip level: JSON this repetitive shrinks about tenfold even at the fastest
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
