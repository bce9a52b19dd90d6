"""The HTTP transport (``quarterdeck.sources.http.transport``) against real servers on 127.0.0.1.

Every test starts its own servers in threads and stops them at its end: an HTTP server
(``ThreadingHTTPServer``, optionally behind TLS with certificates made by ``trustme``) that
records each request, the connections it accepted and those it closed; a forward proxy (the
same server, which sees absolute URIs); and a ``CONNECT`` proxy on plain sockets that relays
bytes to the local TLS server. Nothing is mocked: the transport and ``HttpClient`` talk to
these servers over real sockets. Tests connect only to 127.0.0.1 or localhost; a URL names a
host under the reserved ``.invalid`` TLD only when the request goes through a test proxy,
which never resolves it. Proxy and certificate settings are environment variables, set with
``monkeypatch`` before the transport is created (it reads proxies when constructed).
"""

from __future__ import annotations

import base64
import gzip
import selectors
import socket
import socketserver
import ssl
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from quarterdeck.core.errors import SourceError
from quarterdeck.sources.http.client import HttpClient, RetryPolicy
from quarterdeck.sources.http.transport import Transport, encode_query, with_param

FAST = RetryPolicy(attempts=2, backoff=0.01)
TOKEN = "Bearer s3cret-token"
CREDENTIALS = {"Authorization": TOKEN, "PRIVATE-TOKEN": "glpat-s3cret", "Cookie": "session=s3cret"}
PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "all_proxy")
WAIT = 5.0  # seconds a test waits for a server thread before failing


# --- servers ---------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"ok": true}'
    drop: bool = False  # close the connection after answering, without a "Connection: close"


App = Callable[[str, dict[str, str]], Reply]  # (request target, lower-case headers) -> reply


class Site:
    """What a running test server received: requests, connections accepted and closed."""

    def __init__(self, app: App):
        self.app = app
        self.port = 0
        self.scheme = "http"
        self.received: list[tuple[str, dict[str, str]]] = []
        self.connections = 0
        self.closed = 0
        self._changed = threading.Condition()

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.received]

    def count(self, what: str) -> None:
        with self._changed:
            setattr(self, what, getattr(self, what) + 1)
            self._changed.notify_all()

    def wait_closed(self, count: int, timeout: float = WAIT) -> None:
        """Wait until the server has closed ``count`` connections (it closes one when the
        client does, or when a reply says ``drop``)."""
        with self._changed:
            closed = self._changed.wait_for(lambda: self.closed >= count, timeout)
        assert closed, f"{self.closed} of the {self.connections} connections closed, expected {count}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless a reply says otherwise
    timeout = WAIT  # an idle keep-alive connection is not kept forever

    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        headers = {name.lower(): value for name, value in self.headers.items()}
        site.received.append((self.path, headers))
        reply = site.app(self.path, headers)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)
        self.wfile.flush()
        if reply.drop:
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site, tls: ssl.SSLContext | None):
        self.site, self.tls = site, tls
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:  # HTTPServer's would look the address up in DNS (getfqdn)
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request, client_address) -> None:
        self.site.count("connections")
        super().process_request(request, client_address)

    def finish_request(self, request, client_address) -> None:
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        try:
            secured = self.tls.wrap_socket(request, server_side=True)
        except OSError:
            return  # the client refused the certificate
        try:
            super().finish_request(secured, client_address)
        finally:
            secured.close()

    def shutdown_request(self, request) -> None:
        super().shutdown_request(request)
        self.site.count("closed")


