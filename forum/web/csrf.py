"""CSRF: a double-submit cookie whose token is bound to the session it was issued for, and that knows bearer tokens.

Litestar's own token is a random value signed with the secret, valid for anyone: a token read from one
browser (or one account) was accepted in another session. Here the signature also covers the session it
belongs to — the signed-in session's id, or "anonymous" — so a token only works in the session that received
it. Signing in (a new session id) issues a new token in the same response, as Django rotates its token at
login; a safe request whose cookie belongs to another session gets a fresh one, so a page always carries a
token that its own session accepts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from secrets import compare_digest
from typing import Any

from litestar._parsers import parse_cookie_string
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from forum.web.security import bearer_token

_RANDOM_HEX = 64
_ANONYMOUS = "anonymous"


def _signature(secret: str, random_part: str, binding: str) -> str:
    return hmac.new(secret.encode(), f"{random_part}|{binding}".encode(), hashlib.sha256).hexdigest()


def issue_token(secret: str, binding: str) -> str:
    random_part = secrets.token_hex(_RANDOM_HEX // 2)
    return random_part + _signature(secret, random_part, binding)


def is_bound(token: str, secret: str, binding: str) -> bool:
    random_part, signature = token[:_RANDOM_HEX], token[_RANDOM_HEX:]
    return len(random_part) == _RANDOM_HEX and compare_digest(signature, _signature(secret, random_part, binding))


def session_binding(session_id: str | None) -> str:
    return f"session:{session_id}" if session_id else _ANONYMOUS


def scope_headers(scope: Scope) -> dict[str, str]:
    """Headers by lower-cased name. Repeated Cookie headers are joined with "; " (RFC 6265 §5.4), as the session
    layer reads them: judging a request by its last Cookie header alone let a session cookie in the first one
    through without a CSRF token."""
    headers: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        name, text = key.decode("latin-1").lower(), value.decode("latin-1")
        headers[name] = f"{headers[name]}; {text}" if name == "cookie" and name in headers else text
    return headers


def _csrf_cookie(config: CSRFConfig, token: str) -> str:
    cookie = Cookie(
        key=config.cookie_name,
        value=token,
        path=config.cookie_path,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
        domain=config.cookie_domain,
    )
    return cookie.to_header(header="")


class SessionBoundCSRFMiddleware(CSRFMiddleware):
    """CSRF protects cookie-authenticated requests, and only those are checked here. A request carrying
    ``Authorization: Bearer`` is authenticated by that header alone (see ForumAuthenticationMiddleware), which
    a cross-site page cannot set. An API request without a session cookie carries no ambient authority at all,
    so it gets the honest answer (401 from the login guard) instead of a CSRF refusal. Pages keep CSRF even
    without a session (login and registration forms). Safe methods are never widened.

    It runs inside the session middleware, so the session is loaded: a token is bound to the session id only
    while that session holds data (a stale or forged session cookie binds nothing)."""

    def __init__(self, app: ASGIApp, config: CSRFConfig, session_cookie: str) -> None:
        super().__init__(app, config)
        self.session_cookie = session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or should_bypass_middleware(
            scope=scope,
            scopes=self.scopes,
            exclude_opt_key=self.config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            await self.app(scope, receive, send)
            return
        headers = scope_headers(scope)
        no_session_api = scope["path"].startswith("/api/") and self.session_cookie not in headers.get("cookie", "")
        if bearer_token(headers) is not None or no_session_api:
            await self.app(scope, receive, send)
            return

        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        session = scope.get("session")
        binding = session_binding(request.cookies.get(self.session_cookie) if session else None)
        cookie = request.cookies.get(self.config.cookie_name)
        valid_cookie = cookie if cookie and is_bound(cookie, self.config.secret, binding) else None
        state = ScopeState.from_scope(scope)

        if request.method in self.config.safe_methods:
            token = state.csrf_token = valid_cookie or issue_token(self.config.secret, binding)
            await self.app(scope, receive, self.create_send_wrapper(send=send, csrf_cookie=valid_cookie, token=token))
            return
        submitted = request.headers.get(self.config.header_name)
        content_type, _ = request.content_type
        if not submitted and content_type in {RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART}:
            submitted = (await request.form()).get("_csrf_token")
        if valid_cookie is None or not isinstance(submitted, str) or not compare_digest(submitted, valid_cookie):
            raise PermissionDeniedException("CSRF token verification failed")
        state.csrf_token = submitted
        await self.app(scope, receive, send)


def rebind_csrf_at_sign_in(config: CSRFConfig, session_cookie: str) -> Any:
    """A ``before_send`` hook (it runs outside every middleware, so it sees the session cookie the session layer
    set): when a response starts a new session, it also carries a CSRF token bound to that session, replacing
    any token set earlier in the same response; when it ends one (signing out), an anonymous token. Without it,
    the first form sent after signing in or out — before any page was loaded — would be refused."""
    session_prefix = f"{session_cookie}=".encode()
    csrf_prefix = f"{config.cookie_name}=".encode()

    async def rebind(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        new_id: str | None = None  # None: the session cookie is not set; "": it is deleted (signed out)
        sets_csrf = False
        for name, value in headers.headers:
            if name.lower() == b"set-cookie" and value.startswith(session_prefix):
                new_id = value[len(session_prefix) :].split(b";", 1)[0].decode("latin-1").strip('"')
            sets_csrf = sets_csrf or (name.lower() == b"set-cookie" and value.startswith(csrf_prefix))
        if new_id is None:  # most responses: only parse the request's cookies when a session cookie is set
            return
        sent = parse_cookie_string(scope_headers(scope).get("cookie", ""))
        if new_id == sent.get(session_cookie):
            return
        if not new_id:  # signed out: an anonymous token, unless the one sent is one or this response sets one
            if sets_csrf or is_bound(sent.get(config.cookie_name, ""), config.secret, _ANONYMOUS):
                return
        headers.headers[:] = [
            (name, value)
            for name, value in headers.headers
            if not (name.lower() == b"set-cookie" and value.startswith(csrf_prefix))
        ]
        token = issue_token(config.secret, session_binding(new_id))
        headers.add("set-cookie", _csrf_cookie(config, token))

    return rebind
