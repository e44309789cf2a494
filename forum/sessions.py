"""Server-side sessions that exist only for people who signed in.

Litestar's server-side backend stores a session (and sets a cookie) on every response, even an empty one,
so each anonymous page view would write to the session store and mint a cookie. Readers far outnumber
writers on a forum: here an empty session is never stored, and a session that became empty (logout) is
deleted with its cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession


class SignedInOnlySessionBackend(ServerSideSessionBackend):
    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        if scope_session is Empty or not scope_session:
            if self.config.key in connection.cookies:
                await super().store_in_message(Empty, message, connection)  # delete it and expire the cookie
            return
        await super().store_in_message(scope_session, message, connection)


@dataclass
class SignedInOnlySessionConfig(ServerSideSessionConfig):
    _backend_class = SignedInOnlySessionBackend  # type: ignore[assignment]
