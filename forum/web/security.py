"""Who is asking (sessions and bearer tokens), the login guard, and security headers (CSRF: forum/web/csrf.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from forum.core.errors import Forbidden, LoginRequired
from forum.core.policy import can_write

SESSION_USER_KEY = "uid"
SESSION_KEY = "sk"  # the key of the account's UserSession row (forum.accounts.sessions)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UNCONFIRMED = ("Konfirmasi email Anda terlebih dahulu: buka tautan yang kami kirim ke alamat Anda (atau minta "
               "tautan baru dari spanduk di atas halaman). Sebelum itu akun Anda dapat membaca, belum dapat menulis.")  # fmt: skip


def bearer_token(headers: Any) -> str | None:
    value = headers.get("authorization", "")
    if value[:7].lower() == "bearer ":
        return value[7:].strip()
    return None


class ForumAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` to the signed-in CurrentUser, or None for anonymous visitors.

    Unlike Litestar's SessionAuth it never blocks anonymous requests: public pages are readable by
    everyone, and write routes say what they need with the ``requires_login`` guard.
    A request with a bearer token is judged by that token alone, never by a cookie.

    Who the session or the token belongs to is asked of the two loaders ``create_app`` passes in: this layer
    knows HTTP, not accounts.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        session_user: Callable[[ASGIConnection[Any, Any, Any, Any], dict[str, Any]], Awaitable[Any]],
        token_user: Callable[[str], Awaitable[Any]],  # a grant: ``.user`` and ``.scopes``, or None
        **options: Any,
    ) -> None:
        super().__init__(app, **options)
        self.session_user = session_user
        self.token_user = token_user

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        token = bearer_token(connection.headers)
        if token is not None:
            grant = await self.token_user(token)
            if grant is None:
                raise NotAuthorizedException("Token API tidak valid atau kedaluwarsa.")
            return AuthenticationResult(user=grant.user, auth=grant)
        session = connection.session if "session" in connection.scope else {}
        user = await self.session_user(connection, session if isinstance(session, dict) else {})
        return AuthenticationResult(user=user, auth="session" if user else None)


def is_options(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """OPTIONS asks which methods a path takes; Litestar answers it (204 with Allow) without running the route,
    and authentication skips it, so guards let it through rather than read a user that is not set."""
    return connection.scope.get("method") == "OPTIONS"


TOKEN_SCOPE = "token_scope"  # a route's opt: the scope a bearer token needs there, beyond read/write by method
SCOPE_NAMES = {"read": "baca", "write": "tulis", "moderate": "moderasi"}


def within_token_scope(connection: ASGIConnection[Any, Any, Any, Any], handler: Any) -> None:
    """App-wide guard: a bearer token reaches only what its scopes cover (``read`` for GET, ``write`` for a change,
    ``moderate`` where a route says so). Sessions and anonymous visitors are not narrowed here."""
    scopes = getattr(connection.scope.get("auth"), "scopes", None)
    if scopes is None:
        return
    needed = handler.opt.get(TOKEN_SCOPE) or ("read" if connection.scope.get("method") in SAFE_METHODS else "write")
    if needed not in scopes:
        raise Forbidden(f"Token ini tidak mencakup izin '{SCOPE_NAMES.get(needed, needed)}'. Buat token dengan "
                        "cakupan itu di halaman Akun saya → Token API.")  # fmt: skip


def requires_signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """Guard: the route needs a signed-in user, confirmed address or not (one's own account pages)."""
    if is_options(connection):
        return
    if connection.user is None:
        raise LoginRequired()


def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """Guard: the route needs a signed-in user (pages redirect to /masuk, the API answers 401) who, to write,
    has confirmed their address (403 otherwise; reading is open to them)."""
    requires_signed_in(connection, _)
    if connection.user is not None and connection.scope.get("method") not in SAFE_METHODS and not can_write(connection.user):
        raise Forbidden(UNCONFIRMED)


# No inline script, no eval, no third-party origins. Images may come from https (Markdown image links).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Swagger UI sets style attributes at run time; its page (and only it) may use inline styles, never scripts.
SCHEMA_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def security_headers(hsts: bool) -> Any:
    """A ``before_send`` hook: every response gets the headers, routed or not (a 404 for an unknown path and a 405
    are answered before any middleware runs, so a middleware would miss them)."""

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        is_schema = scope.get("path", "").startswith("/schema")
        headers["Content-Security-Policy"] = SCHEMA_CONTENT_SECURITY_POLICY if is_schema else CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        if hsts:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    return add_headers


class RejectNulPathMiddleware:
    """A NUL byte names no file and no page; the static files router would pass it to the OS (a 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "\x00" in scope.get("path", ""):
            raise NotFoundException()
        await self.app(scope, receive, send)
