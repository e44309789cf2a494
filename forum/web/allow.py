"""The `Allow` header (RFC 9110 §10.2.1): exactly the methods a path answers, on OPTIONS and on 405.

Litestar's OPTIONS answer lists the methods of the route object that first created it; when handlers of one
path are merged into a later route object it keeps the old, partial list (`/api/agencies` answered
"OPTIONS, POST" without GET). The methods are read from the app's finished routes instead, HEAD included
wherever GET is routed (forum.web.head answers it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope


def allow_value(methods: Iterable[str]) -> str:
    names = {method.strip().upper() for method in methods if method.strip()} | {"OPTIONS"}
    if "GET" in names:
        names.add("HEAD")
    return ", ".join(sorted(names))


def _allow_by_path(app: Any) -> dict[str, str]:
    cached = getattr(app.state, "allow_by_path", None)
    if cached is None:
        # Keyed like scope["path_template"]: the path without parameter types ("/api/threads/{thread_id}").
        cached = {route.path_format: allow_value(route.methods) for route in app.routes if isinstance(route, HTTPRoute)}
        app.state.allow_by_path = cached
    return cached


async def correct_options_allow(message: Message, scope: Scope) -> None:
    """before_send: the OPTIONS answer's Allow, from the route the request reached."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    template = scope.get("path_template")
    allow = _allow_by_path(scope["app"]).get(template) if template else None
    if allow and message["status"] == 204:
        MutableScopeHeaders.from_message(message)["Allow"] = allow
