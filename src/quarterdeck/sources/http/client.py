"""One HTTP client for every connector: retries, rate limits, clear errors, paging.

- **Retries.** A timeout, a dropped connection, a 408 or a 5xx answer is tried again, up to
  ``RetryPolicy.attempts`` times, waiting ``backoff`` seconds and doubling each time.
- **Rate limits.** A 429, or a 403 that says it is a rate limit (GitHub's secondary
  limits), waits what ``Retry-After`` asks; a GitHub answer with ``X-RateLimit-Remaining: 0``
  waits until ``X-RateLimit-Reset``; a secondary limit without either waits a minute, as
  GitHub asks. A wait longer than ``longest_wait`` fails with a message saying when to
  run again, rather than hang.
- **Errors.** 401, 403 and 404 fail at once, naming the source, the request and what the
  token needs (``permission_hint``); the API's own message is quoted. Tokens are sent in
  headers and never appear in a message: the client remembers them (``core.secrets``), and
  every error message, note and log line has them masked, even when a server echoes one
  back in its error body.
- **Shapes.** ``body`` checks that an answer is the JSON object or list expected; an answer
  that is not fails naming the source, the URL and what was expected. A JSON answer cut off
  in transit (its document unfinished, or a compressed body cut short) is tried again like
  a missing answer.
- **Paging.** ``pages`` follows a paginator from ``paging`` until the last page, and stops
  a listing that goes round in circles (a next page read already, a page repeated, a page
  of items read already) with an error naming the source and the request.

Requests go through ``transport`` (the standard library's ``http.client``, with keep-alive,
TLS, proxies and redirects). The tests replay recorded responses from a real server on
127.0.0.1.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from quarterdeck.core.errors import CredentialsRefused, SourceError
from quarterdeck.core.secrets import masked, remember
from quarterdeck.sources.http.paging import ListingGuard, NextPage, PagingLoop
from quarterdeck.sources.http.transport import (
    CREDENTIAL_HEADERS,
    CutShort,
    HttpResponse,
    RequestRefused,
    Transport,
    TransportError,
    UntrustedCertificate,
    encode_query,
    public_url,
)

Paginator = Callable[[HttpResponse, dict[str, Any]], NextPage | None]
_RETRIED_STATUS = {408, 500, 502, 503, 504}


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # tries of one request that fails with a timeout or a 5xx
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    longest_wait: float = 900.0  # a rate limit asking for longer fails instead of waiting
    rate_limit_waits: int = 20  # rate-limit waits allowed for one request


class HttpClient:
    """A client for one source (``source`` names it in messages, e.g. "GitHub")."""

    def __init__(
        self,
        source: str,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        permission_hint: str = "",
        timeout: float = 30.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], float] = time.time,
        on_wait: Callable[[float, str], None] | None = None,
    ):
        self.source = source
        self.permission_hint = permission_hint
        self.policy = policy or RetryPolicy()
        self._sleep, self._now, self._on_wait = sleep, now, on_wait
        self.base_url = base_url.rstrip("/") + "/"
        self.headers = {"User-Agent": "quarterdeck", "Accept": "application/json", **(headers or {})}
        for name, value in self.headers.items():
            if name.lower() in CREDENTIAL_HEADERS:
                remember(value)  # masked in every message and log line from now on
        self.timeout = timeout
        self.http = Transport(timeout=timeout)
        self.requests = 0  # sent, retries included
        self._counting = threading.Lock()  # several threads may share one client

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        """The URL of ``path`` (relative to the base URL, or absolute) with ``params`` added."""
        url = path if "://" in path else self.base_url + path.lstrip("/")
        if params:
            url += ("&" if "?" in url else "?") + encode_query(params)
        return url

    def get(self, path: str, params: dict[str, Any] | None = None) -> HttpResponse:
        """GET with retries and rate limits; a failure raises SourceError."""
        failures = waits = 0
        url = self.url(path, params)
        while True:
            with self._counting:
                self.requests += 1
            try:
                response = self.http.get(url, self.headers)
            except UntrustedCertificate as exc:
                raise SourceError(_untrusted(self.source, exc)) from exc
            except RequestRefused as exc:
                raise SourceError(f"{self.source}: GET {path}: {exc}") from exc
            except TransportError as exc:  # timeouts, refused or dropped connections
                failures += 1
                self._retry_or_fail(failures, self._no_answer(exc), path)
                continue
            wait = self._rate_limit_wait(response)
            if wait is not None:
                waits += 1
                self._wait_or_fail(wait, waits, path)
                continue
            if response.status_code in _RETRIED_STATUS:
                failures += 1
                self._retry_or_fail(failures, f"{response.status_code} {response.reason_phrase}", path)
                continue
            if response.status_code == 401:
                raise CredentialsRefused(self._refusal(response, path))
            if response.status_code >= 400:
                raise SourceError(self._refusal(response, path))
            if _cut_off(response):
                failures += 1
                self._retry_or_fail(failures, f"the answer was cut off ({len(response.content)} bytes of JSON)", path)
                continue
            return response

    def body(self, response: HttpResponse, expected: type = dict) -> Any:
        """The response's JSON, checked to be an ``expected`` (dict or list): a page that is
        not raises SourceError naming the source, the URL and what was expected."""
        try:
            body = response.json()
        except ValueError as exc:
            raise SourceError(f"{self.source}: {_shown(response)} answered with malformed JSON ({exc})") from exc
        if not isinstance(body, expected):
            raise SourceError(
                f"{self.source}: {_where(response)} answered {_json_kind(response)} where "
                f"{_JSON_NAMES.get(expected, expected.__name__)} was expected"
            )
        return body

    def items(self, response: HttpResponse, key: str | None = None, *, objects: bool = False) -> list[Any]:
        """The list of items of a page: the body itself (``key`` None) or its ``key`` (absent
        or null: none). Anything else, or with ``objects`` an item that is not a JSON object,
        raises SourceError naming the source, the URL and what was expected."""
        body = self.body(response, list if key is None else dict)
        found = body if key is None else body.get(key)
        if found is None:
            return []
        if not isinstance(found, list):
            raise SourceError(
                f"{self.source}: {_where(response)} answered {_kind(found)} in '{key}' where a JSON list was expected"
            )
        if objects and not all(isinstance(item, dict) for item in found):
            wrong = next(item for item in found if not isinstance(item, dict))
            where = f" in '{key}'" if key else ""
            raise SourceError(
                f"{self.source}: {_where(response)} answered a list{where} holding {_kind(wrong)} where "
                "JSON objects were expected"
            )
        return found

    def pages(self, path: str, params: dict[str, Any] | None, next_page: Paginator) -> Iterator[HttpResponse]:
        """Every page of a listing, first to last. A listing whose paging goes round in
        circles (see ``ListingGuard``) or that a paginator cannot read raises SourceError
        naming the source and the request, before the page at fault is given."""
        url, current = path, dict(params or {})
        guard = ListingGuard()
        while True:
            query = current if "?" not in url else None
            try:
                guard.asked(self.url(url, query))
                response = self.get(url, query)
                guard.read(response)
            except PagingLoop as exc:
                raise SourceError(self._loop(path, url, query, exc)) from None
            yield response
            following = self._following(response, current, next_page)
            if following is None:
                return
            if following.url is not None:
                url, current = following.url, {}
            else:
                current = dict(following.params or {})

    def _following(self, response: HttpResponse, current: dict[str, Any], next_page: Paginator) -> NextPage | None:
        try:
            return next_page(response, current)
        except ValueError as exc:
            raise SourceError(f"{self.source}: {_shown(response)} answered with malformed JSON ({exc})") from None
        except (AttributeError, TypeError, KeyError) as exc:
            raise SourceError(
                f"{self.source}: {_where(response)} answered a page its paging cannot read "
                f"({_json_kind(response)}; {getattr(next_page, 'expects', 'expected a JSON object')}): {exc}"
            ) from None

    def _loop(self, path: str, url: str, query: dict[str, Any] | None, exc: PagingLoop) -> str:
        asked = self.url(url, query).removeprefix(self.base_url)
        return (
            f"{self.source}: the listing GET {path} went round in circles at GET {asked}: {exc}; "
            "nothing of it was stored this run and its cursor stays; run again later"
        )

    def _no_answer(self, exc: BaseException) -> str:
        if isinstance(exc, http.client.IncompleteRead):
            return f"the answer was cut off ({len(exc.partial)} bytes received, more expected)"
        if isinstance(exc, CutShort):
            return f"the answer was cut off ({exc})"
        if isinstance(exc, TimeoutError):
            return f"no answer within {self.timeout:g} s"
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused"
        return f"no answer ({type(exc).__name__}: {exc})"

    def _retry_or_fail(self, failures: int, why: str, path: str) -> None:
        if failures >= self.policy.attempts:
            raise SourceError(f"{self.source}: GET {path} failed {failures} times, last: {why}; try again later")
        wait = self.policy.backoff * 2 ** (failures - 1)
        self._pause(wait, f"{why}; retrying in {wait:g} s")

    def _wait_or_fail(self, wait: float, waits: int, path: str) -> None:
        if wait > self.policy.longest_wait or waits > self.policy.rate_limit_waits:
            resume = time.strftime("%H:%M:%S", time.localtime(self._now() + wait))
            raise SourceError(
                f"{self.source}: rate limit reached at GET {path}: the API asks to wait {wait:.0f} s; "
                f"run again after {resume} (what was stored so far is kept)"
            )
        self._pause(wait, f"rate limited; waiting {wait:.0f} s as the API asks")

    def _pause(self, seconds: float, why: str) -> None:
        if self._on_wait is not None:
            self._on_wait(seconds, masked(f"{self.source}: {why}"))
        self._sleep(seconds)

    def _rate_limit_wait(self, response: HttpResponse) -> float | None:
        """Seconds the API asks to wait, or None when the response is no rate limit."""
        status, headers = response.status_code, response.headers
        if status not in (403, 429):
            return None
        retry_after = _seconds(headers.get("retry-after"), self._now())
        if retry_after is not None:
            return retry_after
        if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset", "").isdigit():
            return max(0.0, int(headers["x-ratelimit-reset"]) - self._now()) + 1
        if status == 429 or "rate limit" in _api_message(response).lower():
            return 60.0
        return None

    def _refusal(self, response: HttpResponse, path: str) -> str:
        status = response.status_code
        message = _api_message(response)
        quoted = f' ("{message}")' if message else ""
        what = f"{self.source}: GET {path} answered {status} {response.reason_phrase}{quoted}"
        if status == 401:
            return f"{what}: the token was not accepted; {self.permission_hint}".rstrip("; ")
        if status in (403, 404):
            hidden = " (private resources look missing without access)" if status == 404 else ""
            return f"{what}{hidden}: {self.permission_hint or 'check the token and the address'}"
        return what


def _untrusted(source: str, exc: UntrustedCertificate) -> str:
    if exc.wrong_name:
        return (
            f"{source}: the TLS certificate of {exc.host} does not name it ({exc.reason}); "
            "check the address in base_url"
        )
    return (
        f"{source}: the TLS certificate of {exc.host} is not trusted ({exc.reason}); if your organization "
        "uses its own certificate authority, point SSL_CERT_FILE at its bundle"
    )


_JSON_NAMES = {dict: "a JSON object", list: "a JSON list"}


def _json_kind(response: HttpResponse) -> str:
    return _kind(response.json())


def _kind(value: Any) -> str:
    names = {dict: "a JSON object", list: "a JSON list", str: "a JSON string", bool: "true or false"}
    return names.get(type(value), "null" if value is None else "a JSON number")


def _where(response: HttpResponse) -> str:
    """The request with its whole URL (without user or password), for messages about what
    an API answered."""
    return f"{response.method} {public_url(response.url)}"


def _cut_off(response: HttpResponse) -> bool:
    """Whether a JSON answer ended before its document did (a body cut off in transit,
    which a close-delimited answer cannot tell from a whole one)."""
    content = response.content.strip()
    if content[:1] not in (b"{", b"["):
        return False
    try:
        response.json()
    except json.JSONDecodeError as exc:
        return exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string")
    except ValueError:
        return False
    return False


def _shown(response: HttpResponse) -> str:
    """The request as shown in messages: method and path with query (no host, no secrets)."""
    return f"{response.method} {response.target}"


def _seconds(value: str | None, now: float) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    if value.strip().replace(".", "", 1).isdigit():
        return float(value)
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def _api_message(response: HttpResponse) -> str:
    """The error message an API put in its JSON body (GitHub, GitLab, Jira, PagerDuty)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    for key in ("message", "error_description", "errorMessage"):
        if isinstance(body.get(key), str):
            return body[key]
    if isinstance(body.get("errorMessages"), list) and body["errorMessages"]:
        return str(body["errorMessages"][0])
    error = body.get("error")
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return error["message"]
    return error if isinstance(error, str) else ""
