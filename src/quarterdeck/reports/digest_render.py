"""A digest as plain text, as HTML (the two parts of its e-mail), and as the JSON payloads of
Slack's and Microsoft Teams' incoming webhooks. Every number comes from the ``Digest``."""

from __future__ import annotations

from html import escape
from typing import Any

from quarterdeck.core.formats import format_number
from quarterdeck.reports.digest import Digest, DigestLine

COLOURS = {"green": "#1e8a4c", "amber": "#c98200", "red": "#c62f2f", "grey": "#8a939f"}
FOOTER = "Numbers: quarterdeck targets status; each metric's definition: quarterdeck metrics show NAME --explain."


def headline(digest: Digest) -> str:
    return f"Targets of {digest.owner} for {digest.period} (the data runs to {digest.data_end.isoformat()})"


def line_text(line: DigestLine) -> str:
    """One target in one line: value against target, status, misses."""
    period = line.period or "not recorded (run 'quarterdeck targets record')"
    missed = f"missed {line.missed_in_a_row} in a row, {line.missed_of_last_12} of the last 12"
    return (
        f"{line.title} ({line.scope}, {line.review}), {period}: {line.shown()} against a target of "
        f"{format_number(line.target, line.unit)} (amber to {format_number(line.amber_edge, line.unit)}): "
        f"{line.status.upper()}; {missed}"
    )


def plain_text(digest: Digest) -> str:
    parts = [headline(digest), ""]
    if not digest.lines:
        parts.append("None of your targets is reviewed this period.")
    if digest.red:
        parts.append("Red:")
        parts.extend(f"  - {line_text(line)}" for line in digest.red)
        parts.append("")
    if digest.lines:
        parts.append("Every target, and what changed since the period before:")
        for line in digest.lines:
            parts.append(f"  - {line_text(line)}")
            parts.append(f"    since {line.change}")
    parts += ["", FOOTER]
    return "\n".join(parts) + "\n"


def html(digest: Digest) -> str:
    rows = "".join(_html_row(line) for line in digest.lines)
    red = "".join(f"<li>{escape(line_text(line))}</li>" for line in digest.red)
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>"
        f"{escape(digest.subject)}</title></head><body style=\"font-family: sans-serif\">"
        f"<h1 style=\"font-size: 1.2em\">{escape(headline(digest))}</h1>"
        + (f"<h2 style=\"font-size: 1em\">Red</h2><ul>{red}</ul>" if red else "")
        + ("<table cellpadding=\"4\" style=\"border-collapse: collapse\"><thead><tr><th>metric</th><th>scope</th>"
           "<th>period</th><th>value</th><th>target</th><th>status</th><th>since the period before</th>"
           f"<th>missed in a row</th><th>missed of last 12</th></tr></thead><tbody>{rows}</tbody></table>"
           if digest.lines else "<p>None of your targets is reviewed this period.</p>")
        + f"<p style=\"color: #555\">{escape(FOOTER)}</p></body></html>\n"
    )  # fmt: skip


def _html_row(line: DigestLine) -> str:
    colour = COLOURS[line.status]
    cells = [
        escape(line.title), escape(line.scope), escape(line.period or "not recorded"), escape(line.shown()),
        escape(format_number(line.target, line.unit)),
        f"<span style=\"color: {colour}; font-weight: bold\">{line.status}</span>",
        escape(line.change), str(line.missed_in_a_row), str(line.missed_of_last_12),
    ]  # fmt: skip
    return f'<tr data-metric="{escape(line.metric)}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def slack_payload(digest: Digest) -> dict[str, Any]:
    """Slack's incoming-webhook message: ``text`` (notifications and old clients) and blocks."""
    lines = [f"• {_status_mark(line)} {line_text(line)}\n    since {line.change}" for line in digest.lines]
    body = "\n".join(lines) or "None of your targets is reviewed this period."
    return {
        "text": digest.subject,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": digest.subject[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(headline(digest))}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(body)[:3000]}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _slack_escape(FOOTER)}]},
        ],
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _status_mark(line: DigestLine) -> str:
    return {"red": "🔴", "amber": "🟠", "green": "🟢", "grey": "⚪"}[line.status]


def teams_payload(digest: Digest) -> dict[str, Any]:
    """A Teams incoming-webhook message: one Adaptive Card (the format of Teams' Workflows
    webhooks, which the older Office 365 connectors also accept)."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": digest.subject, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": headline(digest), "wrap": True, "isSubtle": True},
    ]
    for line in digest.lines:
        body.append({"type": "TextBlock", "text": f"{_status_mark(line)} {line_text(line)}", "wrap": True})
        body.append({"type": "TextBlock", "text": f"since {line.change}", "wrap": True, "isSubtle": True,
                     "spacing": "None"})  # fmt: skip
    if not digest.lines:
        body.append({"type": "TextBlock", "text": "None of your targets is reviewed this period.", "wrap": True})
    body.append({"type": "TextBlock", "text": FOOTER, "wrap": True, "size": "Small", "isSubtle": True})
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": body}  # fmt: skip
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }
