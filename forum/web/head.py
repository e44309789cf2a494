"""HEAD requests answered as GET without the body (RFC 9110 §9.3.2).

Litestar routes only the methods a handler declares, so every page answered HEAD with 405; link checkers,
uptime monitors and crawlers use HEAD. The method must change before routing, and Litestar's middleware runs
after it, so forum.app's Litestar subclass calls this from its ASGI entry point.
"""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send


def is_head(scope: Scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "HEAD"


async def answer_head_as_get(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    async def without_body(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}  # the headers (Content-Length too) stay those of the GET
        await send(message)

    await app({**scope, "method": "GET"}, receive, without_body)  # type: ignore[arg-type]
