"""The headers every answer of ``quarterdeck serve`` carries, whatever its status or type.

Pages, JSON, CSV, the style sheet and every error (401, 403, 404, 422, 500...) send a
Content-Security-Policy that allows nothing but this server's style sheet and inline
images, ``X-Content-Type-Options: nosniff`` (a browser never guesses a type other than the
one sent) and ``Referrer-Policy: no-referrer`` (a link followed out of the dashboard never
carries its URL, which names a team or a unit). An answer to a request that was signed in
(``Authorization``: a token or HTTP Basic) also says ``Cache-Control: no-store``: what one
person may see is never kept by a browser or a proxy for the next.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Nothing but this server: no script at all, styles and images from here or inline SVG.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
ALWAYS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def security_headers(signed_in: bool) -> dict[str, str]:
    """The headers of every answer; ``signed_in``: the request carried credentials."""
    return {**ALWAYS, "Cache-Control": "no-store"} if signed_in else dict(ALWAYS)


def signed_in(scope: Scope) -> bool:
    return any(name == b"authorization" for name, _ in scope.get("headers", ()))


class SecurityHeadersMiddleware:
    """Adds ``security_headers`` to every HTTP answer passing through it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(signed_in(scope))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
