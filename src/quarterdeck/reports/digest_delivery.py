"""Delivering a digest: e-mail by SMTP with STARTTLS, and Slack or Teams incoming webhooks.

- **E-mail**: one SMTP session per owner (a failure for one owner leaves the others to go):
  EHLO, STARTTLS with the certificate verified against the system's authorities
  (``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` point elsewhere, as for every HTTPS source), EHLO
  again, then the login from QUARTERDECK_SMTP_USER / QUARTERDECK_SMTP_PASSWORD when set. A
  server without STARTTLS is refused while ``starttls = true``. The message has a plain-text
  and an HTML part.
- **Webhooks**: a JSON POST to the URL in the environment variable the owner's entry names;
  the URL is a secret, so messages name the variable and the host, never the URL.

Nothing here prints or keeps a password or a webhook URL; every message goes through
``core.secrets.masked`` (``QuarterdeckError``) with both remembered.
"""

from __future__ import annotations

import ipaddress
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

from quarterdeck.config.digest_settings import USER_ENV, DigestSettings
from quarterdeck.core.errors import QuarterdeckError
from quarterdeck.core.secrets import remember
from quarterdeck.reports.digest import Digest
from quarterdeck.reports.digest_render import html, plain_text, slack_payload, teams_payload

SERVICES = {"slack": "Slack", "teams": "Teams"}


class DeliveryFailed(QuarterdeckError):
    """One channel of one digest could not be delivered (the message says why)."""


@dataclass(frozen=True)
class Outcome:
    """What happened on one channel of one owner's digest: ``problem`` None when it went."""

    owner: str
    channel: str  # email | slack | teams
    to: str  # the address, or "$VARIABLE (host)"
    problem: str | None = None


def tls_context() -> ssl.SSLContext:
    """Certificates verified against the system's authorities (SSL_CERT_FILE, SSL_CERT_DIR),
    or certifi's bundle where the system has none, as ``sources.http.transport`` does."""
    context = ssl.create_default_context()
    if not context.cert_store_stats().get("x509_ca") and not context.get_ca_certs():
        try:
            import certifi

            context.load_verify_locations(certifi.where())
        except ImportError:
            pass
    return context


def email_message(digest: Digest, settings: DigestSettings, to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender or ""
    message["To"] = to
    message["Subject"] = digest.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="quarterdeck.local")
    message.set_content(plain_text(digest))
    message.add_alternative(html(digest), subtype="html")
    return message


def send_email(digest: Digest, settings: DigestSettings, to: str) -> None:
    """Send ``digest`` to ``to``; any failure is a DeliveryFailed naming the server."""
    remember(settings.password)
    problem = settings.problem()
    if problem:
        raise DeliveryFailed(problem)
    server = settings.server
    try:
        with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=settings.timeout) as smtp:
            smtp.ehlo()
            if settings.starttls:
                if not smtp.has_extn("starttls"):
                    raise DeliveryFailed(
                        f"the SMTP server {server} does not offer STARTTLS, so the session cannot be encrypted "
                        "(starttls = true in [digest])"
                    )
                smtp.starttls(context=tls_context())
                smtp.ehlo()
            if settings.user is not None and settings.password is not None:
                smtp.login(settings.user, settings.password)
            smtp.send_message(email_message(digest, settings, to))
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryFailed(
            f"the SMTP server {server} refused the login of the user in {USER_ENV} "
            f"({exc.smtp_code} {_said(exc.smtp_error)}); check QUARTERDECK_SMTP_USER and QUARTERDECK_SMTP_PASSWORD"
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryFailed(
            f"the certificate of the SMTP server {server} is not trusted ({exc.verify_message}); if your "
            "organization's authority signed it, point SSL_CERT_FILE at that authority's certificate"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = "; ".join(f"{who}: {code} {_said(text)}" for who, (code, text) in exc.recipients.items())
        raise DeliveryFailed(f"the SMTP server {server} refused the recipient ({refused})") from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryFailed(f"the SMTP server {server} answered {exc.smtp_code} {_said(exc.smtp_error)}") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryFailed(f"could not send through the SMTP server {server}: {exc}") from None


def _said(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def post_webhook(service: str, variable: str, env: Mapping[str, str], payload: dict[str, Any], timeout: float) -> None:
    """POST ``payload`` to the URL held by the environment variable ``variable``."""
    url = env.get(variable) or ""
    name = SERVICES[service]
    if not url:
        raise DeliveryFailed(f"the environment variable {variable} (the {name} webhook URL) is not set")
    remember(url)
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise DeliveryFailed(f"{variable} does not hold a {name} webhook URL (expected https://...)")
    where = f"the {name} webhook in {variable} (host {parts.hostname})"
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}, method="POST"
    )
    proxies = urllib.request.ProxyHandler({}) if _loopback(parts.hostname) else urllib.request.ProxyHandler()
    opener = urllib.request.build_opener(proxies, urllib.request.HTTPSHandler(context=tls_context()))
    try:
        with opener.open(request, timeout=timeout) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        said = exc.read()[:200].decode("utf-8", "replace").strip()
        raise DeliveryFailed(f"{where} answered {exc.code} {exc.reason}{': ' + said if said else ''}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, ssl.SSLCertVerificationError):
            raise DeliveryFailed(f"{where}: the certificate is not trusted ({exc.reason.verify_message})") from None
        raise DeliveryFailed(f"{where} could not be reached: {exc.reason}") from None
    except OSError as exc:
        raise DeliveryFailed(f"{where} could not be reached: {exc}") from None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def deliver(digest: Digest, settings: DigestSettings, env: Mapping[str, str]) -> list[Outcome]:
    """Send ``digest`` on every channel its owner has; one Outcome per channel, failures included."""
    contacts = digest.contacts
    if contacts is None:
        return [Outcome(digest.owner, "none", "", "no contacts: add the owner under 'owners:' in the targets file")]
    outcomes = []
    for channel in contacts.channels:
        to = destination(digest, channel)
        try:
            if channel == "email":
                send_email(digest, settings, contacts.email or "")
            else:
                variable = contacts.slack_webhook_env if channel == "slack" else contacts.teams_webhook_env
                payload = slack_payload(digest) if channel == "slack" else teams_payload(digest)
                post_webhook(channel, variable or "", env, payload, settings.timeout)
        except DeliveryFailed as exc:
            outcomes.append(Outcome(digest.owner, channel, to, exc.message))
            continue
        outcomes.append(Outcome(digest.owner, channel, to))
    return outcomes


def destination(digest: Digest, channel: str) -> str:
    """Where a channel goes, as it may be printed: the address, or the variable's name."""
    contacts = digest.contacts
    if contacts is None:
        return ""
    if channel == "email":
        return contacts.email or ""
    return f"${contacts.slack_webhook_env if channel == 'slack' else contacts.teams_webhook_env}"
