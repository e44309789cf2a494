"""create_app(): the one place that assembles the Litestar application."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.redis import RedisStore
from litestar.template.config import TemplateConfig

from forum import listeners
from forum.accounts import avatar, single_sign_on, two_factor
from forum.accounts.api_tokens import grant_for_token
from forum.accounts.avatar_routes import AvatarPages
from forum.accounts.identity_routes import IdentityPages
from forum.accounts.mutasi_routes import MutasiPages
from forum.accounts.privacy import PrivacyPages
from forum.accounts.routes import AccountPages
from forum.accounts.service import session_user
from forum.accounts.sso_routes import SingleSignOnPages
from forum.accounts.two_factor_routes import TwoFactorPages
from forum.agencies.routes import AgencyPages
from forum.api import api_router
from forum.collaboration.appreciation_routes import AppreciationPages
from forum.collaboration.indicator_routes import IndicatorPages
from forum.core import db
from forum.core.housekeeping import housekeeping_lifespan
from forum.core.identity import CurrentUser
from forum.core.mail import mail_lifespan
from forum.core.settings import PROJECT_ROOT, Settings, get_settings, use_settings
from forum.dashboard.recount import recount_lifespan
from forum.dashboard.routes import DashboardPages
from forum.devmail import DevMailPages
from forum.featured.pages import FeaturedPages
from forum.feeds.routes import FeedRoutes
from forum.health import healthz, readyz
from forum.home.pages import HomePages
from forum.moderation.flags import REASONS as FLAG_REASONS
from forum.moderation.routes import HistoryPages, ModerationPages
from forum.notifications import badge as notification_badge
from forum.notifications.badge import remember_unread_count
from forum.notifications.routes import NotificationPages
from forum.posting.routes import PostingPages
from forum.replication.routes import CollaborationPages
from forum.thread_page import fragments as reply_fragments
from forum.thread_page.pages import ThreadPage, thread_page_again
from forum.threads import cards as thread_cards
from forum.threads.routes import ThreadPages
from forum.web import templating
from forum.web.allow import correct_options_allow
from forum.web.caching import AnonymousPageCache
from forum.web.csrf import SessionBoundCSRFMiddleware, rebind_csrf_at_sign_in
from forum.web.errors import EXCEPTION_HANDLERS
from forum.web.favicon import favicon
from forum.web.head import answer_head_as_get, is_head
from forum.web.openapi import document_problems, openapi_config
from forum.web.proxies import TrustedProxyMiddleware
from forum.web.security import (
    SESSION_KEY,
    SESSION_USER_KEY,
    ForumAuthenticationMiddleware,
    RejectNulPathMiddleware,
    security_headers,
    within_token_scope,
)
from forum.web.sessions import SignedInOnlySessionConfig
from search.routes import route_handlers as search_route_handlers
from search.service import search_lifespan

SESSION_MAX_AGE = 14 * 24 * 3600
SESSION_COOKIE = "sinergi_session"
# Paths that never need a session or a user (and so never touch the session store or the database).
PUBLIC_ASSET_PATHS = ["^/static/", "^/healthz$", "^/readyz$", "^/favicon.ico$"]


class Forum(Litestar):
    """Litestar, answering HEAD wherever GET is routed (forum.web.head: it must happen before routing)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if is_head(scope):
            await answer_head_as_get(super().__call__, scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _app_version() -> str:
    try:
        return version("sinergi")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0.0.0"


def _session_store(settings: Settings) -> Store:
    """Redis when configured (several hosts); otherwise files, which several workers on one host can share."""
    if settings.redis_url:
        return RedisStore.with_client(url=settings.redis_url, namespace="sinergi-sessions")
    return FileStore(path=settings.data_dir / "sessions", create_directories=True)


async def session_viewer(connection: ASGIConnection[Any, Any, Any, Any], session: dict[str, Any]) -> CurrentUser | None:
    """The person a session signs in (while its UserSession row lives and the account is active), with their
    unread-notification count remembered for the header."""
    user = await session_user(session.get(SESSION_USER_KEY), session.get(SESSION_KEY))
    await remember_unread_count(connection, user)
    return user


def _feature_template_globals() -> dict[str, Any]:
    return {**notification_badge.template_globals(), "flag_reasons": FLAG_REASONS,
            "held_power_label": two_factor.held_power_label, "sso_label": single_sign_on.button_label,
            "initials": avatar.initials, **reply_fragments.template_globals(),
            **thread_cards.template_globals()}  # fmt: skip


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    use_settings(settings)
    listeners.connect()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await db.prepare_engine()
        try:
            yield
        finally:
            await db.release_engine()

    session_config = SignedInOnlySessionConfig(
        store="sessions",
        key=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        exclude=PUBLIC_ASSET_PATHS,
    )
    csrf_config = CSRFConfig(
        secret=settings.secret_key,
        cookie_name="csrftoken",
        header_name="x-csrftoken",
        cookie_secure=settings.secure_cookies,
        cookie_samesite="lax",
        exclude=PUBLIC_ASSET_PATHS,
    )
    template_config = TemplateConfig(
        directory=PROJECT_ROOT / "templates",
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: templating.configure(engine.engine, **_feature_template_globals()),
    )
    app = Forum(
        route_handlers=[
            HomePages,
            ThreadPages,
            ThreadPage,
            FeaturedPages,
            PostingPages,
            AccountPages,
            PrivacyPages,
            IdentityPages,
            TwoFactorPages,
            SingleSignOnPages,
            MutasiPages,
            AvatarPages,
            *([DevMailPages] if settings.debug else []),  # development only: the mail `make run` caught
            AgencyPages,
            ModerationPages,
            HistoryPages,
            CollaborationPages,
            FeedRoutes,
            DashboardPages,
            AppreciationPages,
            IndicatorPages,
            NotificationPages,
            api_router,
            *search_route_handlers,
            healthz,
            readyz,
            favicon,
            create_static_files_router(path="/static", directories=[PROJECT_ROOT / "static"], include_in_schema=False),
        ],
        # The search and recount lifespans come after the database one, so their workers stop before the pool closes.
        lifespan=[lifespan, search_lifespan, recount_lifespan, housekeeping_lifespan, mail_lifespan],
        middleware=[
            # First, so that limits, logs and every later layer see the real client (or the peer, if no proxy is trusted).
            DefineMiddleware(TrustedProxyMiddleware, networks=settings.forwarded_allow_ips),
            RejectNulPathMiddleware,
            DefineMiddleware(AnonymousPageCache, seconds=settings.page_cache_seconds, session_cookie=SESSION_COOKIE),
            session_config.middleware,
            # Authentication before CSRF: a refused form still shows the signed-in header on its error page.
            # Every method, OPTIONS and HEAD included: a guard must always find request.user (None if anonymous).
            DefineMiddleware(ForumAuthenticationMiddleware, exclude=PUBLIC_ASSET_PATHS, exclude_http_methods=[],
                             session_user=session_viewer, token_user=grant_for_token),  # fmt: skip
            DefineMiddleware(SessionBoundCSRFMiddleware, config=csrf_config, session_cookie=SESSION_COOKIE),
        ],
        stores={"sessions": _session_store(settings)},
        guards=[within_token_scope],  # a bearer token reaches only what its scopes cover, on every route
        template_config=template_config,
        openapi_config=openapi_config(_app_version()),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        # Feature pages whose forms live on the thread page show it again through this, without importing it.
        dependencies={"thread_page_again": Provide(lambda: thread_page_again, use_cache=True, sync_to_thread=False)},
        before_send=[
            security_headers(hsts=settings.secure_cookies),
            correct_options_allow,
            rebind_csrf_at_sign_in(csrf_config, SESSION_COOKIE),
        ],
        state=State({}),
        request_max_body_size=2 * 1024 * 1024,
        debug=False,
    )
    document_problems(app)
    return app
