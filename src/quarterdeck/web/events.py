"""``POST /api/v1/events/{deployments,incidents}``: records pushed by CD pipelines and incident tools.

A request carries one JSON object (a record as in docs/delivery-inputs.md) or an array of
them, with ``Authorization: Bearer TOKEN``. The records go through the same loader as files
(``quarterdeck.ingest.delivery.load_records``, handed in by the command line: the layering
lets web import store and metrics, not ingest), so an event re-sent is stored once and a
corrected one replaces the stored row.

Answers, always JSON: 200 with the counts; 422 with the problems when no record was
taken; 400 for a body that is not JSON or nests deeper than 64 levels
(``quarterdeck.core.documents``); 401 without a valid token; 413 for a body over 10 MB;
503 while no token is configured (nothing could be authorized).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from quarterdeck.config import Settings
from quarterdeck.core.documents import DocumentError, load_json
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.store import Warehouse
from quarterdeck.web.auth import HOW_TO_CONFIGURE, TokenSet, bearer_token

KINDS = ("deployments", "incidents")
MAX_BODY_BYTES = 10 * 1024 * 1024
PREFIX = "/api/v1/events"

log = logging.getLogger("quarterdeck.web.events")


class LoadReport(Protocol):
    """What the loader answers (``quarterdeck.ingest.delivery.LoadReport``)."""

    kind: str
    rows_read: int
    loaded: int
    replaced: int
    unchanged: int
    duplicates: int
    problems: Sequence[Any]
    notes: Sequence[str]


RecordLoader = Callable[..., LoadReport]


@dataclass
class Rejected(Exception):
    """A request refused before any record was loaded."""

    status: int
    message: str
    headers: dict[str, str] | None = None


def event_routes() -> list[Route]:
    """One route per kind of event."""
    return [
        Route(f"{PREFIX}/{kind}", partial(receive_events, kind=kind), methods=["POST"], name=f"events_{kind}")
        for kind in KINDS
    ]


async def receive_events(request: Request, kind: str) -> JSONResponse:
    """Check the token, read and parse the body, load the records, answer with the counts."""
    state = request.app.state
    try:
        authorize(state.tokens, request.headers.get("authorization"))
        records = parse_records(await read_body(request))
    except Rejected as rejected:
        return rejection(kind, rejected)
    try:
        report = await state.warehouse.run(partial(_load, state.load_records, state.settings, kind, records))
    except QuarterdeckError as exc:
        log.error("%s: %s", kind, exc.message)
        return JSONResponse({"kind": kind, "error": exc.message}, status_code=500)
    body = report_body(kind, len(records), report)
    if report.loaded or report.replaced:
        state.results.clear()  # the dashboard's numbers change with the data
    _log_outcome(kind, body, request)
    return JSONResponse(body, status_code=422 if all_rejected(body) else 200)


def authorize(tokens: TokenSet, authorization: str | None) -> None:
    if not len(tokens):
        raise Rejected(503, f"no event tokens are configured: {HOW_TO_CONFIGURE}")
    if not tokens.accepts(authorization):
        raise Rejected(401, _unauthorized(authorization), headers={"WWW-Authenticate": "Bearer"})


def _unauthorized(authorization: str | None) -> str:
    if bearer_token(authorization) is not None:
        return "the bearer token is not one of the event tokens"
    return "no bearer token: send Authorization: Bearer TOKEN, TOKEN one of the event tokens"


async def read_body(request: Request) -> bytes:
    """The body, refused past ``MAX_BODY_BYTES`` (from Content-Length, or while reading)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> Rejected:
    return Rejected(413, f"body over {MAX_BODY_BYTES:,} bytes (10 MB): send the records in several requests")


def parse_records(body: bytes) -> list[dict[str, Any]]:
    """The records of a body holding one JSON value or an array of them; the loader rejects
    those that are not objects, as it does in a JSON file."""
    if not body.strip():
        raise Rejected(400, "empty body: expected a JSON object or an array of objects")
    try:
        value = load_json(body.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise Rejected(400, f"body is not UTF-8 text (byte {exc.start + 1}): JSON must be UTF-8") from None
    except DocumentError as exc:
        where = f"line {exc.line}, column {exc.column}" if exc.column else f"line {exc.line}"
        raise Rejected(400, f"invalid JSON at {where}: {exc.problem}") from None
    except ValueError as exc:
        raise Rejected(400, f"invalid JSON: {exc}") from None
    return value if isinstance(value, list) else [value]  # the loader rejects what is not an object


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _load(
    load_records: RecordLoader, settings: Settings, kind: str, records: list[dict[str, Any]], warehouse: Warehouse
) -> LoadReport:
    return load_records(warehouse, settings, kind, records, f"event:{kind}", timezone=None)


def report_body(kind: str, received: int, report: LoadReport) -> dict[str, Any]:
    return {
        "kind": kind,
        "received": received,
        "loaded": report.loaded,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "duplicates": report.duplicates,
        "problems": [problem_body(p) for p in report.problems],
        "notes": list(report.notes),
    }


def problem_body(problem: Any) -> dict[str, Any]:
    return {
        "record": problem.line,
        "record_id": problem.record_id,
        "field": problem.field or None,
        "message": problem.message,
        "text": str(problem),
    }


def all_rejected(body: dict[str, Any]) -> bool:
    """Every record was rejected: there were records, problems, and nothing was taken."""
    taken = body["loaded"] + body["replaced"] + body["unchanged"]
    return body["received"] > 0 and taken == 0 and bool(body["problems"])


def rejection(kind: str, rejected: Rejected) -> JSONResponse:
    return JSONResponse(
        {"kind": kind, "error": rejected.message}, status_code=rejected.status, headers=rejected.headers
    )


def _log_outcome(kind: str, body: dict[str, Any], request: Request) -> None:
    client = request.client.host if request.client else "?"
    log.info(
        "%s from %s: %d received, %d loaded, %d replaced, %d unchanged, %d problems",
        kind,
        client,
        body["received"],
        body["loaded"],
        body["replaced"],
        body["unchanged"],
        len(body["problems"]),
    )
