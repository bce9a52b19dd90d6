"""HTTP/1.1 GETs on the standard library's ``http.client``: keep-alive, TLS, proxies, redirects.

Why not an HTTP library: a sync spends most of its time in per-request overhead when the API
is near (a self-hosted Jira, GitLab or Jenkins, or the demo's replay server). Measured on
the demo's 53,000 GitHub requests, this transport costs the client 12 s of CPU where httpx
cost 36 s (decision 0016). What it does:

- **Keep-alive.** One connection per thread and origin, reused; a reused connection the
  server had closed is opened again and the request sent once more (GETs are idempotent).
- **TLS.** Certificates are verified against the system's authorities (``SSL_CERT_FILE``
  and ``SSL_CERT_DIR`` point elsewhere); where the system has none, certifi's bundle. A
  certificate that is not trusted is reported at once, not retried.
- **Proxies.** ``HTTPS_PROXY``, ``HTTP_PROXY`` and ``NO_PROXY`` (and the system's settings
  where Python reads them), HTTPS through ``CONNECT``, with the proxy URL's user and password
  as ``Proxy-Authorization``. Loopback addresses never go through a proxy.
- **Redirects.** Up to ``MAX_REDIRECTS``; headers that carry credentials are not sent to
  another origin.
- **Errors.** No answer (timeouts, refused or dropped connections) raises one of
  ``TransportError``, worth trying again; a request that cannot be sent as configured
  raises ``RequestRefused`` (``UntrustedCertificate`` for TLS), which is not.
- **Compression.** gzip and deflate answers are unpacked; one cut off raises ``CutShort``
  (one of ``TransportError``), as a body shorter than its ``Content-Length`` does.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import ssl
import threading
import urllib.request
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CREDENTIAL_HEADERS = {"authorization", "private-token", "circle-token", "cookie", "x-api-key"}  # kept to one origin
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

TransportError = (OSError, http.client.HTTPException)  # no answer: timeouts, refused or dropped connections
_NAME_MISMATCH = {62, 64}  # OpenSSL: X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH


class CutShort(http.client.HTTPException):
    """The answer ended before its body did (a compressed body cut off): worth trying again."""


class RequestRefused(Exception):
    """A request that cannot be sent as configured (not an http(s) URL, a proxy that is not
    http://, too many redirects): trying again would not help."""


class UntrustedCertificate(RequestRefused):
    """The server's TLS certificate is not signed by an authority this machine trusts, or
    does not name the server."""

    def __init__(self, host: str, reason: str, wrong_name: bool):
        super().__init__(f"{host}: {reason}")
        self.host, self.reason, self.wrong_name = host, reason, wrong_name


class Headers(dict[str, str]):
    """Response headers by lower-case name; repeated headers are joined with ", "."""

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name.lower(), default)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())


@dataclass
class HttpResponse:
    status_code: int
    reason_phrase: str
    headers: Headers
    content: bytes
    url: str  # the URL answered (after redirects)
    method: str = "GET"
    _parsed: Any = field(default=None, init=False, repr=False, compare=False)

    def json(self) -> Any:
        """The body as JSON (parsed once; a body that is not JSON raises ValueError)."""
        if self._parsed is None:
            self._parsed = (json.loads(self.content),)
        return self._parsed[0]

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    @property
    def target(self) -> str:
        """The path with its query, as shown in messages (no host, no credentials)."""
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


