"""Server-side sessions that exist only for people who signed in, with a new session id at every sign-in.

Litestar's server-side backend stores a session (and sets a cookie) on every response, even an empty one,
so each anonymous page view would write to the session store and mint a cookie. Readers far outnumber
writers on a forum: here an empty session is never stored, and a session that became empty (logout) is
deleted with its cookie.

Litestar also keeps the id the browser sent: a session id planted in someone's browser before they sign in
(session fixation) would then carry their signed-in session. Signing in therefore asks for a fresh id
(``sign_in``); the old id's data is deleted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

# Session key that asks the backend for a new id when the session is stored; never stored itself.
_ROTATE = "_rotate_id"
# Where the backend keeps the new id for the rest of the response (ASGI scope of the request).
_FRESH_ID = "sinergi.fresh_session_id"
# The stored bytes as this request loaded them (ASGI scope), and when the session was last written (in it).
_LOADED = "sinergi.loaded_session"
_WRITTEN = "_written"
# An unchanged session is written again only this often, so that the store's expiry follows the cookie's: a
# session idle for its whole max age may end up to this much sooner than its cookie, and reading a page costs
# no write to the store (a file, or a round trip to Redis).
REWRITE_EVERY = 3600


def sign_in(connection: ASGIConnection[Any, Any, Any, Any], session: dict[str, Any]) -> None:
    """Replace the session with ``session``, under a new id."""
    connection.clear_session()
    connection.set_session({**session, _ROTATE: True})


class SignedInOnlySessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        fresh = connection.scope.get(_FRESH_ID)  # type: ignore[misc]
        return fresh if isinstance(fresh, str) else super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        if scope_session is Empty or not scope_session:
            if self.config.key in connection.cookies:
                await self._forget(message, connection)
            return
        if isinstance(scope_session, dict) and scope_session.pop(_ROTATE, False):
            old = connection.cookies.get(self.config.key)
            if old:
                await self.delete(old, store=self.config.get_store_from_app(connection.scope["app"]))
            connection.scope[_FRESH_ID] = self.generate_session_id()  # type: ignore[literal-required]
        elif isinstance(scope_session, dict) and self._unchanged_and_fresh(scope_session, connection):
            self._set_cookie(message, connection)
            return
        if isinstance(scope_session, dict):
            scope_session[_WRITTEN] = int(time.time())
        await super().store_in_message(scope_session, message, connection)

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        if session_id := connection.cookies.get(self.config.key):
            data = await self.get(session_id, store=self.config.get_store_from_app(connection.scope["app"]))
            if data is not None:
                connection.scope[_LOADED] = data  # type: ignore[literal-required]
                return self.deserialize_data(data)
        return {}

    def _unchanged_and_fresh(self, session: dict[str, Any], connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
        loaded = connection.scope.get(_LOADED)  # type: ignore[misc]
        written = session.get(_WRITTEN)
        return (isinstance(loaded, bytes) and isinstance(written, int) and time.time() - written < REWRITE_EVERY
                and self.serialize_data(session, connection.scope) == loaded)  # fmt: skip

    def _set_cookie(self, message: Message, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        """The same cookie the store's write would have come with (its max age slides with each visit)."""
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        cookie = Cookie(value=self.get_session_id(connection), key=self.config.key, **params)
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


    async def _forget(self, message: Message, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
        """Delete the stored session and the cookie. (Litestar's own "null" cookie keeps the configured
        Max-Age, which wins over its past Expires: browsers kept "sinergi_session=null" for two weeks, and with
        it every later response set it again and no page came from the anonymous cache.)"""
        session_id = connection.cookies[self.config.key]
        await self.delete(session_id, store=self.config.get_store_from_app(connection.scope["app"]))
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        params.update(max_age=0, expires=0)
        cookie = Cookie(value="", key=self.config.key, **params)
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


@dataclass
class SignedInOnlySessionConfig(ServerSideSessionConfig):
    _backend_class = SignedInOnlySessionBackend  # type: ignore[assignment]