@contextmanager
def serve(app: App, tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    """An HTTP server (HTTPS with ``tls``) on 127.0.0.1 answering with ``app`` for the block."""
    site = Site(app)
    server = _Server(site, tls)
    site.port, site.scheme = server.server_address[1], ("https" if tls else "http")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(WAIT)


def answer(body: bytes = b'{"ok": true}', **headers: str) -> App:
    return lambda path, request: Reply(200, {"Content-Type": "application/json", **headers}, body)


class TunnelProxy:
    """A CONNECT proxy: reads the CONNECT request, says yes, then relays bytes to
    127.0.0.1:``target_port`` whatever host was asked for (it never resolves a name)."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.requests: list[tuple[str, dict[str, str]]] = []  # request line, lower-case headers
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]

    def __enter__(self) -> TunnelProxy:
        self._threads[0].start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in list(self._threads):
            thread.join(WAIT)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=self._tunnel, args=(client,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _tunnel(self, client: socket.socket) -> None:
        with client:
            client.settimeout(WAIT)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            headers = dict(line.split(": ", 1) for line in lines[1:] if line)
            self.requests.append((lines[0], {name.lower(): value for name, value in headers.items()}))
            with socket.create_connection(("127.0.0.1", self.target_port), timeout=WAIT) as upstream:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._relay(client, upstream)

    def _relay(self, a: socket.socket, b: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(a, selectors.EVENT_READ, b)
            selector.register(b, selectors.EVENT_READ, a)
            while not self._stop.is_set():
                for key, _ in selector.select(timeout=0.05):
                    try:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if not data:
                            return
                        key.data.sendall(data)
                    except OSError:
                        return


@dataclass
class Silent:
    port: int
    accepted: list[socket.socket]


@contextmanager
def listener() -> Iterator[Silent]:
    """A socket on 127.0.0.1 that accepts connections and says nothing (a stand-in for a
    proxy the transport must not use), recording the connections it accepted."""
    silent = Silent(0, [])
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.05)
        silent.port = server.getsockname()[1]
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                try:
                    silent.accepted.append(server.accept()[0])
                except TimeoutError:
                    continue

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        try:
            yield silent
        finally:
            stop.set()
            thread.join(WAIT)
            for connection in silent.accepted:
                connection.close()


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test inherits proxy settings from the machine; tests that want one set it."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.delenv("REQUEST_METHOD", raising=False)  # would make urllib ignore HTTP_PROXY


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def trust(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, authority: trustme.CA) -> None:
    """Point SSL_CERT_FILE at ``authority`` and drop the machine's SSL_CERT_DIR (call it before a
    Transport creates its TLS context)."""
    bundle = tmp_path / f"ca-{id(authority)}.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def server_tls(authority: trustme.CA, *hosts: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(*hosts).configure_cert(context)
    return context


def client(base_url: str, waits: list[str] | None = None) -> HttpClient:
    """An HttpClient with a token, quick retries, and the waits it reports put in ``waits``."""
    on_wait = (lambda seconds, why: waits.append(why)) if waits is not None else None
    return HttpClient("GitHub", base_url, headers={"Authorization": TOKEN}, policy=FAST, on_wait=on_wait)


@contextmanager
def transport() -> Iterator[Transport]:
    http = Transport(timeout=WAIT)
    try:
        yield http
    finally:
        http.close()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def redirecting(status: int, location: Callable[[str], str | None]) -> App:
    """Redirects every path for which ``location`` gives a target; answers the others."""

    def app(path: str, headers: dict[str, str]) -> Reply:
        target = location(path)
        if target is None:
            return Reply(200, {"Content-Type": "application/json"}, b'{"landed": true}')
        return Reply(status, {"Location": target}, b"")

    return app


# --- query strings ---------------------------------------------------------------------------


def test_encode_query_writes_values_as_apis_expect():
    query = encode_query(
        {
            "jql": "project = DEMO AND updated >= '2024-01-01 10:00'",
            "fields": "*all,-comment",
            "t": True,
            "n": None,
            "ids": [1, 2],
        }
    )
    assert query == (
        "jql=project+%3D+DEMO+AND+updated+%3E%3D+%272024-01-01+10%3A00%27&fields=%2Aall%2C-comment&t=true&n=&ids=1&ids=2"
    )


def test_encode_query_small_cases():
    assert (
        encode_query({"f": False, "path": "a/b c", "tags": ("x", "y"), "empty": []})
        == "f=false&path=a%2Fb+c&tags=x&tags=y"
    )
    assert encode_query({"zero": 0, "u": "é"}) == "zero=0&u=%C3%A9"
    assert encode_query({}) == ""


def test_with_param_replaces_a_parameter_keeping_the_others_in_order():
    url = "https://api.github.invalid/repos/x/issues?state=all&page=2&per_page=100"
    assert with_param(url, "page", 3) == "https://api.github.invalid/repos/x/issues?state=all&per_page=100&page=3"


def test_with_param_adds_a_missing_parameter():
    assert with_param("http://127.0.0.1/a?x=1", "startAt", 50) == "http://127.0.0.1/a?x=1&startAt=50"
    assert with_param("http://127.0.0.1/a", "cursor", "b c/d") == "http://127.0.0.1/a?cursor=b+c%2Fd"
    assert (
        with_param("http://127.0.0.1/a?cursor=1&cursor=2#top", "cursor", True) == "http://127.0.0.1/a?cursor=true#top"
    )


# --- keep-alive ------------------------------------------------------------------------------


def test_several_gets_reuse_one_connection():
    with serve(answer()) as site, transport() as http:
        statuses = [http.get(f"{site.base_url}/items/{n}", {}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 200]
    assert site.paths() == ["/items/0", "/items/1", "/items/2", "/items/3"]
    assert site.connections == 1


def test_each_thread_has_its_own_connection():
    with serve(answer()) as site, transport() as http:
        threads = [threading.Thread(target=http.get, args=(f"{site.base_url}/t/{n}", {})) for n in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        http.get(f"{site.base_url}/main", {})
    assert sorted(site.paths()) == ["/main", "/t/0", "/t/1", "/t/2"]
    assert site.connections == 4


def test_close_closes_the_open_connections():
    with serve(answer()) as site:
        http = Transport(timeout=WAIT)
        http.get(f"{site.base_url}/one", {})
        http.close()
        site.wait_closed(1)
    assert site.connections == 1


def test_close_also_closes_a_connection_reopened_after_an_earlier_close():
    with serve(answer()) as site:
        http = Transport(timeout=WAIT)
        http.get(f"{site.base_url}/one", {})
        http.close()
        site.wait_closed(1)
        http.get(f"{site.base_url}/two", {})
        http.close()
        try:
            site.wait_closed(2, timeout=0.5)
        finally:
            del http  # the leaked socket is closed when the transport is collected
    assert site.connections == 2


def once_then_drop(path: str, headers: dict[str, str]) -> Reply:
    """Answers as for keep-alive (HTTP/1.1, no "Connection: close"), then closes the connection."""
    return Reply(200, {"Content-Type": "application/json"}, f'{{"path": "{path}"}}'.encode(), drop=True)


def test_a_connection_the_server_closed_while_idle_is_opened_again():
    with serve(once_then_drop) as site, transport() as http:
        first = http.get(f"{site.base_url}/first", {})
        site.wait_closed(1)  # the connection the transport keeps is now closed at the other end
        second = http.get(f"{site.base_url}/second", {})
    assert (first.status_code, first.json()) == (200, {"path": "/first"})
    assert (second.status_code, second.json()) == (200, {"path": "/second"})
    assert site.paths() == ["/first", "/second"]
    assert site.connections == 2


def test_a_closed_idle_connection_costs_http_client_no_retry():
    waits: list[str] = []
    with serve(once_then_drop) as site, client(site.base_url, waits) as http:
        http.get("/first")
        site.wait_closed(1)
        before = http.requests
        response = http.get("/second")
    assert response.json() == {"path": "/second"}
    assert http.requests == before + 1
    assert waits == []
    assert site.connections == 2


def test_a_closed_idle_tls_connection_is_opened_again(monkeypatch, tmp_path, ca):
    trust(monkeypatch, tmp_path, ca)
    waits: list[str] = []
    with serve(once_then_drop, tls=server_tls(ca, "127.0.0.1")) as site, client(site.base_url, waits) as http:
        http.get("/first")
        site.wait_closed(1)
        response = http.get("/second")
    assert response.json() == {"path": "/second"}
    assert (http.requests, waits, site.connections) == (2, [], 2)


# --- compression -----------------------------------------------------------------------------

PAYLOAD = b'{"issues": [' + b",".join(b'{"number": %d, "title": "a title"}' % n for n in range(200)) + b"]}"


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("deflate", raw_deflate), ("GZIP", gzip.compress)],
    ids=["gzip", "deflate-zlib", "deflate-raw", "gzip-upper-case"],
)
def test_compressed_answers_are_unpacked(encoding, pack):
    with serve(answer(pack(PAYLOAD), **{"Content-Encoding": encoding})) as site, transport() as http:
        response = http.get(f"{site.base_url}/issues", {"Accept": "application/json"})
    assert response.content == PAYLOAD
    assert len(response.json()["issues"]) == 200
    assert site.received[0][1]["accept-encoding"] == "gzip, deflate"


def test_an_uncompressed_answer_is_kept_as_is():
    with serve(answer(PAYLOAD)) as site, transport() as http:
        assert http.get(f"{site.base_url}/plain", {}).content == PAYLOAD


# --- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_on_the_same_origin_keeps_the_credentials(status):
    app = redirecting(status, lambda path: "/new/place?page=2" if path == "/old" else None)
    with serve(app) as site, transport() as http:
        response = http.get(f"{site.base_url}/old", {**CREDENTIALS, "X-Custom": "kept"})
    assert (response.status_code, response.json()) == (200, {"landed": True})
    assert response.url == f"{site.base_url}/new/place?page=2"
    assert response.target == "/new/place?page=2"
    assert site.paths() == ["/old", "/new/place?page=2"]
    landed = site.received[1][1]
    assert (landed["authorization"], landed["private-token"], landed["cookie"]) == (
        TOKEN,
        "glpat-s3cret",
        "session=s3cret",
    )
    assert landed["x-custom"] == "kept"
    assert site.connections == 1  # the redirect went over the same connection


@pytest.mark.parametrize("status", [301, 302, 307])
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_redirect_to_another_origin_drops_the_credentials(status, host):
    with serve(answer(b'{"elsewhere": true}')) as other:
        app = redirecting(status, lambda path: f"http://{host}:{other.port}/landing" if path == "/away" else None)
        with serve(app) as site, transport() as http:
            given = {**CREDENTIALS, "X-Api-Key": "s3cret", "Circle-Token": "s3cret", "X-Custom": "kept"}
            response = http.get(f"{site.base_url}/away", given)
    assert response.json() == {"elsewhere": True}
    assert response.url == f"http://{host}:{other.port}/landing"
    assert site.received[0][1]["authorization"] == TOKEN
    ((path, landed),) = other.received
    assert path == "/landing"
    assert not {"authorization", "private-token", "cookie", "x-api-key", "circle-token"} & set(landed)
    assert landed["x-custom"] == "kept"


def test_five_redirects_are_followed():
    app = redirecting(302, lambda path: f"/r/{int(path[3:]) + 1}" if int(path[3:]) < 5 else None)
    with serve(app) as site, transport() as http:
        response = http.get(f"{site.base_url}/r/0", {})
    assert response.json() == {"landed": True}
    assert site.paths() == [f"/r/{n}" for n in range(6)]


def test_more_than_five_redirects_fail_at_once_through_http_client():
    waits: list[str] = []
    app = redirecting(302, lambda path: f"/r/{int(path.split('/')[2].split('?')[0]) + 1}?token=s3cret")
    with serve(app) as site, client(site.base_url, waits) as http, pytest.raises(SourceError) as raised:
        http.get("/r/0")
    assert str(raised.value) == f"GitHub: GET /r/0: more than 5 redirects, the last to http://127.0.0.1:{site.port}/r/6"
    assert (http.requests, waits) == (1, [])  # the server answered: nothing to try again
    assert len(site.received) == 6
    assert "s3cret" not in str(raised.value)  # the URL is shown without its query


# --- TLS -------------------------------------------------------------------------------------


def test_https_with_a_trusted_certificate(monkeypatch, tmp_path, ca):
    trust(monkeypatch, tmp_path, ca)
    with serve(answer(b'{"secure": true}'), tls=server_tls(ca, "127.0.0.1")) as site, client(site.base_url) as http:
        responses = [http.get("/secure"), http.get("/secure")]
    assert [r.json() for r in responses] == [{"secure": True}, {"secure": True}]
    assert site.received[0][1]["authorization"] == TOKEN
    assert site.connections == 1


def test_an_untrusted_certificate_fails_at_once(monkeypatch, tmp_path, ca):
    trust(monkeypatch, tmp_path, trustme.CA())  # another authority, which did not sign the server's
    waits: list[str] = []
    tls = server_tls(ca, "127.0.0.1")
    with serve(answer(), tls=tls) as site, client(site.base_url, waits) as http, pytest.raises(SourceError) as raised:
        http.get("/secure")
    assert str(raised.value) == (
        "GitHub: the TLS certificate of 127.0.0.1 is not trusted (unable to get local issuer certificate); if your "
        "organization uses its own certificate authority, point SSL_CERT_FILE at its bundle"
    )
    assert (http.requests, waits, site.received) == (1, [], [])


def test_a_certificate_for_another_name_says_so(monkeypatch, tmp_path, ca):
    trust(monkeypatch, tmp_path, ca)
    tls = server_tls(ca, "api.github.invalid")
    with serve(answer(), tls=tls) as site, client(site.base_url) as http, pytest.raises(SourceError) as raised:
        http.get("/secure")
    message = str(raised.value)
    assert message.startswith("GitHub: the TLS certificate of 127.0.0.1 does not name it (")
    assert message.endswith("); check the address in base_url") and "SSL_CERT_FILE" not in message
    assert (http.requests, site.received) == (1, [])


# --- proxies ---------------------------------------------------------------------------------


def test_http_goes_through_the_proxy_with_its_credentials(monkeypatch):
    proxied = answer(b'{"via": "proxy"}')
    with serve(proxied) as proxy:
        monkeypatch.setenv("HTTP_PROXY", f"http://user:p%40ss@127.0.0.1:{proxy.port}")
        with client("http://api.github.invalid") as http:
            first = http.get("/repos/x", {"per_page": 2})
            second = http.get("/repos/y")
    assert first.json() == second.json() == {"via": "proxy"}
    assert first.url == "http://api.github.invalid/repos/x?per_page=2"
    assert proxy.paths() == ["http://api.github.invalid/repos/x?per_page=2", "http://api.github.invalid/repos/y"]
    seen = proxy.received[0][1]
    assert seen["proxy-authorization"] == basic("user", "p@ss")
    assert seen["host"] == "api.github.invalid"
    assert seen["authorization"] == TOKEN
    assert proxy.connections == 1  # kept alive to the proxy


def test_https_goes_through_a_connect_tunnel(monkeypatch, tmp_path, ca):
    trust(monkeypatch, tmp_path, ca)
    with (
        serve(answer(b'{"tunneled": true}'), tls=server_tls(ca, "api.github.invalid")) as origin,
        TunnelProxy(origin.port) as proxy,
    ):
        monkeypatch.setenv("HTTPS_PROXY", f"http://user:p%40ss@127.0.0.1:{proxy.port}")
        with client("https://api.github.invalid") as http:
            responses = [http.get("/x"), http.get("/y")]
    assert [r.json() for r in responses] == [{"tunneled": True}, {"tunneled": True}]
    ((line, connect_headers),) = proxy.requests  # one tunnel, kept alive
    assert line.startswith("CONNECT api.github.invalid:443 HTTP/1.")  # HTTP/1.0 from Python 3.11, 1.1 from 3.12
    assert connect_headers["proxy-authorization"] == basic("user", "p@ss")
    assert origin.paths() == ["/x", "/y"]  # the origin sees paths, not absolute URIs
    assert origin.received[0][1]["host"] == "api.github.invalid"
    assert origin.received[0][1]["authorization"] == TOKEN
    assert "proxy-authorization" not in origin.received[0][1]
    assert origin.connections == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_addresses_never_go_through_the_proxy(monkeypatch, host):
    with listener() as http_proxy, listener() as https_proxy, serve(answer()) as site:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{http_proxy.port}")
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{https_proxy.port}")
        with client(f"http://{host}:{site.port}") as http:
            response = http.get("/direct")
    assert response.status_code == 200
    assert site.paths() == ["/direct"]
    assert (http_proxy.accepted, https_proxy.accepted) == ([], [])


@pytest.mark.parametrize(
    "no_proxy", ["api.github.invalid", "github.invalid", ".github.invalid", "*", "a.invalid, api.github.invalid"]
)
def test_no_proxy_names_hosts_reached_directly(monkeypatch, no_proxy):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    http = Transport()
    assert http._proxy_for("http", "api.github.invalid") is None
    assert http._proxy_for("http", "other.invalid") == ("http://127.0.0.1:3128" if no_proxy != "*" else None)


def test_lower_case_proxy_variables_count_too(monkeypatch):
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:3128")
    assert Transport()._proxy_for("http", "api.github.invalid") == "http://127.0.0.1:3128"
    monkeypatch.setenv("no_proxy", "github.invalid")
    assert Transport()._proxy_for("http", "api.github.invalid") is None


def test_a_proxy_without_a_scheme_is_an_http_proxy(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "proxy.invalid:3128")
    assert Transport()._proxy_for("https", "api.github.invalid") == "http://proxy.invalid:3128"


def test_a_proxy_applies_only_to_its_scheme(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:3128")
    http = Transport()
    assert http._proxy_for("http", "api.github.invalid") == "http://127.0.0.1:3128"
    assert http._proxy_for("https", "api.github.invalid") is None


@pytest.mark.parametrize("scheme", ["socks5", "https"])
def test_a_proxy_that_is_not_http_is_a_clear_error(monkeypatch, scheme):
    with listener() as silent:
        proxy = f"{scheme}://user:pr0xy-s3cret@127.0.0.1:{silent.port}"
        monkeypatch.setenv("HTTPS_PROXY", proxy)
        with client("https://api.github.invalid") as http, pytest.raises(SourceError) as raised:
            http.get("/x")
    shown = f"{scheme}://127.0.0.1:{silent.port}"
    assert str(raised.value) == (
        f"GitHub: GET /x: proxy {shown}: only http:// proxies are supported (check HTTPS_PROXY and HTTP_PROXY)"
    )
    assert "pr0xy-s3cret" not in str(raised.value)
    assert http.requests == 1
    assert silent.accepted == []


def test_a_proxy_that_is_not_http_fails_at_once(monkeypatch):
    with listener() as silent:
        monkeypatch.setenv("HTTPS_PROXY", f"socks5://127.0.0.1:{silent.port}")
        waits: list[str] = []
        with client("https://api.github.invalid", waits) as http, pytest.raises(SourceError) as raised:
            http.get("/x")
    assert "only http:// proxies are supported" in str(raised.value)
    assert (http.requests, waits) == (1, [])
    assert "try again later" not in str(raised.value)
