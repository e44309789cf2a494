"""The unread count in the nav ("Notifikasi (3)").

Jinja renders synchronously, so the count is fetched before the handler runs: the authentication middleware
calls ``remember_unread_count`` once it knows the user, and templates read it with the ``unread_notifications()``
global. Only page requests of signed-in people pay for it (one bounded COUNT): never anonymous visitors (whose
pages are shared by the anonymous page cache), never API or bearer-token calls, static files, htmx fragments
or form posts. Where it was not fetched, the global returns None and the nav shows "Notifikasi" without a number.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from forum.notifications.service import BADGE_CAP, unread_badge_count

STATE_KEY = "sinergi_unread_notifications"
_SKIP_PREFIXES = ("/api/", "/static/", "/schema", "/healthz", "/readyz", "/favicon")


def wants_badge(scope: Any) -> bool:
    """A full HTML page for a browser: GET, not the API, not an htmx fragment, not a bearer-token call."""
    if scope.get("type") != "http" or scope.get("method") != "GET":
        return False
    path = scope.get("path", "")
    if path == "/api" or path.startswith(_SKIP_PREFIXES) or path.endswith((".xml", ".json")):
        return False
    for name, value in scope.get("headers", []):
        if name == b"hx-request" or (name == b"authorization" and value[:7].lower() == b"bearer "):
            return False
    return True


async def remember_unread_count(connection: Any, user: Any) -> None:
    """Call in ForumAuthenticationMiddleware.authenticate_request once the session user is known."""
    if user is None or not wants_badge(connection.scope):
        return
    connection.scope.setdefault("state", {})[STATE_KEY] = await unread_badge_count(user.id)


@pass_context
def unread_notifications(context: Any) -> int | None:
    """Jinja global: the signed-in viewer's unread count (capped at BADGE_CAP), or None if not fetched."""
    request = context.get("request")
    if request is None:
        return None
    value = request.scope.get("state", {}).get(STATE_KEY)
    return value if isinstance(value, int) else None


def badge_text(count: int | None) -> str:
    if not count:
        return ""
    return f"{BADGE_CAP - 1}+" if count >= BADGE_CAP else str(count)


def template_globals() -> dict[str, Any]:
    """The Jinja globals of the badge (create_app hands them to forum.web.templating.configure)."""
    return {"unread_notifications": unread_notifications, "unread_badge": badge_text}
