"""An anonymous page cache, in the spirit of Discourse's anonymous cache middleware.

Most forum traffic is people reading without signing in, and their pages are identical. For a couple of
seconds (PAGE_CACHE_SECONDS) each worker serves such a page from memory, before sessions, CSRF,
authentication, routing or the database are touched. A request is anonymous when it carries neither a
session cookie (sessions exist only for signed-in people, see forum.web.sessions) nor an Authorization header;
signed-in people always get a fresh page, so nobody waits to see their own post. Only routes marked with
``opt={"page_cache": True}`` are stored, only 200 responses, and never a Set-Cookie header: anonymous pages
carry no CSRF token or form, so a shared copy leaks nothing personal.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from litestar.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CACHE = {"page_cache": True}  # route opt that makes a page cacheable for anonymous readers
MAX_ENTRIES = 2_000


@dataclass(slots=True)
class _Entry:
    expires: float
    start: Message
    body: bytes


class AnonymousPageCache:
    def __init__(self, app: ASGIApp, seconds: int, session_cookie: str) -> None:
        self.app = app
        self.seconds = seconds
        self.session_cookie = session_cookie.encode()
        self.entries: OrderedDict[bytes, _Entry] = OrderedDict()

    def _key(self, scope: Scope) -> bytes | None:
        if self.seconds <= 0 or scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        for name, value in scope["headers"]:
            if name == b"authorization" or (name == b"cookie" and self.session_cookie in value):
                return None
        return scope["path"].encode() + b"?" + scope.get("query_string", b"")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self.entries.get(key)
        if entry is not None and entry.expires > time.monotonic():
            await send(entry.start)
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else entry.body})
            return

        captured: dict[str, object] = {"start": None, "chunks": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["start"] = message
            elif message["type"] == "http.response.body":
                captured["chunks"].append(message.get("body", b""))  # type: ignore[union-attr]
            await send(message)

        await self.app(scope, receive, capture)
        self._store(key, scope, captured)

    def _store(self, key: bytes, scope: Scope, captured: dict[str, object]) -> None:
        start = captured["start"]
        handler = scope.get("route_handler")
        if not isinstance(start, dict) or start.get("status") != 200 or scope["method"] != "GET":
            return
        if handler is None or not handler.opt.get("page_cache"):
            return
        headers = [(name, value) for name, value in start.get("headers", []) if name.lower() != b"set-cookie"]
        self.entries[key] = _Entry(
            expires=time.monotonic() + self.seconds,
            start={**start, "headers": headers},
            body=b"".join(captured["chunks"]),  # type: ignore[arg-type]
        )
        self.entries.move_to_end(key)
        while len(self.entries) > MAX_ENTRIES:
            self.entries.popitem(last=False)