def encode_query(params: dict[str, Any]) -> str:
    """Query parameters as APIs expect them: ``true``/``false``, nothing for None, a list as
    the key repeated; spaces as ``+``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            text = "" if item is None else ("true" if item is True else "false" if item is False else str(item))
            pairs.append((str(key), text))
    return urlencode(pairs)


def with_param(url: str, name: str, value: Any) -> str:
    """``url`` with the query parameter ``name`` set to ``value`` (others kept in order)."""
    parts = urlsplit(url)
    kept = [p for p in parts.query.split("&") if p and p.split("=", 1)[0] != name]
    query = "&".join([*kept, encode_query({name: value})])
    return parts._replace(query=query).geturl()


class Transport:
    """Sends GETs; one instance may be shared by several threads."""

    def __init__(self, timeout: float = 30.0):
        self.timeout = timeout
        self._local = threading.local()
        self._opened: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None
        self._generation = 0
        self._proxies = {k.lower(): v for k, v in urllib.request.getproxies().items()}

    def get(self, url: str, headers: dict[str, str]) -> HttpResponse:
        """The answer to a GET of ``url`` after redirects; raises one of ``TransportError``
        when there is none, ``UntrustedCertificate`` for a TLS certificate not trusted."""
        sent = dict(headers)
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(url, sent)
            location = response.headers.get("location")
            if response.status_code not in REDIRECTS or not location:
                return response
            following = urljoin(url, location)
            if _origin(following) != _origin(url):
                sent = {k: v for k, v in sent.items() if k.lower() not in CREDENTIAL_HEADERS}
            url = following
        raise RequestRefused(f"more than {MAX_REDIRECTS} redirects, the last to {_shown(url)}")

    def close(self) -> None:
        """Close every connection (a later GET opens new ones)."""
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
            self._generation += 1  # each thread's cache of connections is stale from now on

    def _send(self, url: str, headers: dict[str, str]) -> HttpResponse:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RequestRefused(f"not an http(s) URL: {_shown(url)}")
        proxy = self._proxy_for(parts.scheme, parts.hostname)
        target = parts.path or "/"
        target += f"?{parts.query}" if parts.query else ""
        sent = {**headers, "Accept-Encoding": "gzip, deflate"}
        if proxy is not None and parts.scheme == "http":
            target = parts._replace(fragment="").geturl()  # a plain-HTTP proxy takes the whole URL
            sent.update(_proxy_credentials(proxy))
        key = (parts.scheme, parts.hostname, parts.port, proxy)
        for attempt in (1, 2):
            connection, reused = self._connection(key)
            try:
                connection.request("GET", target, headers=sent)
                answer = connection.getresponse()
                body = answer.read()
            except ssl.SSLCertVerificationError as exc:
                self._drop(key)
                wrong_name = exc.verify_code in _NAME_MISMATCH
                raise UntrustedCertificate(parts.hostname, str(exc.verify_message or exc), wrong_name) from exc
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._drop(key)
                if reused and attempt == 1:
                    continue  # the server had closed an idle connection: open a new one
                raise
            except BaseException:
                self._drop(key)
                raise
            if answer.will_close:
                self._drop(key)
            return HttpResponse(answer.status, answer.reason, _headers(answer), _decoded(answer, body), url)
        raise AssertionError("unreachable")

    def _connection(self, key: tuple[Any, ...]) -> tuple[http.client.HTTPConnection, bool]:
        if self._local.__dict__.get("generation") != self._generation:
            self._local.open, self._local.generation = {}, self._generation  # closed since: start afresh
        connections: dict[tuple[Any, ...], http.client.HTTPConnection] = self._local.open
        connection = connections.get(key)
        if connection is not None:
            return connection, True
        scheme, host, port, proxy = key
        connection = self._open(scheme, host, port, proxy)
        connections[key] = connection
        with self._lock:
            self._opened.append(connection)
        return connection, False

    def _open(self, scheme: str, host: str, port: int | None, proxy: str | None) -> http.client.HTTPConnection:
        if proxy is None:
            if scheme == "https":
                return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=self._tls_context())
            return http.client.HTTPConnection(host, port, timeout=self.timeout)
        through = urlsplit(proxy)
        if through.scheme != "http" or not through.hostname:
            raise RequestRefused(
                f"proxy {_shown(proxy)}: only http:// proxies are supported (check HTTPS_PROXY and HTTP_PROXY)"
            )
        if scheme == "http":
            return http.client.HTTPConnection(through.hostname, through.port or 80, timeout=self.timeout)
        tunnel = http.client.HTTPSConnection(
            through.hostname, through.port or 80, timeout=self.timeout, context=self._tls_context()
        )
        tunnel.set_tunnel(host, port or 443, headers=_proxy_credentials(proxy))
        return tunnel

    def _drop(self, key: tuple[Any, ...]) -> None:
        connection = self._local.__dict__.get("open", {}).pop(key, None)
        if connection is not None:
            connection.close()
            with self._lock:
                if connection in self._opened:
                    self._opened.remove(connection)

    def _proxy_for(self, scheme: str, host: str) -> str | None:
        proxy = self._proxies.get(scheme)
        if not proxy or host in LOOPBACK or host.startswith("127."):
            return None
        if "://" not in proxy:
            proxy = f"http://{proxy}"  # host:port, as curl and urllib read it
        return None if urllib.request.proxy_bypass(host) else proxy

    def _tls_context(self) -> ssl.SSLContext:
        if self._tls is None:
            context = ssl.create_default_context()
            if not context.cert_store_stats().get("x509_ca") and not context.get_ca_certs():
                try:
                    import certifi  # the system has no authorities (some minimal images, some macOS Pythons)

                    context.load_verify_locations(certifi.where())
                except ImportError:
                    pass
            self._tls = context
        return self._tls


def _headers(answer: http.client.HTTPResponse) -> Headers:
    headers = Headers()
    for name, value in answer.getheaders():
        key = name.lower()
        dict.__setitem__(headers, key, f"{dict.get(headers, key)}, {value}" if key in headers else value)
    return headers


def _decoded(answer: http.client.HTTPResponse, body: bytes) -> bytes:
    encoding = (answer.getheader("content-encoding") or "").strip().lower()
    try:
        if encoding == "gzip" and body:
            return gzip.decompress(body)
        if encoding == "deflate" and body:
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some servers send
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise CutShort(f"the {encoding} body was cut off ({len(body)} bytes received)") from exc
    return body


def _proxy_credentials(proxy: str) -> dict[str, str]:
    parts = urlsplit(proxy)
    if parts.username is None:
        return {}
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    return {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def public_url(url: str) -> str:
    """A URL as shown in messages: without user or password, with its query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts._replace(netloc=host + (f":{parts.port}" if parts.port else ""), fragment="").geturl()


def _shown(url: str) -> str:
    """A URL without user or password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc, query="").geturl()
