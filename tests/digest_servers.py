"""The servers digests are delivered to in tests, all on 127.0.0.1 and started by the tests:
a real SMTP server (aiosmtpd) that requires STARTTLS, with a certificate issued by a
trustme authority, and a login; and an HTTP server receiving webhook POSTs."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"
USER = "digest-bot"
PASSWORD = "s3cret-Pa55word-for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One message the SMTP server accepted."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, kind: str) -> str:
        body = self.message.get_body(preferencelist=(kind,))
        assert body is not None, f"no {kind} part"
        return body.get_content()


@dataclass
class Mailbox:
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


def _authenticator(mailbox: Mailbox):
    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        accepted = (user, password) == (USER, PASSWORD)
        mailbox.logins.append((user, accepted))
        return AuthResult(success=accepted, handled=False)

    return check


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    ca_file: Path  # the authority that signed its certificate (SSL_CERT_FILE for the client)


@contextmanager
def smtp_server(folder: Path) -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 requiring STARTTLS before AUTH, and AUTH before mail."""
    authority = trustme.CA()
    ca_file = folder / "smtp-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(HOST, "localhost").configure_cert(context)
    mailbox, port = Mailbox(), free_port()
    controller = Controller(
        mailbox, hostname=HOST, port=port, tls_context=context, require_starttls=True, auth_required=True,
        auth_require_tls=True, authenticator=_authenticator(mailbox),
    )  # fmt: skip
    controller.start()
    try:
        yield SmtpServer(port, mailbox, ca_file)
    finally:
        controller.stop()


@dataclass
class Hook:
    path: str
    content_type: str
    payload: Any


class WebhookReceiver(ThreadingHTTPServer):
    """Accepts JSON POSTs (answers 200 "ok", as Slack does); a path with "/broken" gets 500."""

    def __init__(self) -> None:
        super().__init__((HOST, 0), _HookHandler)
        self.hooks: list[Hook] = []

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"


class _HookHandler(BaseHTTPRequestHandler):
    server: WebhookReceiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.hooks.append(Hook(self.path, self.headers.get("Content-Type", ""), json.loads(body)))
        status, answer = (500, b"internal_error") if "/broken" in self.path else (200, b"ok")
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
